import {
  AlignmentType,
  Document,
  DocumentGridType,
  Footer,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Tab,
  TabStopType,
  TextRun,
} from 'docx';
import type { ExportDocxRequest, Figure } from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { inTenant } from '../../platform/db/tenant';
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/access';
import { audit } from '../audit/audit.service';
import { findMetric } from './reports.metrics';
import { contextOf, formatValue, resolveBody, type Resolved } from './reports.service';

/**
 * A work summary as an official document (GB/T 9704-2012, 党政机关公文格式): A4, margins
 * top 37 mm, bottom 35 mm, binding (left) 28 mm, right 26 mm, so the text block is 156 × 225 mm;
 * 22 lines of 28 characters; title 2号 方正小标宋简体; body 3号 仿宋_GB2312; headings 一、 黑体,
 * （一） 楷体_GB2312, 1. and (1) 仿宋; page numbers 4号 "— 1 —", odd pages right and even pages
 * left, one character in from the edge. Fonts are named, not embedded (government machines
 * have them; elsewhere the viewer substitutes).
 */
const mm = (v: number) => Math.round((v * 1440) / 25.4);

export const gbLayout = {
  pageWidth: 11906,
  pageHeight: 16838,
  marginTop: mm(37),
  marginBottom: mm(35),
  marginLeft: mm(28),
  marginRight: mm(26),
  /** 225 mm / 22 lines, in twips: exact line spacing of the body and the document grid's pitch */
  linePitch: Math.floor(mm(225) / 22),
  /**
   * 156 mm / 28 characters = 15.79 pt per character, 0.21 pt less than the 16 pt font. Word's
   * character grid (linesAndChars + charSpace) says so, but LibreOffice then gives every 16 pt
   * glyph two grid cells (14–16 characters a line); a line grid with the runs condensed by
   * 0.25 pt (in twentieths of a point) sets 28 characters a line in Word, WPS and LibreOffice.
   */
  characterSpacing: -5,
  /** the page number's baseline area: 7 mm under the text block */
  footer: mm(35 - 7 - 5),
  fonts: { title: '方正小标宋简体', body: '仿宋_GB2312', heading1: '黑体', heading2: '楷体_GB2312', pageNumber: '宋体' },
  /** half-points: 2号 22 pt, 3号 16 pt, 4号 14 pt; the appendix's record lines 五号 10.5 pt */
  sizes: { title: 44, body: 32, pageNumber: 28, table: 21 },
} as const;

const font = (name: string) => ({ ascii: name, hAnsi: name, eastAsia: name, cs: name });

const level1 = /^[一二三四五六七八九十]+、/;
const level2 = /^（[一二三四五六七八九十]+）/;
const level34 = /^(\d+\.|[（(]\d+[)）])/;

function bodyParagraph(line: string): Paragraph {
  if (level1.test(line)) return new Paragraph({ style: 'GwHeading1', children: [new TextRun(line)] });
  if (level2.test(line)) {
    // the level-2 heading runs to its first full stop; the sentence after it is body text
    const stop = line.indexOf('。');
    const head = stop >= 0 ? line.slice(0, stop + 1) : line;
    const rest = stop >= 0 ? line.slice(stop + 1) : '';
    return new Paragraph({
      style: 'GwBody',
      children: [new TextRun({ text: head, font: font(gbLayout.fonts.heading2) }), ...(rest ? [new TextRun(rest)] : [])],
    });
  }
  if (level34.test(line)) return new Paragraph({ style: 'GwBody', children: [new TextRun(line)] });
  return new Paragraph({ style: 'GwBody', children: [new TextRun(line)] });
}

function pageNumberFooter(align: 'right' | 'left'): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: align === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        // one character (4号) in from the text block's edge
        indent: align === 'right' ? { right: 280 } : { left: 280 },
        children: [
          new TextRun({ text: '— ', font: font(gbLayout.fonts.pageNumber), size: gbLayout.sizes.pageNumber }),
          new TextRun({ children: [PageNumber.CURRENT], font: font(gbLayout.fonts.pageNumber), size: gbLayout.sizes.pageNumber }),
          new TextRun({ text: ' —', font: font(gbLayout.fonts.pageNumber), size: gbLayout.sizes.pageNumber }),
        ],
      }),
    ],
  });
}

