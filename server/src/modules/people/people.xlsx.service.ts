import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import {
  DateSchema,
  IdNumberSchema,
  PhoneSchema,
  limits,
  type CommitteeRoleSchema,
  type CreatePersonRequest,
  type ErrorDetail,
  type GenderSchema,
  type PartyStatusSchema,
  type PeopleListQuery,
} from '@tongxin/contracts';
import type { z } from 'zod';
import type { Db } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { hasPermission, inScope, requirePermission, scopeOf, type Actor, type Scope } from '../../platform/access';
import { audit } from '../audit/audit.service';
import { XLSX_DATE_FORMAT, shanghaiDate, streamSheet } from '../../platform/xlsx';
import { alignUtf8 } from '../../platform/xlsx-import';
import { blindIndex, decrypt } from '../../platform/crypto';
import { inTenant, tenantRunner } from '../../platform/db/tenant';
import { listUnits, type OrgUnitRow } from '../org/org.repo';
import { countPeople, existingIdNumberHashes, insertPeople, iteratePeople, lockPeopleImport, type PersonInsert, type PersonListRow } from './people.repo';
import { fieldsOfCreate, peopleFilterOf, personInScope, personProblems, referenceProblems, sealedRow, type PersonFields } from './people.service';
import { withCheckDigit } from './people.mask';

type Gender = z.infer<typeof GenderSchema>;
type PartyStatus = z.infer<typeof PartyStatusSchema>;
type CommitteeRole = z.infer<typeof CommitteeRoleSchema>;

// ---- the sheet layout, shared by the template, the import and the export ----

type ColumnKey =
  | 'name'
  | 'gender'
  | 'birthDate'
  | 'ethnicity'
  | 'phone'
  | 'idNumber'
  | 'office'
  | 'partyStatus'
  | 'partyJoinedOn'
  | 'fullMemberOn'
  | 'branch'
  | 'group'
  | 'committeeRole'
  | 'isLeader';

type Column = { key: ColumnKey; label: string; required: boolean; width: number; help: string; format?: 'text' | 'date' };

const genderLabels: Record<Gender, string> = { male: '男', female: '女' };
const statusLabels: Record<PartyStatus, string> = { full: '正式党员', probationary: '预备党员', none: '群众' };
const roleLabels: Record<CommitteeRole, string> = {
  secretary: '书记',
  deputy_secretary: '副书记',
  organization: '组织委员',
  publicity: '宣传委员',
  discipline: '纪检委员',
};
const yesNo = { yes: '是', no: '否' } as const;

const COLUMNS: readonly Column[] = [
  { key: 'name', label: '姓名', required: true, width: 12, help: `不超过 ${limits.nameMax} 个字` },
  { key: 'gender', label: '性别', required: true, width: 8, help: '男 或 女' },
  { key: 'birthDate', label: '出生日期', required: false, width: 13, format: 'date', help: 'YYYY-MM-DD，如 1990-01-31；也可填 Excel 日期' },
  { key: 'ethnicity', label: '民族', required: false, width: 10, help: `如 汉族；不超过 ${limits.ethnicityMax} 个字` },
  { key: 'phone', label: '手机号码', required: false, width: 15, format: 'text', help: '11 位手机号码' },
  { key: 'idNumber', label: '身份证号', required: false, width: 22, format: 'text', help: '18 位居民身份证号，校验位须正确；请以文本格式填写，不得与已有人员或本表其他行重复' },
  { key: 'office', label: '所在科室', required: true, width: 18, help: '科室名称，须为下方列出的有效科室，且在您的管理范围内' },
  { key: 'partyStatus', label: '政治面貌', required: true, width: 11, help: '正式党员、预备党员 或 群众' },
  { key: 'partyJoinedOn', label: '入党日期', required: false, width: 13, format: 'date', help: '党员填写；格式同出生日期' },
  { key: 'fullMemberOn', label: '转正日期', required: false, width: 13, format: 'date', help: '正式党员填写，不得早于入党日期；预备党员不填' },
  { key: 'branch', label: '所在支部', required: false, width: 18, help: '党员填写；党支部名称，须为下方列出的有效支部' },
  { key: 'group', label: '所在党小组', required: false, width: 22, help: '党小组名称；名称在支部内唯一时可只写小组名，否则写 “支部名/小组名”；须同时填写所在支部' },
  { key: 'committeeRole', label: '支部委员职务', required: false, width: 13, help: '书记、副书记、组织委员、宣传委员 或 纪检委员；非支部委员不填' },
  { key: 'isLeader', label: '是否部领导', required: false, width: 11, help: '是 或 否，不填视为 否' },
];

