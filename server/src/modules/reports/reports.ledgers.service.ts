import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import ExcelJS from 'exceljs';
import { ledgerAreaInfo, ledgerAreas, type LedgerArea, type LedgerQuery } from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { inTenant } from '../../platform/db/tenant';
import { hasPermission, requirePermission, type Actor } from '../../platform/access';
import { audit } from '../audit/audit.service';
import { findUnit } from '../org/org.repo';
import { ledger as activitiesLedger } from '../activities/activities.xlsx.service';
import { exportEvaluationXlsx } from '../points/points.export.service';
import { ledgerXlsx as rectificationLedger } from '../rectification/rectification.ledger.service';
import { exportContacts } from '../contacts/contacts.xlsx.service';
import { listEnterprises } from '../enterprises/enterprises.service';
import { listCases } from '../cases/cases.service';
import { listRisks, listRules } from '../integrity/integrity.service';
import { listWithCounts } from '../publicity/publicity.service';
import { unitSubtreeIds } from './reports.repo';

/**
 * Ledgers (台账): one XLSX per area with its standard columns, for a period and a unit's
 * subtree, and a combined workbook with a sheet per area. Areas that already export a ledger
 * (activities, points, rectification, contacts) are called as they are, so the columns and the
 * audit of each export stay theirs; the other areas' sheets are written here from their list
 * services, which apply the viewer's scope. Every ledger is built in memory: a department's
 * year is thousands of rows, not millions.
 */

type Context = LedgerQuery & { unitIds: Set<string> | null; unitType: string | null };
type Built = { fileName: string; data: Buffer | Readable };

/** The sheet names an area's ledger uses in the combined workbook, in its own order. */
export const ledgerSheetNames: Record<LedgerArea, string[]> = {
  activities: ['活动台账'],
  points: ['党员积分台账'],
  problems: ['整改台账'],
  contacts: ['统战成员台账'],
  enterprises: ['企业台账'],
  cases: ['服务事项台账'],
  integrity: ['廉政风险点台账', '制度台账'],
  publicity: ['宣传信息台账'],
};

const enterpriseTypeZh: Record<string, string> = { private: '民营企业', taiwan_funded: '台资企业', overseas_chinese_funded: '侨资企业', hk_macao_funded: '港澳资企业', other: '其他' };
const caseStatusZh: Record<string, string> = { open: '已受理', coordinating: '协调中', resolved: '已解决', cannot_resolve: '无法解决' };
const satisfactionZh: Record<string, string> = { satisfied: '满意', basically_satisfied: '基本满意', unsatisfied: '不满意' };
const riskLevelZh: Record<string, string> = { high: '高', medium: '中', low: '低' };
const channelZh: Record<string, string> = { newspaper: '报刊', website: '网站', wechat: '微信公众号', report_to_higher: '向上级报送', other: '其他' };
const adoptedZh: Record<string, string> = { district: '区县', city: '市级', provincial: '省级', national: '国家级' };

type Column = { header: string; width: number };
type Cell = string | number | null;

function sheet(wb: ExcelJS.Workbook, name: string, columns: Column[], rows: Cell[][]): void {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ width: c.width }));
  ws.addRow(columns.map((c) => c.header)).font = { bold: true };
  for (const r of rows) ws.addRow(r);
}