/** 附件：数据来源: each figure's metric, filters, period, value and the records behind it. */
function appendix(figures: Figure[]): Paragraph[] {
  const out: Paragraph[] = [
    new Paragraph({ style: 'GwHeading1', pageBreakBefore: true, children: [new TextRun('附件：数据来源')] }),
    new Paragraph({ style: 'GwBody', children: [new TextRun('正文中每个数据均由系统按下列口径从业务记录统计得出，记录编号可在系统中逐条核查。')] }),
  ];
  for (const f of figures) {
    const m = findMetric(f.metric);
    const filters = Object.entries(f.filters)
      .map(([k, v]) => `${k}=${v}`)
      .join('；');
    out.push(
      new Paragraph({
        style: 'GwBody',
        children: [
          new TextRun({ text: `${f.index + 1}. ${m?.nameZh ?? f.metric}（${f.metric}）`, font: font(gbLayout.fonts.heading1) }),
          new TextRun(`：统计期间 ${f.from} 至 ${f.to}${filters ? `；条件 ${filters}` : ''}；数值 ${formatValue(f.value)}${m ? ` ${m.unitWord}` : ''}；记录 ${f.records.length} 条${f.truncated ? '（仅列前若干条）' : ''}。`),
        ],
      }),
    );
    // one line per record (date, title, id at tab stops): paragraphs cost the docx writer a
    // tenth of what table rows do, which keeps a year with thousands of records under 2 s
    for (const r of f.records)
      out.push(
        new Paragraph({
          style: 'GwTable',
          tabStops: [
            { type: TabStopType.LEFT, position: mm(22) },
            { type: TabStopType.LEFT, position: mm(92) },
          ],
          // a long title wraps under its own column
          indent: { left: mm(92), hanging: mm(92) },
          children: [new TextRun({ children: [r.date ?? '', new Tab(), r.id, new Tab(), r.title] })],
        }),
      );
  }
  return out;
}

export async function buildSummaryDocx(resolved: Resolved): Promise<Buffer> {
  const lines = resolved.text.split('\n').map((l) => l.trim());
  const titleAt = lines.findIndex((l) => l.length > 0);
  const body = lines.slice(titleAt + 1).filter((l) => l.length > 0);
  const exact = { line: gbLayout.linePitch, lineRule: LineRuleType.EXACT, before: 0, after: 0 };
  const doc = new Document({
    creator: 'Tongxin',
    title: resolved.title,
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: { run: { font: font(gbLayout.fonts.body), size: gbLayout.sizes.body, characterSpacing: gbLayout.characterSpacing }, paragraph: { spacing: exact } },
      },
      paragraphStyles: [
        {
          id: 'GwTitle',
          name: 'GB Title',
          basedOn: 'Normal',
          run: { font: font(gbLayout.fonts.title), size: gbLayout.sizes.title },
          paragraph: { alignment: AlignmentType.CENTER, spacing: { ...exact, line: gbLayout.linePitch * 2 } },
        },
        {
          id: 'GwBody',
          name: 'GB Body',
          basedOn: 'Normal',
          run: { font: font(gbLayout.fonts.body), size: gbLayout.sizes.body },
          paragraph: { alignment: AlignmentType.JUSTIFIED, indent: { firstLine: 640 }, spacing: exact },
        },
        {
          id: 'GwHeading1',
          name: 'GB Heading 1',
          basedOn: 'Normal',
          run: { font: font(gbLayout.fonts.heading1), size: gbLayout.sizes.body },
          paragraph: { indent: { firstLine: 640 }, spacing: exact, keepNext: true },
        },
        {
          id: 'GwHeading2',
          name: 'GB Heading 2',
          basedOn: 'Normal',
          run: { font: font(gbLayout.fonts.heading2), size: gbLayout.sizes.body },
          paragraph: { indent: { firstLine: 640 }, spacing: exact, keepNext: true },
        },
        {
          id: 'GwTable',
          name: 'GB Table',
          basedOn: 'Normal',
          run: { font: font(gbLayout.fonts.body), size: gbLayout.sizes.table },
          paragraph: { spacing: { line: 320, lineRule: LineRuleType.EXACT, before: 0, after: 0 } },
        },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: gbLayout.pageWidth, height: gbLayout.pageHeight },
            margin: {
              top: gbLayout.marginTop,
              bottom: gbLayout.marginBottom,
              left: gbLayout.marginLeft,
              right: gbLayout.marginRight,
              header: mm(15),
              footer: gbLayout.footer,
              gutter: 0,
            },
          },
          grid: { type: DocumentGridType.LINES, linePitch: gbLayout.linePitch },
        },
        footers: { default: pageNumberFooter('right'), even: pageNumberFooter('left') },
        children: [
          new Paragraph({ style: 'GwTitle', children: [new TextRun(resolved.title)] }),
          // one empty line between the title and the body
          new Paragraph({ style: 'GwBody', children: [] }),
          ...body.map(bodyParagraph),
          ...(resolved.figures.length ? appendix(resolved.figures) : []),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

export async function exportSummaryDocx(db: Db, actor: Actor, req: ExportDocxRequest): Promise<{ fileName: string; data: Buffer }> {
  const resolved = await inTenant(db, actor.tenantId, async (tx) => {
    const r = await resolveBody(tx, await contextOf(tx, actor, req), req.body);
    // a placeholder left unresolved would print as code in an official document
    if (r.errors.length)
      throw new AppError(
        'VALIDATION_FAILED',
        r.errors.slice(0, 20).map((e) => ({ path: 'body', row: e.line, column: String(e.column), problem: e.message })),
      );
    await audit(tx, actor, 'reports.summary.export', { type: 'report_summary' }, { title: r.title, from: r.from, to: r.to, figures: r.figures.length });
    return r;
  });
  const safe = resolved.title.replace(/[\\/:*?"<>|\n\r]/g, '').slice(0, 60) || '工作总结';
  return { fileName: `${safe}-${resolved.from}-${resolved.to}.docx`, data: await buildSummaryDocx(resolved) };
}
