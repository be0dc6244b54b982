import ExcelJS from 'exceljs';
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { ProblemListQuery } from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { inTenant } from '../../platform/db/tenant';
import { requirePermission, type Actor } from '../../platform/access';
import { shanghaiDate } from '../../platform/xlsx';
import { audit } from '../audit/audit.service';
import * as repo from './rectification.repo';
import { dueOf, dueWindow } from './rectification.service';

export const sourceNames: Record<string, string> = {
  feedback_response: '征求意见',
  self_inspection: '自我检视',
  research: '调查研究',
  supervision: '监督检查',
  other: '其他',
};
const measureStatusNames: Record<string, string> = { not_started: '未开始', in_progress: '推进中', done: '已完成', long_term: '长期坚持' };

type LedgerFilter = Omit<ProblemListQuery, 'page' | 'pageSize'>;

/** Status of a measure as the ledger states it, with its colour (ARGB). */
export function ledgerStatus(m: { verifiedAt: Date | null; status: string; deadline: string }, w: { today: string; soonUntil: string }) {
  if (m.verifiedAt) return { text: '已销号', color: 'FFC6EFCE' };
  const due = dueOf(m, w);
  const base = measureStatusNames[m.status] ?? m.status;
  if (due === 'overdue') return { text: `${base}（已逾期）`, color: 'FFFFC7CE' };
  if (due === 'soon') return { text: `${base}（即将到期）`, color: 'FFFFEB9C' };
  return { text: base, color: m.status === 'long_term' ? 'FFDDEBF7' : null };
}

async function load(db: Db, actor: Actor, f: LedgerFilter, format: 'xlsx' | 'docx') {
  requirePermission(actor, 'rectification.read');
  const w = dueWindow();
  return inTenant(db, actor.tenantId, async (tx) => {
    const problems = await repo.allProblems(tx, { tenantId: actor.tenantId, ...w, ...f });
    const measures = await repo.measuresOf(
      tx,
      problems.map((p) => p.id),
    );
    await audit(tx, actor, 'rectification.ledger.export', null, { format, problems: problems.length, filter: f });
    return { problems, measures, w };
  });
}

const dateOf = (d: Date | null) => (d ? new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(d)) : '');

/**
 * The rectification ledger (整改台账): one row per measure, the problem's cells merged over
 * its measures, status coloured. Built in memory: a department's ledger is hundreds of rows.
 */
export async function ledgerXlsx(db: Db, actor: Actor, f: LedgerFilter): Promise<{ fileName: string; data: Buffer }> {
  const { problems, measures, w } = await load(db, actor, f, 'xlsx');
  const wb = new ExcelJS.Workbook();
  wb.creator = '同心';
  const ws = wb.addWorksheet('整改台账', { views: [{ state: 'frozen', ySplit: 1 }] });
  const headers = ['序号', '问题', '来源', '类别', '认领领导', '整改措施', '责任人', '完成时限', '状态', '验收人', '销号日期'];
  const widths = [6, 40, 10, 16, 14, 40, 10, 12, 16, 10, 12];
  ws.columns = widths.map((width) => ({ width }));
  const header = ws.addRow(headers);
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle' };
  for (const p of problems) {
    const ms = measures.filter((m) => m.problemId === p.id);
    const first = ws.rowCount + 1;
    const claimants = p.claimants.map((c) => c.name).join('、');
    const problemCells = [p.number, p.title === p.description ? p.title : `${p.title}\n${p.description}`, sourceNames[p.source] ?? p.source, p.categoryName, claimants];
    if (ms.length === 0) ws.addRow([...problemCells, '（尚无措施）', '', '', p.status === 'rectified' ? '已整改' : '未制定措施', '', '']);
    for (const m of ms) {
      const st = ledgerStatus(m, w);
      const row = ws.addRow([...problemCells, `${m.immediate ? '【立行立改】' : ''}${m.title}`, m.ownerName, m.deadline, st.text, m.verifierName ?? '', dateOf(m.verifiedAt)]);
      if (st.color) row.getCell(9).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: st.color } };
    }
    const last = ws.rowCount;
    if (last > first) for (let c = 1; c <= 5; c++) ws.mergeCells(first, c, last, c);
  }
  ws.eachRow((row) => {
    row.alignment = { vertical: 'middle', wrapText: true };
  });
  const data = Buffer.from(await wb.xlsx.writeBuffer());
  return { fileName: `整改台账-${shanghaiDate()}.xlsx`, data };
}

function cell(text: string, bold = false) {
  return new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold, font: 'SimSun', size: 21 })] })] });
}

/** A summary table for a report: per problem, its category, claimants, measures and state. */
export async function ledgerDocx(db: Db, actor: Actor, f: LedgerFilter): Promise<{ fileName: string; data: Buffer }> {
  const { problems, measures } = await load(db, actor, f, 'docx');
  const rows = [
    new TableRow({ tableHeader: true, children: ['序号', '问题', '类别', '认领领导', '措施', '已销号', '状态'].map((h) => cell(h, true)) }),
    ...problems.map((p) => {
      const ms = measures.filter((m) => m.problemId === p.id);
      return new TableRow({
        children: [
          cell(String(p.number)),
          cell(p.title),
          cell(p.categoryName),
          cell(p.claimants.map((c) => c.name).join('、')),
          cell(String(ms.length)),
          cell(String(ms.filter((m) => m.verifiedAt).length)),
          cell(p.status === 'rectified' ? '已整改' : '整改中'),
        ],
      });
    }),
  ];
  const rectified = problems.filter((p) => p.status === 'rectified').length;
  const doc = new Document({
    creator: '同心',
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.HEADING_1, alignment: AlignmentType.CENTER, children: [new TextRun({ text: '问题整改情况汇总表', font: 'SimHei' })] }),
          new Paragraph({
            children: [new TextRun({ text: `共检视问题 ${problems.length} 个，制定整改措施 ${measures.length} 项；已整改问题 ${rectified} 个，已销号措施 ${measures.filter((m) => m.verifiedAt).length} 项。`, font: 'SimSun' })],
          }),
          new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows }),
        ],
      },
    ],
  });
  return { fileName: `整改情况汇总-${shanghaiDate()}.docx`, data: await Packer.toBuffer(doc) };
}