async function workbookOf(fill: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '同心';
  fill(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Every page of a list service (pages of 100, the API's maximum). */
async function allPages<T>(page: (n: number) => Promise<{ items: T[]; total: number }>): Promise<T[]> {
  const out: T[] = [];
  for (let n = 1; ; n++) {
    const p = await page(n);
    out.push(...p.items);
    if (p.items.length === 0 || out.length >= p.total) return out;
  }
}

const inUnit = (c: Context, officeId: string) => c.unitIds === null || c.unitIds.has(officeId);
const fileDate = (c: Context) => `${c.from.replaceAll('-', '')}-${c.to.replaceAll('-', '')}`;

async function ownAudit(db: Db, actor: Actor, area: LedgerArea, c: Context, rows: number): Promise<void> {
  await inTenant(db, actor.tenantId, (tx) => audit(tx, actor, 'reports.ledger.export', null, { area, from: c.from, to: c.to, unitId: c.unitId ?? null, rows }));
}

const builders: Record<LedgerArea, (db: Db, actor: Actor, c: Context) => Promise<Built>> = {
  activities: async (db, actor, c) => {
    const r = await activitiesLedger(db, actor, { from: c.from, to: c.to, ...(c.unitId ? { unitId: c.unitId } : {}) });
    return { fileName: `活动台账-${fileDate(c)}.xlsx`, data: r.stream };
  },
  points: async (db, actor, c) => {
    // the yearly evaluation of the year the period ends in; a branch chosen narrows it
    const r = await exportEvaluationXlsx(db, actor, Number(c.to.slice(0, 4)), c.unitType === 'branch' ? c.unitId : undefined);
    return { fileName: r.fileName, data: r.stream };
  },
  problems: async (db, actor) => {
    // the problem inventory is cumulative: open problems carry over from earlier periods
    const r = await rectificationLedger(db, actor, {});
    return { fileName: r.fileName, data: r.data };
  },
  contacts: async (db, actor, c) => {
    const r = await exportContacts(db, actor, { active: 'true', ...(c.unitId ? { officeId: c.unitId } : {}) });
    return { fileName: r.fileName, data: r.stream };
  },
  enterprises: async (db, actor, c) => {
    const items = (await allPages((page) => listEnterprises(db, actor, { active: 'true', page, pageSize: 100 }))).filter((e) => inUnit(c, e.officeId));
    await ownAudit(db, actor, 'enterprises', c, items.length);
    const data = await workbookOf((wb) =>
      sheet(
        wb,
        '企业台账',
        [
          { header: '序号', width: 6 },
          { header: '企业名称', width: 30 },
          { header: '统一社会信用代码', width: 22 },
          { header: '企业类型', width: 12 },
          { header: '行业', width: 14 },
          { header: '区县', width: 12 },
          { header: '地址', width: 30 },
          { header: '联系人', width: 20 },
          { header: '主管科室', width: 16 },
        ],
        items.map((e, i) => [i + 1, e.name, e.creditCode, enterpriseTypeZh[e.type] ?? e.type, e.industry, e.district, e.address, e.contacts.map((x) => x.name).join('、'), e.officeName]),
      ),
    );
    return { fileName: `企业台账-${fileDate(c)}.xlsx`, data };
  },
  cases: async (db, actor, c) => {
    const items = (await allPages((page) => listCases(db, actor, { from: c.from, to: c.to, page, pageSize: 100 })))
      .filter((x) => inUnit(c, x.officeId))
      .sort((a, b) => a.raisedOn.localeCompare(b.raisedOn));
    await ownAudit(db, actor, 'cases', c, items.length);
    const data = await workbookOf((wb) =>
      sheet(
        wb,
        '服务事项台账',
        [
          { header: '序号', width: 6 },
          { header: '受理日期', width: 12 },
          { header: '提出方', width: 24 },
          { header: '提出方类型', width: 10 },
          { header: '项目', width: 20 },
          { header: '诉求', width: 40 },
          { header: '类别', width: 12 },
          { header: '协调部门', width: 24 },
          { header: '状态', width: 10 },
          { header: '办理结果', width: 30 },
          { header: '办结日期', width: 12 },
          { header: '满意度', width: 10 },
        ],
        items.map((x, i) => [
          i + 1,
          x.raisedOn,
          x.requesterName,
          x.requesterType === 'enterprise' ? '企业' : '统战成员',
          x.project,
          x.problem,
          x.category,
          x.departments.join('、'),
          caseStatusZh[x.status] ?? x.status,
          x.result,
          x.closedOn,
          x.satisfaction ? (satisfactionZh[x.satisfaction] ?? x.satisfaction) : null,
        ]),
      ),
    );
    return { fileName: `服务事项台账-${fileDate(c)}.xlsx`, data };
  },
  integrity: async (db, actor, c) => {
    const risks = (await allPages((page) => listRisks(db, actor, { page, pageSize: 100 }))).filter((r) => inUnit(c, r.officeId));
    const rules = (await listRules(db, actor)).items.filter((r) => inUnit(c, r.officeId));
    await ownAudit(db, actor, 'integrity', c, risks.length + rules.length);
    const inPeriod = (d: string) => d >= c.from && d <= c.to;
    const data = await workbookOf((wb) => {
      sheet(
        wb,
        '廉政风险点台账',
        [
          { header: '序号', width: 6 },
          { header: '科室', width: 16 },
          { header: '岗位职责', width: 24 },
          { header: '风险点', width: 40 },
          { header: '风险等级', width: 8 },
          { header: '防控措施', width: 40 },
          { header: '责任人', width: 10 },
          { header: '复核期限', width: 12 },
          { header: '最近复核', width: 12 },
          { header: '逾期', width: 6 },
        ],
        risks.map((r, i) => [i + 1, r.officeName, r.duty, r.risk, riskLevelZh[r.level] ?? r.level, r.controls, r.ownerName, r.reviewDueOn, r.lastReviewedOn, r.overdue ? '是' : '否']),
      );
      sheet(
        wb,
        '制度台账',
        [
          { header: '序号', width: 6 },
          { header: '制度名称', width: 30 },
          { header: '现行版本', width: 8 },
          { header: '最近修订日期', width: 14 },
          { header: '本期修订次数', width: 12 },
          { header: '修订记录', width: 60 },
        ],
        rules.map((r, i) => {
          const versions = [...r.versions].sort((a, b) => a.versionNo - b.versionNo);
          return [
            i + 1,
            r.title,
            r.currentVersion,
            versions.at(-1)?.revisedOn ?? null,
            versions.filter((v) => v.versionNo > 1 && inPeriod(v.revisedOn)).length,
            versions.map((v) => `第${v.versionNo}版 ${v.revisedOn} ${v.summary}`).join('\n'),
          ];
        }),
      );
    });
    return { fileName: `廉政风险点和制度台账-${fileDate(c)}.xlsx`, data };
  },
  publicity: async (db, actor, c) => {
    // a ledger reads in date order; the area's list shows the newest first
    const items = (await listWithCounts(db, actor, c.from, c.to)).items.filter((x) => inUnit(c, x.officeId)).sort((a, b) => a.publishedOn.localeCompare(b.publishedOn));
    await ownAudit(db, actor, 'publicity', c, items.length);
    const data = await workbookOf((wb) =>
      sheet(
        wb,
        '宣传信息台账',
        [
          { header: '序号', width: 6 },
          { header: '刊发日期', width: 12 },
          { header: '标题', width: 40 },
          { header: '渠道', width: 14 },
          { header: '刊发媒体', width: 20 },
          { header: '采用级别', width: 10 },
          { header: '链接', width: 40 },
        ],
        items.map((x, i) => [i + 1, x.publishedOn, x.title, channelZh[x.channel] ?? x.channel, x.outlet, x.adoptedLevel ? (adoptedZh[x.adoptedLevel] ?? x.adoptedLevel) : null, x.link]),
      ),
    );
    return { fileName: `宣传信息台账-${fileDate(c)}.xlsx`, data };
  },
};

async function contextOf(db: Db, actor: Actor, q: LedgerQuery): Promise<Context> {
  requirePermission(actor, 'reports.read');
  if (!q.unitId) return { ...q, unitIds: null, unitType: null };
  const unitId = q.unitId;
  return inTenant(db, actor.tenantId, async (tx) => {
    const unit = await findUnit(tx, actor.tenantId, unitId);
    if (!unit) throw new AppError('NOT_FOUND', [{ path: 'unitId', problem: 'unknown unit' }]);
    return { ...q, unitIds: new Set(await unitSubtreeIds(tx, actor.tenantId, unit.path)), unitType: unit.type };
  });
}

/** The areas whose ledger this viewer may export. */
export function ledgerAreasOf(actor: Actor): LedgerArea[] {
  return ledgerAreas.filter((a) => hasPermission(actor, ledgerAreaInfo[a].permission));
}

/** One area's ledger; the area's own permission is checked by its export (FORBIDDEN without it). */
export async function areaLedger(db: Db, actor: Actor, area: LedgerArea, q: LedgerQuery): Promise<Built> {
  const c = await contextOf(db, actor, q);
  if (!hasPermission(actor, ledgerAreaInfo[area].permission)) throw new AppError('FORBIDDEN');
  return builders[area](db, actor, c);
}

/** Copies a sheet's columns, cells with their styles, and merged ranges. */
function copySheet(dst: ExcelJS.Workbook, src: ExcelJS.Worksheet, name: string): number {
  const ws = dst.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = src.columns.map((c) => ({ width: c.width ?? 12 }));
  src.eachRow({ includeEmpty: false }, (row, n) => {
    const to = ws.getRow(n);
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      const d = to.getCell(col);
      d.value = cell.value;
      d.style = { ...cell.style };
    });
  });
  for (const m of src.model.merges) ws.mergeCells(m);
  return Math.max(0, src.actualRowCount - 1);
}

/**
 * The combined workbook of a period: a note sheet (period, unit, sheets with their row counts,
 * areas left out for want of permission), then the sheets of every area the viewer may export.
 */
export async function combinedLedger(db: Db, actor: Actor, q: LedgerQuery): Promise<{ fileName: string; data: Buffer }> {
  const c = await contextOf(db, actor, q);
  const areas = ledgerAreasOf(actor);
  const wb = new ExcelJS.Workbook();
  wb.creator = '同心';
  const note = wb.addWorksheet('说明');
  note.columns = [{ width: 24 }, { width: 14 }, { width: 40 }];
  const unitName = q.unitId ? ((await inTenant(db, actor.tenantId, (tx) => findUnit(tx, actor.tenantId, q.unitId ?? '')))?.name ?? '') : '全部（本人管理范围）';
  note.addRow(['工作台账汇总']).font = { bold: true, size: 14 };
  note.addRow(['期间', `${c.from} 至 ${c.to}`]);
  note.addRow(['单位', unitName]);
  note.addRow([]);
  note.addRow(['工作表', '记录数', '说明']).font = { bold: true };
  for (const area of areas) {
    const built = await builders[area](db, actor, c);
    const data = Buffer.isBuffer(built.data) ? built.data : await buffer(built.data);
    const src = new ExcelJS.Workbook();
    await src.xlsx.load(data as unknown as ArrayBuffer);
    src.worksheets.forEach((s, i) => {
      const name = ledgerSheetNames[area][i] ?? s.name;
      const rows = copySheet(wb, s, name);
      note.addRow([name, rows, area === 'problems' ? '问题清单为累计台账（含以前期间尚未整改的问题），每项措施一行' : area === 'points' ? `${c.to.slice(0, 4)}年度总评` : '']);
    });
  }
  const missing = ledgerAreas.filter((a) => !areas.includes(a));
  if (missing.length) note.addRow(['未包含（无相应权限）', missing.length, missing.map((a) => ledgerAreaInfo[a].nameZh).join('、')]);
  await inTenant(db, actor.tenantId, (tx) => audit(tx, actor, 'reports.ledger.export', null, { area: 'combined', areas, from: c.from, to: c.to, unitId: c.unitId ?? null }));
  return { fileName: `工作台账汇总-${fileDate(c)}.xlsx`, data: Buffer.from(await wb.xlsx.writeBuffer()) };
}
