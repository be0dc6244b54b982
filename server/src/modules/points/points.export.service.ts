import type { Readable } from 'node:stream';
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { gradeNamesZh, type EvaluationRow } from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { inTenant } from '../../platform/db/tenant';
import type { Actor } from '../../platform/access';
import { audit } from '../audit/audit.service';
import { streamSheet } from '../../platform/xlsx';
import { evaluation } from './points.service';

/** The yearly evaluation as a spreadsheet (one batch: a tenant's members fit in memory as rows). */
export async function exportEvaluationXlsx(db: Db, actor: Actor, year: number, branchId?: string): Promise<{ fileName: string; stream: Readable }> {
  const ev = await evaluation(db, actor, year, branchId);
  await inTenant(db, actor.tenantId, (tx) => audit(tx, actor, 'points.evaluation.export', null, { year, branchId: branchId ?? null, format: 'xlsx', rows: ev.rows.length }));
  const rows = ev.rows.map((r) => [r.branchName, r.personName, r.total, r.rank, gradeNamesZh[r.computedGrade], gradeNamesZh[r.grade], r.overrideReason ?? '', r.sanctioned ? '是' : '否']);
  async function* batches() {
    yield rows;
  }
  const stream = streamSheet(
    `${year}年度总评`,
    [
      { header: '支部', width: 24 },
      { header: '姓名', width: 12 },
      { header: '年度积分', width: 10 },
      { header: '支部排名', width: 10 },
      { header: '计算等次', width: 10 },
      { header: '评定等次', width: 10 },
      { header: '调整理由', width: 30 },
      { header: '受处分', width: 8 },
    ],
    batches(),
  );
  return { fileName: `${year}年度党员积分总评.xlsx`, stream };
}

const FONT_BODY = '仿宋_GB2312';
const FONT_TITLE = '方正小标宋简体';
const FONT_HEAD = '黑体';
// 三号 = 16 pt, in half-points
const SIZE_BODY = 32;

function cell(text: string, bold = false): TableCell {
  return new TableCell({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text, font: FONT_BODY, size: 24, bold })] })] });
}

function body(text: string): Paragraph {
  return new Paragraph({ indent: { firstLine: 640 }, spacing: { line: 560 }, children: [new TextRun({ text, font: FONT_BODY, size: SIZE_BODY })] });
}

/** The notice (通报) of the yearly evaluation: result table by grade, award candidates = 优秀. */
export async function exportEvaluationDocx(db: Db, actor: Actor, year: number, branchId?: string): Promise<{ fileName: string; data: Buffer }> {
  const ev = await evaluation(db, actor, year, branchId);
  await inTenant(db, actor.tenantId, (tx) => audit(tx, actor, 'points.evaluation.export', null, { year, branchId: branchId ?? null, format: 'docx', rows: ev.rows.length }));
  const count = (g: EvaluationRow['grade']) => ev.rows.filter((r) => r.grade === g).length;
  const excellent = ev.rows.filter((r) => r.grade === 'excellent');
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 400 },
            children: [new TextRun({ text: `关于${year}年度党员积分量化考核结果的通报`, font: FONT_TITLE, size: 44 })],
          }),
          body(
            `根据党员积分量化考核办法，经月度统计、季度公示和年度总评，现将${year}年度考核结果通报如下：参评党员${ev.rows.length}名，其中优秀${count('excellent')}名、合格${count('qualified')}名、基本合格${count('basic')}名、不合格${count('unqualified')}名。`,
          ),
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun({ text: '一、评先评优候选人（优秀等次）', font: FONT_HEAD, size: SIZE_BODY })] }),
          body(excellent.length ? excellent.map((r) => `${r.personName}（${r.branchName}，${r.total}分）`).join('、') + '。' : '无。'),
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun({ text: '二、考核结果', font: FONT_HEAD, size: SIZE_BODY })] }),
          new Table({
            width: { size: 100, type: WidthType.PERCENTAGE },
            rows: [
              new TableRow({ tableHeader: true, children: ['支部', '姓名', '年度积分', '排名', '等次'].map((h) => cell(h, true)) }),
              ...ev.rows.map((r) => new TableRow({ children: [cell(r.branchName), cell(r.personName), cell(String(r.total)), cell(String(r.rank)), cell(gradeNamesZh[r.grade])] })),
            ],
          }),
        ],
      },
    ],
  });
  return { fileName: `${year}年度党员积分考核结果通报.docx`, data: await Packer.toBuffer(doc) };
}