const headerOf = (c: Column) => (c.required ? `${c.label}*` : c.label);
const labelOf = (key: ColumnKey) => COLUMNS.find((c) => c.key === key)?.label ?? key;

/** The example row of the template is skipped on import, so a user who forgets to delete it imports nothing fake. */
const EXAMPLE_NAME = '张三（示例）';
const DATA_SHEET = '人员';
const HELP_SHEET = '说明';
/** Dropdowns cover every row an import may have. */
const LAST_DATA_ROW = limits.importMaxRows + 1;
const MAX_DETAILS = 500;
const INSERT_BATCH = 1000;

// ---- template ----

export async function buildImportTemplate(db: Db, actor: Actor & { tenantName?: string }): Promise<Buffer> {
  requirePermission(actor, 'people.import');
  const units = await inTenant(db, actor.tenantId, (tx) => listUnits(tx, actor.tenantId, false));
  const offices = units.filter((u) => u.type === 'office' || u.type === 'department');
  const branches = units.filter((u) => u.type === 'branch');
  const byId = new Map(units.map((u) => [u.id, u]));
  const groups = units.flatMap((group) => {
    const branch = group.type === 'party_group' && group.parentId ? byId.get(group.parentId) : undefined;
    return branch?.type === 'branch' ? [{ group, branch }] : [];
  });

  const wb = new ExcelJS.Workbook();
  wb.creator = '同心';
  const ws = wb.addWorksheet(DATA_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = COLUMNS.map((c) => ({
    header: headerOf(c),
    key: c.key,
    width: c.width,
    // text format keeps ID numbers from turning into 1.1E+17 and phone numbers into numbers
    style: c.format === 'text' ? { numFmt: '@' } : c.format === 'date' ? { numFmt: XLSX_DATE_FORMAT } : {},
  }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: c.required ? 'FFFCE4D6' : 'FFEDEDED' } };
    cell.note = c.help;
  });

  const exampleOffice = offices.find((u) => u.type === 'office') ?? offices[0];
  const exampleGroup = groups[0];
  const exampleBranch = exampleGroup?.branch ?? branches[0];
  ws.addRow({
    name: EXAMPLE_NAME,
    gender: genderLabels.male,
    birthDate: utcDate('1990-01-01'),
    ethnicity: '汉族',
    phone: '13800000000',
    idNumber: withCheckDigit('11010519900101001'),
    office: exampleOffice?.name ?? '办公室',
    partyStatus: statusLabels.full,
    partyJoinedOn: utcDate('2015-07-01'),
    fullMemberOn: utcDate('2016-07-01'),
    branch: exampleBranch?.name ?? '机关第一党支部',
    group: exampleGroup?.group.name ?? '第一党小组',
    committeeRole: '',
    isLeader: yesNo.no,
  }).font = { italic: true, color: { argb: 'FF808080' } };

  const lists: [ColumnKey, string[]][] = [
    ['gender', Object.values(genderLabels)],
    ['partyStatus', Object.values(statusLabels)],
    ['committeeRole', Object.values(roleLabels)],
    ['isLeader', [yesNo.yes, yesNo.no]],
  ];
  for (const [key, values] of lists) {
    const col = ws.getColumn(key).letter;
    // exceljs has range validations at run time but not in its typings
    (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(
      `${col}2:${col}${LAST_DATA_ROW}`,
      {
        type: 'list',
        allowBlank: true,
        formulae: [`"${values.join(',')}"`],
        showErrorMessage: true,
        errorStyle: 'stop',
        errorTitle: labelOf(key),
        error: `请从下拉列表中选择：${values.join('、')}`,
      },
    );
  }

  const help = wb.addWorksheet(HELP_SHEET);
  help.columns = [{ width: 16 }, { width: 8 }, { width: 90 }];
  help.addRow([`${actor.tenantName ?? ''}人员导入模板说明`]).font = { bold: true, size: 14 };
  const intro = help.addRow([
    `在“${DATA_SHEET}”表第 2 行起每行填写一人；第 1 行表头不要修改。姓名为“${EXAMPLE_NAME}”的示例行导入时自动忽略，可覆盖或删除。空行忽略。` +
      `文件不超过 ${Math.round(limits.importMaxBytes / 1024 / 1024)} MB、${limits.importMaxRows} 行；任一行有错误时整个文件都不导入，并列出全部错误所在的行和列。`,
  ]);
  help.mergeCells(intro.number, 1, intro.number, 3);
  intro.alignment = { wrapText: true, vertical: 'top' };
  intro.height = 48;
  help.addRow([]);
  help.addRow(['列名', '必填', '填写说明']).font = { bold: true };
  for (const c of COLUMNS) help.addRow([c.label, c.required ? '是' : '', c.help]);
  const section = (title: string, names: string[]) => {
    help.addRow([]);
    help.addRow([title]).font = { bold: true };
    if (names.length === 0) help.addRow(['（暂无）']);
    for (const n of names) help.addRow([n]);
  };
  section('可填写的科室', offices.map((u) => u.name));
  section('可填写的党支部', branches.map((u) => u.name));
  section('可填写的党小组（支部名/小组名）', groups.map(({ group, branch }) => `${branch.name}/${group.name}`));

  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---- reading a workbook ----

type Cell = string | number | boolean | Date;
type RawRow = { row: number; cells: Partial<Record<ColumnKey, Cell>> };

/** A file that stops yielding rows for this long is treated as unreadable (see readRows). */
const STALL_MS = 30_000;

/**
 * Reads the data sheet row by row with exceljs's streaming reader: for 50,000 rows it
 * peaked at ~190 MB RSS against ~480 MB for the full-workbook loader, and it lets us stop
 * as soon as the row limit is passed instead of materialising a sheet of any length.
 */
async function readRows(data: Buffer): Promise<RawRow[]> {
  // a zip local-file header: every XLSX starts with it
  if (data.length < 4 || data.readUInt32LE(0) !== 0x04034b50) throw new AppError('UNSUPPORTED_FILE');
  let lastProgress = Date.now();
  const progress = () => {
    lastProgress = Date.now();
  };
  let timer: NodeJS.Timeout | undefined;
  // some corrupt zips make exceljs's reader wait forever on an entry that never ends (it
  // pipes the entry to a temp file without error handling); give up rather than hang
  const stalled = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      if (Date.now() - lastProgress > STALL_MS) reject(new AppError('UNSUPPORTED_FILE'));
    }, 1000);
  });
  try {
    return await Promise.race([parseRows(data, progress), stalled]);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('UNSUPPORTED_FILE');
  } finally {
    clearInterval(timer);
  }
}

