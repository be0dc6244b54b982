/**
 * The placeholder language of work-summary templates: a small recursive-descent parser over
 * the template body, keeping character offsets so every error points at its place.
 *
 * Grammar (whitespace = spaces or tabs; a placeholder stays on one line):
 *
 *   template    := (text | escape | placeholder)*
 *   escape      := '\{{'                         -- a literal '{{'
 *   placeholder := '{{' ws* metric (ws+ arg)* ws* '}}'
 *   metric      := word (ws+ word)*              -- a key ('activities.count') or an alias
 *                                                   of several words ('count activities')
 *   word        := [A-Za-z0-9_.\-]+ | CJK+       -- a word followed by '=' starts an arg
 *   arg         := name '=' value (',' value)*
 *   name        := [a-z_]+
 *   value       := bare | '"' ( [^"\\\n] | '\' any )* '"'
 *   bare        := [^\s,"}]+
 *
 * Examples: `{{activities.count type=training_class}}`,
 *           `{{count activities type=field_visit place_kind=village period=year}}`,
 *           `{{activities.people_times type=training_class party=none topic="党史"}}`.
 * What metrics and arguments mean is checked by the service against the catalogue.
 */

export type PlaceholderArg = { name: string; values: string[]; offset: number };

export type Placeholder = {
  /** offsets of '{{' and just after '}}' in the body */
  start: number;
  end: number;
  source: string;
  metric: string;
  metricOffset: number;
  args: PlaceholderArg[];
};

export type ParseError = { offset: number; message: string };

export type TemplatePart = { kind: 'text'; text: string } | { kind: 'placeholder'; placeholder: Placeholder };

export type ParsedTemplate = { parts: TemplatePart[]; errors: ParseError[] };

class Fail extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const isWs = (c: string | undefined) => c === ' ' || c === '\t' || c === '\u3000';
const isNameChar = (c: string | undefined) => c !== undefined && /[a-z_]/.test(c);
const isWordChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_.\-\u3400-\u9fff]/.test(c);

/** Parses one placeholder starting at `start` (at '{{'); throws Fail at the first error. */
function parsePlaceholder(src: string, start: number): Placeholder {
  let i = start + 2;
  const peek = () => src[i];
  const skipWs = () => {
    while (isWs(peek())) i += 1;
  };
  const atEnd = () => src.startsWith('}}', i);

  const words: string[] = [];
  let metricOffset = -1;
  const args: PlaceholderArg[] = [];
  skipWs();
  for (;;) {
    if (i >= src.length || peek() === '\n' || peek() === '\r') throw new Fail(start, "placeholder not closed with '}}' on its line");
    if (atEnd()) break;
    const wordStart = i;
    if (isNameChar(peek()) || isWordChar(peek())) {
      while (isWordChar(peek())) i += 1;
      const word = src.slice(wordStart, i);
      if (peek() === '=') {
        if (words.length === 0) throw new Fail(wordStart, `a metric name must come before the argument '${word}'`);
        if (!/^[a-z_]+$/.test(word)) throw new Fail(wordStart, `bad argument name '${word}' (lower-case letters and '_')`);
        if (args.some((a) => a.name === word)) throw new Fail(wordStart, `argument '${word}' given twice`);
        i += 1;
        args.push({ name: word, values: parseValues(wordStart), offset: wordStart });
      } else {
        if (args.length > 0) throw new Fail(wordStart, `expected 'name=value' but found '${word}'`);
        if (words.length === 0) metricOffset = wordStart;
        words.push(word);
      }
    } else {
      throw new Fail(i, `unexpected character '${peek()}'`);
    }
    const before = i;
    skipWs();
    if (!atEnd() && i === before && i < src.length && peek() !== '\n') throw new Fail(i, `unexpected character '${peek()}'`);
  }
  if (words.length === 0) throw new Fail(start, 'empty placeholder: a metric name is missing');
  i += 2;
  return { start, end: i, source: src.slice(start, i), metric: words.join(' '), metricOffset, args };

  function parseValues(argStart: number): string[] {
    const values: string[] = [];
    for (;;) {
      values.push(parseValue(argStart));
      if (peek() !== ',') return values;
      i += 1;
    }
  }

  function parseValue(argStart: number): string {
    if (peek() === '"') {
      const open = i;
      i += 1;
      let out = '';
      for (;;) {
        const c = peek();
        if (c === undefined || c === '\n') throw new Fail(open, 'quoted value not closed');
        if (c === '"') break;
        if (c === '\\') {
          const next = src[i + 1];
          if (next === undefined || next === '\n') throw new Fail(i, 'quoted value not closed');
          out += next;
          i += 2;
          continue;
        }
        out += c;
        i += 1;
      }
      i += 1;
      if (out.length === 0) throw new Fail(open, 'empty value');
      return out;
    }
    const valueStart = i;
    while (i < src.length && !/[\s,"}]/.test(src[i] ?? '') && !isWs(peek())) i += 1;
    if (i === valueStart) throw new Fail(i < src.length ? i : argStart, 'missing value after =');
    return src.slice(valueStart, i);
  }
}

/**
 * Splits a template body into text and placeholders. A placeholder with an error stays in
 * the text as written and its error is reported; parsing carries on after it.
 */
export function parseTemplate(src: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  const errors: ParseError[] = [];
  let text = '';
  let i = 0;
  const flush = () => {
    if (text) parts.push({ kind: 'text', text });
    text = '';
  };
  while (i < src.length) {
    if (src.startsWith('\\{{', i)) {
      text += '{{';
      i += 3;
      continue;
    }
    if (src.startsWith('{{', i)) {
      try {
        const ph = parsePlaceholder(src, i);
        flush();
        parts.push({ kind: 'placeholder', placeholder: ph });
        i = ph.end;
      } catch (e) {
        if (!(e instanceof Fail)) throw e;
        errors.push({ offset: e.offset, message: e.message });
        // keep the broken placeholder as text, up to its '}}' on the same line or the line's end
        const close = src.indexOf('}}', i + 2);
        const eol = src.indexOf('\n', i);
        const stop = close >= 0 && (eol < 0 || close < eol) ? close + 2 : eol < 0 ? src.length : eol;
        text += src.slice(i, stop);
        i = stop;
      }
      continue;
    }
    text += src[i];
    i += 1;
  }
  flush();
  return { parts, errors };
}

/** 1-based line and column of an offset, for messages a person can find in the editor. */
export function lineColumn(src: string, offset: number): { line: number; column: number } {
  const before = src.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column };
}

/** Writes a placeholder back (used by the figure check to propose one). */
export function formatPlaceholder(metric: string, args: Record<string, string>): string {
  // args hold lists as comma-separated text (as the API takes them)
  const quote = (v: string) => (/^[^\s,"}]+$/.test(v) ? v : `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`);
  const parts = Object.entries(args).map(([k, v]) => `${k}=${v.split(',').map(quote).join(',')}`);
  return `{{${[metric, ...parts].join(' ')}}}`;
}
