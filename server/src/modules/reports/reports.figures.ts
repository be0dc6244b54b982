import { reportLimits } from '@tongxin/contracts';

/**
 * Finding the figures of a hand-written report: a number (Arabic or Chinese numerals,
 * optionally "余/多" for "more than"), an optional space, a measure word, and the phrase
 * before it (back to the previous punctuation). Pure functions; the service proposes metrics.
 */
export type FoundFigure = {
  start: number;
  end: number;
  written: string;
  value: number;
  approx: boolean;
  measureWord: string;
  phrase: string;
  /** the words right after the measure word ('4个“办实事”项目'): a noun often follows it */
  after: string;
};

const digits: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const units: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** 十六 → 16, 二十 → 20, 三百五十 → 350, 一万二千 → 12000; undefined when not a numeral. */
export function parseChineseNumber(s: string): number | undefined {
  if (!s) return undefined;
  let total = 0;
  let section = 0;
  let digit: number | undefined;
  for (const c of s) {
    if (c in digits) {
      if (digit !== undefined) return undefined; // 二三 is not a number here
      digit = digits[c];
    } else if (c in units) {
      section += (digit ?? 1) * (units[c] ?? 1);
      digit = undefined;
    } else if (c === '万') {
      total += (section + (digit ?? 0)) * 10_000;
      section = 0;
      digit = undefined;
    } else {
      return undefined;
    }
  }
  return total + section + (digit ?? 0);
}

// 人次 before 次: the alternation takes the longer word first
const figureRe = /(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)(余|多)?\s?(人次|次|期|家|份|个|条|场|项|名)/gu;
const stop = /[，。；：、！？,.;:!?\n\r（）()“”"《》]/u;

export function findFigures(text: string): FoundFigure[] {
  const out: FoundFigure[] = [];
  for (const m of text.matchAll(figureRe)) {
    const [whole, num = '', more, word = ''] = m;
    const start = m.index;
    // a Chinese numeral glued to a word before it is part of that word (第一个, 统一战线…)
    const prev = text[start - 1];
    const chinese = !/^\d/.test(num);
    if (chinese && prev === '第') continue;
    const value = chinese ? parseChineseNumber(num) : Number(num);
    if (value === undefined || !Number.isFinite(value)) continue;
    // "一次" inside "每月一次" and the like are frequencies, not figures
    if (chinese && value === 1 && !more) continue;
    let p = start;
    while (p > 0 && !stop.test(text[p - 1] ?? '') && start - p < reportLimits.phraseMax) p -= 1;
    const phrase = text.slice(p, start).trim().replace(/\s+/g, '');
    const end = start + whole.length;
    let q = end;
    while (q < text.length && !/[，。；：！？,;:!?\n\r]/u.test(text[q] ?? '') && q - end < 20) q += 1;
    const after = text.slice(end, q).replace(/[\s“”"《》]/g, '');
    out.push({ start, end, written: `${num}${more ?? ''}`, value, approx: Boolean(more), measureWord: word, phrase, after });
  }
  return out;
}