async function parseRows(data: Buffer, progress: () => void): Promise<RawRow[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([data]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // styles tell real dates from plain numbers
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  // without this, a Chinese character split across two inflated chunks becomes U+FFFD
  alignUtf8(reader);
  let sheetSeen = false;
  const rows: RawRow[] = [];
  for await (const sheet of reader) {
    progress();
    // the first sheet that is not the help sheet holds the data; other sheets are drained unread
    if (sheetSeen || (sheet as unknown as { name?: string }).name === HELP_SHEET) continue;
    sheetSeen = true;
    let columns: Map<number, ColumnKey> | undefined;
    for await (const row of sheet) {
      progress();
      if (!columns) {
        columns = headerColumns(row.number === 1 ? row : undefined);
        if (row.number === 1) continue;
      }
      const cells: RawRow['cells'] = {};
      let blank = true;
      for (const [index, key] of columns) {
        const v = cellOf(row.getCell(index).value);
        if (v === null) continue;
        cells[key] = v;
        blank = false;
      }
      if (blank || cells.name === EXAMPLE_NAME) continue;
      if (rows.length >= limits.importMaxRows) {
        throw new AppError('VALIDATION_FAILED', [{ path: 'file', problem: `超过 ${limits.importMaxRows} 行的上限` }]);
      }
      rows.push({ row: row.number, cells });
    }
    if (!columns) headerColumns(undefined);
  }
  if (!sheetSeen) throw new AppError('UNSUPPORTED_FILE');
  return rows;
}

/** Maps the header row (row 1) to columns by name, so reordered or extra columns still work. */
function headerColumns(row: ExcelJS.Row | undefined): Map<number, ColumnKey> {
  const byLabel = new Map(COLUMNS.map((c) => [c.label, c.key]));
  const found = new Map<number, ColumnKey>();
  const seen = new Set<ColumnKey>();
  const problems: ErrorDetail[] = [];
  row?.eachCell((cell, index) => {
    const text = cellOf(cell.value);
    if (typeof text !== 'string') return;
    const key = byLabel.get(text.replace(/[*＊\s]/g, ''));
    if (!key) return;
    if (seen.has(key)) problems.push({ row: 1, column: labelOf(key), problem: '表头重复' });
    seen.add(key);
    found.set(index, key);
  });
  for (const c of COLUMNS) {
    if (c.required && !seen.has(c.key)) problems.push({ row: 1, column: c.label, problem: '缺少必填列（第 1 行须为模板表头）' });
  }
  if (problems.length > 0) throw new AppError('IMPORT_INVALID', problems);
  return found;
}

/** A cell's value as text, number, boolean or date; null when empty. */
function cellOf(v: ExcelJS.CellValue): Cell | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if ('richText' in v) return cellOf(v.richText.map((r) => r.text).join(''));
  if ('hyperlink' in v) return cellOf(v.text);
  if ('error' in v) return v.error;
  return v.result === undefined ? null : cellOf(v.result);
}

// ---- validating rows ----

/** personProblems/referenceProblems speak English to developers; the import reports to users in Chinese. */
const problemZh: Record<string, string> = {
  'check digit does not match': '身份证号校验位不正确',
  'only Party members have this': '政治面貌为群众时不应填写此项',
  'a probationary member has no full-membership date yet': '预备党员不应填写转正日期',
  'a Party group needs a branch': '填写党小组时须填写所在支部',
  'a committee role needs a branch': '填写支部委员职务时须填写所在支部',
  'earlier than the date of joining': '转正日期早于入党日期',
  'in the future': '日期晚于今天',
  'not an active office': '不是有效的科室',
  'not an active Party branch': '不是有效的党支部',
  'not an active Party group': '不是有效的党小组',
  'the group is not in this branch': '该党小组不属于所填支部',
};
const columnOfPath: Record<string, ColumnKey> = {
  name: 'name',
  birthDate: 'birthDate',
  idNumber: 'idNumber',
  officeId: 'office',
  partyJoinedOn: 'partyJoinedOn',
  fullMemberOn: 'fullMemberOn',
  branchId: 'branch',
  groupId: 'group',
  committeeRole: 'committeeRole',
};

type Units = {
  byId: Map<string, OrgUnitRow>;
  offices: Map<string, OrgUnitRow[]>;
  branches: Map<string, OrgUnitRow[]>;
  groups: Map<string, OrgUnitRow[]>;
};

function indexUnits(active: OrgUnitRow[]): Units {
  const add = (m: Map<string, OrgUnitRow[]>, u: OrgUnitRow) => m.set(u.name, [...(m.get(u.name) ?? []), u]);
  const units: Units = { byId: new Map(), offices: new Map(), branches: new Map(), groups: new Map() };
  for (const u of active) {
    units.byId.set(u.id, u);
    if (u.type === 'office' || u.type === 'department') add(units.offices, u);
    else if (u.type === 'branch') add(units.branches, u);
    else if (u.type === 'party_group') add(units.groups, u);
  }
  return units;
}

/** Collects problems, at most one per cell, keeping the first MAX_DETAILS but counting all. */
class Problems {
  readonly details: ErrorDetail[] = [];
  total = 0;
  private cells = new Set<string>();
  add(row: number, key: ColumnKey, problem: string) {
    const cell = `${row}:${key}`;
    if (this.cells.has(cell)) return;
    this.cells.add(cell);
    this.total += 1;
    if (this.details.length < MAX_DETAILS) this.details.push({ row, column: labelOf(key), problem });
  }
  has(row: number, key: ColumnKey) {
    return this.cells.has(`${row}:${key}`);
  }
  list(): ErrorDetail[] {
    if (this.total <= MAX_DETAILS) return this.details;
    return [...this.details.slice(0, MAX_DETAILS - 1), { problem: `另有 ${this.total - (MAX_DETAILS - 1)} 处错误未列出` }];
  }
}

function text(cell: Cell | undefined): string | null {
  if (cell === undefined) return null;
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return String(cell);
}

function lookup<T extends string>(labels: Record<T, string>, cell: Cell | undefined): T | undefined {
  const t = text(cell);
  return (Object.keys(labels) as T[]).find((k) => labels[k] === t);
}

/** An Excel date, or text as YYYY-MM-DD (also with / or . and without leading zeros). */
function dateOf(cell: Cell): string | undefined {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? undefined : cell.toISOString().slice(0, 10);
  if (typeof cell !== 'string') return undefined;
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(cell);
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]?.padStart(2, '0')}-${m[3]?.padStart(2, '0')}`;
  return DateSchema.safeParse(iso).success ? iso : undefined;
}

function utcDate(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

type Validated = { fields: PersonFields[]; problems: Problems };

function validateRows(rows: RawRow[], units: Units, scope: Scope, existingIds: Set<string>): Validated {
  const problems = new Problems();
  const fields: PersonFields[] = [];
  const firstRowOfId = new Map<string, number>();

  for (const { row, cells } of rows) {
    const bad = (key: ColumnKey, problem: string) => problems.add(row, key, problem);

    const name = text(cells.name);
    if (!name) bad('name', '必填');
    else if (name.length > limits.nameMax) bad('name', `不能超过 ${limits.nameMax} 个字`);

    const gender = lookup(genderLabels, cells.gender);
    if (cells.gender === undefined) bad('gender', '必填');
    else if (!gender) bad('gender', '应为 男 或 女');

    const partyStatus = lookup(statusLabels, cells.partyStatus);
    if (cells.partyStatus === undefined) bad('partyStatus', '必填');
    else if (!partyStatus) bad('partyStatus', '应为 正式党员、预备党员 或 群众');

    const dates: Partial<Record<'birthDate' | 'partyJoinedOn' | 'fullMemberOn', string>> = {};
    for (const key of ['birthDate', 'partyJoinedOn', 'fullMemberOn'] as const) {
      const cell = cells[key];
      if (cell === undefined) continue;
      const d = dateOf(cell);
      if (d) dates[key] = d;
      else bad(key, '日期格式应为 YYYY-MM-DD');
    }

    const ethnicity = text(cells.ethnicity);
    if (ethnicity && ethnicity.length > limits.ethnicityMax) bad('ethnicity', `不能超过 ${limits.ethnicityMax} 个字`);

    let phone: string | null = null;
    if (cells.phone !== undefined) {
      const p = PhoneSchema.safeParse(text(cells.phone));
      if (p.success) phone = p.data;
      else bad('phone', '应为 11 位手机号码');
    }

    let idNumber: string | null = null;
    if (typeof cells.idNumber === 'number') {
      bad('idNumber', '请以文本格式填写（数字格式会丢失末几位）');
    } else if (cells.idNumber !== undefined) {
      const p = IdNumberSchema.safeParse(text(cells.idNumber));
      if (!p.success) bad('idNumber', '应为 18 位身份证号');
      else {
        idNumber = p.data;
        const first = firstRowOfId.get(idNumber);
        if (first !== undefined) bad('idNumber', `与第 ${first} 行的身份证号重复`);
        else firstRowOfId.set(idNumber, row);
        if (existingIds.has(idNumber)) bad('idNumber', '已有人员使用此身份证号');
      }
    }

    const office = unique(units.offices, text(cells.office), '科室');
    if (cells.office === undefined) bad('office', '必填');
    else if (typeof office === 'string') bad('office', office);

    const branchName = text(cells.branch);
    const branch = branchName ? unique(units.branches, branchName, '党支部') : undefined;
    if (typeof branch === 'string') bad('branch', branch);
    const branchId = typeof branch === 'object' ? branch.id : null;

    const groupName = text(cells.group);
    const group = groupName ? resolveGroup(units, groupName, branchId) : undefined;
    if (typeof group === 'string') bad('group', group);

    const committeeRole = lookup(roleLabels, cells.committeeRole);
    if (cells.committeeRole !== undefined && !committeeRole) bad('committeeRole', '应为 书记、副书记、组织委员、宣传委员 或 纪检委员');

    let isLeader = false;
    if (cells.isLeader !== undefined) {
      const v = text(cells.isLeader);
      if (cells.isLeader === true || v === yesNo.yes) isLeader = true;
      else if (cells.isLeader !== false && v !== yesNo.no) bad('isLeader', '应为 是 或 否');
    }

    // Placeholders stand in for cells that already have a problem: the row is rejected
    // anyway, and the shared rules still report the row's other problems.
    const request: CreatePersonRequest = {
      name: name ?? '',
      gender: gender ?? 'male',
      birthDate: dates.birthDate ?? null,
      ethnicity,
      phone,
      idNumber,
      officeId: typeof office === 'object' ? office.id : '',
      partyStatus: partyStatus ?? 'full',
      partyJoinedOn: dates.partyJoinedOn ?? null,
      fullMemberOn: dates.fullMemberOn ?? null,
      branchId,
      groupId: typeof group === 'object' ? group.id : null,
      committeeRole: committeeRole ?? null,
      isLeader,
    };
    const f = fieldsOfCreate(request);
    // a wrong branch name would otherwise also make its group and committee role look wrong
    const branchBad = problems.has(row, 'branch');
    const report = (p: ErrorDetail) => {
      const key = columnOfPath[p.path ?? ''];
      if (key && !(branchBad && (key === 'group' || key === 'committeeRole'))) bad(key, problemZh[p.problem] ?? p.problem);
    };
    personProblems(f).forEach(report);
    if (typeof office === 'object') {
      referenceProblems(f, units.byId).forEach(report);
      // same rule as a single create: the office or the branch must lie in the actor's scope
      const paths = [office.path, typeof branch === 'object' ? branch.path : undefined];
      if (!paths.some((p) => p !== undefined && inScope(scope, p))) bad('office', '科室和支部均不在您的导入权限范围内');
    }
    fields.push(f);
  }
  return { fields, problems };
}

/** The one active unit of that name, or why there is none. */
function unique(byName: Map<string, OrgUnitRow[]>, name: string | null, kind: string): OrgUnitRow | string | undefined {
  if (!name) return undefined;
  const found = byName.get(name) ?? [];
  if (found.length === 1) return found[0];
  return found.length === 0 ? `没有名为“${name}”的有效${kind}` : `有多个名为“${name}”的${kind}，请联系管理员区分名称`;
}

/**
 * A group is named "支部名/小组名", or by its name alone: first within the row's branch,
 * then anywhere (a group found elsewhere is left to referenceProblems to report).
 */
function resolveGroup(units: Units, name: string, branchId: string | null): OrgUnitRow | string {
  const candidates = units.groups.get(name) ?? [];
  const slash = name.lastIndexOf('/');
  if (candidates.length === 0 && slash > 0) {
    const branchName = name.slice(0, slash).trim();
    const groupName = name.slice(slash + 1).trim();
    const inBranch = (units.groups.get(groupName) ?? []).filter((g) => {
      const parent = g.parentId ? units.byId.get(g.parentId) : undefined;
      return parent?.type === 'branch' && parent.name === branchName;
    });
    if (inBranch.length === 1 && inBranch[0]) return inBranch[0];
    return inBranch.length === 0 ? `党支部“${branchName}”下没有名为“${groupName}”的有效党小组` : `有多个“${name}”，请联系管理员区分名称`;
  }
  const inRowBranch = candidates.filter((g) => g.parentId === branchId);
  if (branchId && inRowBranch.length === 1 && inRowBranch[0]) return inRowBranch[0];
  if (candidates.length === 1 && candidates[0]) return candidates[0];
  if (candidates.length === 0) return `没有名为“${name}”的有效党小组`;
  return branchId && inRowBranch.length === 0 ? '该党小组不属于所填支部' : `有多个名为“${name}”的党小组，请写成“支部名/小组名”`;
}

// ---- import ----

export type Upload = { fileName: string; data: Buffer };

/**
 * All or nothing: every row is checked, every problem reported with its Excel row and
 * column, and only a file without problems is inserted, in one transaction.
 */
export async function importPeople(db: Db, actor: Actor, upload: Upload): Promise<{ imported: number }> {
  const scope = requirePermission(actor, 'people.import');
  const fileName = upload.fileName.slice(0, 255);
  try {
    const rows = await readRows(upload.data);
    if (rows.length === 0) throw new AppError('IMPORT_INVALID', [{ problem: '文件中没有可导入的数据行' }]);
    return await inTenant(db, actor.tenantId, async (tx) => {
      // two imports of one tenant (a double submit) must see each other's ID numbers
      await lockPeopleImport(tx, actor.tenantId);
      const units = indexUnits(await listUnits(tx, actor.tenantId, false));
      const ids = rows.flatMap(({ cells }) => {
        const p = typeof cells.idNumber === 'string' ? IdNumberSchema.safeParse(cells.idNumber) : undefined;
        return p?.success ? [p.data] : [];
      });
      // stored ID numbers are encrypted: compare keyed hashes, then map back to the file's values
      const byHash = new Map(ids.map((id) => [blindIndex(id), id]));
      const existingHashes = await existingIdNumberHashes(tx, actor.tenantId, [...byHash.keys()]);
      const existing = new Set([...existingHashes].flatMap((h) => byHash.get(h) ?? []));
      const { fields, problems } = validateRows(rows, units, scope, existing);
      if (problems.total > 0) throw new AppError('IMPORT_INVALID', problems.list());
      for (let i = 0; i < fields.length; i += INSERT_BATCH) {
        const batch: PersonInsert[] = fields.slice(i, i + INSERT_BATCH).map((f) => ({ ...sealedRow(f), tenantId: actor.tenantId }));
        await insertPeople(tx, batch);
      }
      await audit(tx, actor, 'people.import', { type: 'person' }, { fileName, rows: fields.length });
      return { imported: fields.length };
    });
  } catch (e) {
    if (e instanceof AppError) {
      // a rejected import changed nothing, but who tried to load what is still worth a trace
      const details = { fileName, error: e.code, problems: e.details?.length ?? 0 };
      await inTenant(db, actor.tenantId, (tx) => audit(tx, actor, 'people.import', { type: 'person' }, details, 'failed'));
    }
    throw e;
  }
}

// ---- export ----


export type ExportQuery = Omit<PeopleListQuery, 'page' | 'pageSize'>;

/**
 * Audits, then streams the filtered list as XLSX. The audit row is written before the
 * first byte leaves, so no export goes unrecorded even if the client aborts.
 */
export async function exportPeople(db: Db, actor: Actor, query: ExportQuery): Promise<{ fileName: string; stream: Readable }> {
  const scope = requirePermission(actor, 'people.export');
  const revealScope = hasPermission(actor, 'people.reveal') ? scopeOf(actor, 'people.reveal') : null;
  const filter = await inTenant(db, actor.tenantId, async (tx) => {
    const f = await peopleFilterOf(tx, actor, scope, query);
    const rows = await countPeople(tx, f);
    await audit(tx, actor, 'people.export', { type: 'person' }, { rows, filters: query, fullValues: revealScope !== null });
    return f;
  });
  const columns = [
    ...COLUMNS.map((c) => ({ header: c.label, width: c.width, ...(c.format === 'date' ? { numFmt: XLSX_DATE_FORMAT } : {}) })),
    { header: '状态', width: 8 },
  ];
  return { fileName: `人员名单-${shanghaiDate()}.xlsx`, stream: streamSheet('人员名单', columns, exportRows(iteratePeople(tenantRunner(db, actor.tenantId), filter), revealScope)) };
}

async function* exportRows(batches: AsyncGenerator<PersonListRow[]>, revealScope: Scope | null) {
  for await (const batch of batches) {
    yield batch.map((r) => {
      const full = revealScope !== null && personInScope(revealScope, r);
      return [
        r.name,
        genderLabels[r.gender as Gender] ?? r.gender,
        r.birthDate ? utcDate(r.birthDate) : null,
        r.ethnicity,
        full && r.phoneEnc ? decrypt(r.phoneEnc) : r.phoneMasked,
        full && r.idNumberEnc ? decrypt(r.idNumberEnc) : r.idNumberMasked,
        r.officeName,
        statusLabels[r.partyStatus as PartyStatus] ?? r.partyStatus,
        r.partyJoinedOn ? utcDate(r.partyJoinedOn) : null,
        r.fullMemberOn ? utcDate(r.fullMemberOn) : null,
        r.branchName,
        r.groupName,
        r.committeeRole ? (roleLabels[r.committeeRole as CommitteeRole] ?? r.committeeRole) : null,
        r.isLeader ? yesNo.yes : yesNo.no,
        r.active ? '在册' : '已停用',
      ];
    });
  }
}
