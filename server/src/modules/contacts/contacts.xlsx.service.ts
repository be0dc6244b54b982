import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import {
  IdNumberSchema,
  PhoneSchema,
  limits,
  ufLimits,
  type Arrangement,
  type ContactImportOptions,
  type ContactImportResult,
  type ContactsListQuery,
  type ErrorDetail,
} from '@tongxin/contracts';
import type { Db, Tx } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { hasPermission, inScope, requirePermission, scopeOf, type Actor, type Scope } from '../../platform/access';
import { audit } from '../audit/audit.service';
import { XLSX_DATE_FORMAT, shanghaiDate, streamSheet } from '../../platform/xlsx';
import { cellDate, cellText, sheetRows, RowProblems, type ImportColumn, type ImportRow } from '../../platform/xlsx-import';
import { decrypt } from '../../platform/crypto';
import { inTenant, tenantRunner } from '../../platform/db/tenant';
import { listUnits, type OrgUnitRow } from '../org/org.repo';
import { withCheckDigit } from '../people/people.mask';
import * as repo from './contacts.repo';
import {
  contactProblems,
  fieldsOfRow,
  filterOf,
  loadCatalogue,
  sealContactNumbers,
  sealedRow,
  type Catalogue,
  type ContactFields,
} from './contacts.service';

type ColumnKey =
  | 'name'
  | 'gender'
  | 'ethnicity'
  | 'birthDate'
  | 'categories'
  | 'party'
  | 'partyJoinedOn'
  | 'organisation'
  | 'post'
  | 'npc'
  | 'cppcc'
  | 'phone'
  | 'idNumber'
  | 'tags'
  | 'office'
  | 'notes';

type Column = ImportColumn<ColumnKey> & { width: number; help: string; format?: 'text' | 'date' };

const genderLabels = { male: '男', female: '女' } as const;
const levelLabels: Record<Arrangement['level'], string> = { national: '全国', provincial: '省级', city: '市级', district: '区县级', township: '乡镇级' };
const SEPARATORS = /[、,，;；\s]+/;

const COLUMNS: readonly Column[] = [
  { key: 'name', label: '姓名', required: true, width: 12, help: `不超过 ${limits.nameMax} 个字` },
  { key: 'gender', label: '性别', required: false, width: 8, help: '男 或 女' },
  { key: 'ethnicity', label: '民族', required: false, width: 10, help: '如 汉族、回族' },
  { key: 'birthDate', label: '出生日期', required: false, width: 13, format: 'date', help: 'YYYY-MM-DD 或 Excel 日期' },
  { key: 'categories', label: '类别', required: true, width: 24, help: '统战对象类别，多个用顿号分隔，须为“说明”表列出的类别' },
  { key: 'party', label: '所属党派', required: false, width: 12, help: '民主党派成员必填，须为“说明”表列出的党派' },
  { key: 'partyJoinedOn', label: '加入党派日期', required: false, width: 13, format: 'date', help: '格式同出生日期' },
  { key: 'organisation', label: '工作单位', required: false, width: 24, help: `不超过 ${ufLimits.textMax} 个字` },
  { key: 'post', label: '职务', required: false, width: 16, help: `不超过 ${ufLimits.textMax} 个字` },
  { key: 'npc', label: '人大代表', required: false, width: 10, help: `填级别：${Object.values(levelLabels).join('、')}；不是则不填` },
  { key: 'cppcc', label: '政协委员', required: false, width: 10, help: `填级别：${Object.values(levelLabels).join('、')}；不是则不填` },
  { key: 'phone', label: '手机号码', required: false, width: 15, format: 'text', help: '11 位手机号码；姓名和手机号码相同视为同一人' },
  { key: 'idNumber', label: '身份证号', required: false, width: 22, format: 'text', help: '18 位身份证号，校验位须正确，以文本格式填写；身份证号相同视为同一人' },
  { key: 'tags', label: '标签', required: false, width: 18, help: `多个用顿号分隔，每个不超过 ${ufLimits.tagMax} 个字` },
  { key: 'office', label: '主管科室', required: true, width: 16, help: '负责联系此人的科室名称，须在您的管理范围内' },
  { key: 'notes', label: '备注', required: false, width: 24, help: `不超过 ${ufLimits.notesMax} 个字` },
];

const headerOf = (c: Column) => (c.required ? `${c.label}*` : c.label);
const labelOf = (key: ColumnKey) => COLUMNS.find((c) => c.key === key)?.label ?? key;
const EXAMPLE_NAME = '李四（示例）';
const DATA_SHEET = '统战成员';
const HELP_SHEET = '说明';

// ---- template ----

export async function buildContactsTemplate(db: Db, actor: Actor): Promise<Buffer> {
  requirePermission(actor, 'unitedfront.import');
  const { units, cat } = await inTenant(db, actor.tenantId, async (tx) => ({
    units: await listUnits(tx, actor.tenantId, false),
    cat: await loadCatalogue(tx, actor.tenantId),
  }));
  const offices = units.filter((u) => u.type === 'office' || u.type === 'department');
  const categories = [...cat.categories.values()].filter((c) => c.active);
  const parties = [...cat.parties.values()].filter((p) => p.active);

  const wb = new ExcelJS.Workbook();
  wb.creator = '同心';
  const ws = wb.addWorksheet(DATA_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = COLUMNS.map((c) => ({
    header: headerOf(c),
    key: c.key,
    width: c.width,
    // text keeps ID numbers from turning into 1.1E+17
    style: c.format === 'text' ? { numFmt: '@' } : c.format === 'date' ? { numFmt: XLSX_DATE_FORMAT } : {},
  }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: c.required ? 'FFFCE4D6' : 'FFEDEDED' } };
    cell.note = c.help;
  });
  const needsParty = categories.find((c) => c.needsParty);
  ws.addRow({
    name: EXAMPLE_NAME,
    gender: genderLabels.male,
    ethnicity: '汉族',
    birthDate: new Date('1975-05-01T00:00:00Z'),
    categories: needsParty?.name ?? categories[0]?.name ?? '',
    party: needsParty ? (parties[0]?.name ?? '') : '',
    partyJoinedOn: new Date('2005-07-01T00:00:00Z'),
    organisation: '某某大学',
    post: '教授',
    npc: '',
    cppcc: levelLabels.city,
    phone: '13900000000',
    idNumber: withCheckDigit('35010219750501001'),
    tags: '重点联系',
    office: offices.find((u) => u.type === 'office')?.name ?? offices[0]?.name ?? '',
    notes: '',
  }).font = { italic: true, color: { argb: 'FF808080' } };
  const lists: [ColumnKey, string[]][] = [
    ['gender', Object.values(genderLabels)],
    ['party', parties.map((p) => p.name)],
    ['npc', Object.values(levelLabels)],
    ['cppcc', Object.values(levelLabels)],
  ];
  for (const [key, values] of lists) {
    if (values.length === 0) continue;
    const col = ws.getColumn(key).letter;
    // exceljs has range validations at run time but not in its typings
    (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(`${col}2:${col}${limits.importMaxRows + 1}`, {
      type: 'list',
      allowBlank: true,
      formulae: [`"${values.join(',')}"`],
      showErrorMessage: true,
      errorStyle: 'stop',
      errorTitle: labelOf(key),
      error: `请从下拉列表中选择：${values.join('、')}`,
    });
  }
  const help = wb.addWorksheet(HELP_SHEET);
  help.columns = [{ width: 16 }, { width: 8 }, { width: 90 }];
  help.addRow(['统战成员导入模板说明']).font = { bold: true, size: 14 };
  help.addRow([
    `在“${DATA_SHEET}”表第 2 行起每行填写一人；第 1 行表头不要修改；示例行“${EXAMPLE_NAME}”自动忽略。任一行有错误时整个文件都不导入。` +
      '与已登记成员重复（身份证号相同，或姓名和手机号码相同）的行会逐条列出，由您选择合并或跳过。',
  ]);
  help.addRow([]);
  help.addRow(['列名', '必填', '填写说明']).font = { bold: true };
  for (const c of COLUMNS) help.addRow([c.label, c.required ? '是' : '', c.help]);
  const section = (title: string, names: string[]) => {
    help.addRow([]);
    help.addRow([title]).font = { bold: true };
    for (const n of names) help.addRow([n]);
  };
  section('可填写的类别', categories.map((c) => c.name));
  section('可填写的党派', parties.map((p) => p.name));
  section('可填写的科室', offices.map((u) => u.name));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---- validating rows ----

const problemZh: Record<string, string> = {
  'at least one category': '至少填写一个类别',
  'unknown category': '类别不存在或已停用',
  'unknown party': '党派不存在或已停用',
  'only a democratic-party member has a party': '只有民主党派成员填写所属党派',
  'a democratic-party member needs a party': '民主党派成员须填写所属党派',
  'only with a party': '未填写所属党派时不应填写加入日期',
  'check digit does not match': '身份证号校验位不正确',
  'in the future': '日期晚于今天',
  'listed twice': '重复',
};
const columnOfPath: Record<string, ColumnKey> = {
  categoryIds: 'categories',
  partyId: 'party',
  partyJoinedOn: 'partyJoinedOn',
  idNumber: 'idNumber',
  birthDate: 'birthDate',
  arrangements: 'npc',
};

function byName<T extends { name: string; active: boolean }>(items: Iterable<T>): Map<string, T> {
  return new Map([...items].filter((x) => x.active).map((x) => [x.name, x]));
}

/**
 * Validates rows one at a time, as the reader streams them. Keeps only what spotting a person
 * twice in the file needs: the first row of each ID number and of each name + phone.
 */
function rowValidator(cat: Catalogue, offices: Map<string, OrgUnitRow[]>, scope: Scope, problems: RowProblems<ColumnKey>) {
  const categoriesByName = byName(cat.categories.values());
  const partiesByName = byName(cat.parties.values());
  const firstRowOfId = new Map<string, number>();
  const firstRowOfNamePhone = new Map<string, number>();
  return ({ row, cells }: ImportRow<ColumnKey>): ContactFields => {
    const bad = (key: ColumnKey, problem: string) => problems.add(row, key, problem);
    const t = (k: ColumnKey) => cellText(cells[k]);

    const name = t('name');
    if (!name) bad('name', '必填');
    else if (name.length > limits.nameMax) bad('name', `不能超过 ${limits.nameMax} 个字`);

    let gender: string | null = null;
    if (cells.gender !== undefined) {
      gender = (Object.keys(genderLabels) as (keyof typeof genderLabels)[]).find((k) => genderLabels[k] === t('gender')) ?? null;
      if (!gender) bad('gender', '应为 男 或 女');
    }
    const dates: Partial<Record<'birthDate' | 'partyJoinedOn', string>> = {};
    for (const key of ['birthDate', 'partyJoinedOn'] as const) {
      const cell = cells[key];
      if (cell === undefined) continue;
      const d = cellDate(cell);
      if (d) dates[key] = d;
      else bad(key, '日期格式应为 YYYY-MM-DD');
    }
    const categoryIds: string[] = [];
    for (const n of (t('categories') ?? '').split(SEPARATORS).filter(Boolean)) {
      const c = categoriesByName.get(n);
      if (c) categoryIds.push(c.id);
      else bad('categories', `没有名为“${n}”的类别`);
    }
    if (cells.categories === undefined) bad('categories', '必填');
    let partyId: string | null = null;
    const partyName = t('party');
    if (partyName) {
      const p = partiesByName.get(partyName);
      if (p) partyId = p.id;
      else bad('party', `没有名为“${partyName}”的党派`);
    }
    const arrangements: Arrangement[] = [];
    for (const [key, kind] of [
      ['npc', 'npc_deputy'],
      ['cppcc', 'cppcc_member'],
    ] as const) {
      const v = t(key);
      if (!v) continue;
      const level = (Object.keys(levelLabels) as Arrangement['level'][]).find((l) => levelLabels[l] === v || levelLabels[l].replace('级', '') === v);
      if (level) arrangements.push({ kind, level });
      else bad(key, `应为 ${Object.values(levelLabels).join('、')}`);
    }
    let phone: string | null = null;
    if (cells.phone !== undefined) {
      const p = PhoneSchema.safeParse(t('phone'));
      if (p.success) phone = p.data;
      else bad('phone', '应为 11 位手机号码');
    }
    let idNumber: string | null = null;
    if (typeof cells.idNumber === 'number') bad('idNumber', '请以文本格式填写（数字格式会丢失末几位）');
    else if (cells.idNumber !== undefined) {
      const p = IdNumberSchema.safeParse(t('idNumber'));
      if (p.success) idNumber = p.data;
      else bad('idNumber', '应为 18 位身份证号');
    }
    // a person twice in one file is the file's mistake: reported, never merged silently
    if (idNumber) {
      const first = firstRowOfId.get(idNumber);
      if (first !== undefined) bad('idNumber', `与第 ${first} 行的身份证号重复`);
      else firstRowOfId.set(idNumber, row);
    }
    if (name && phone) {
      const key = `${name}\u0000${phone}`;
      const first = firstRowOfNamePhone.get(key);
      if (first !== undefined) bad('phone', `与第 ${first} 行的姓名和手机号码重复`);
      else firstRowOfNamePhone.set(key, row);
    }
    const tags = [...new Set((t('tags') ?? '').split(SEPARATORS).filter(Boolean))];
    if (tags.length > ufLimits.tagsMax || tags.some((x) => x.length > ufLimits.tagMax)) bad('tags', `至多 ${ufLimits.tagsMax} 个，每个不超过 ${ufLimits.tagMax} 个字`);
    for (const key of ['organisation', 'post', 'ethnicity'] as const) {
      const v = t(key);
      if (v && v.length > (key === 'ethnicity' ? limits.ethnicityMax : ufLimits.textMax)) bad(key, '过长');
    }
    const notes = t('notes');
    if (notes && notes.length > ufLimits.notesMax) bad('notes', '过长');

    const officeName = t('office');
    let office: OrgUnitRow | undefined;
    if (!officeName) bad('office', '必填');
    else {
      const found = offices.get(officeName) ?? [];
      if (found.length !== 1) bad('office', found.length === 0 ? `没有名为“${officeName}”的有效科室` : `有多个名为“${officeName}”的科室`);
      else if (found[0] && !inScope(scope, found[0].path)) bad('office', '该科室不在您的导入权限范围内');
      else office = found[0];
    }
    const f: ContactFields = {
      name: name ?? '',
      gender,
      ethnicity: t('ethnicity'),
      birthDate: dates.birthDate ?? null,
      officeId: office?.id ?? '',
      categoryIds: [...new Set(categoryIds)],
      partyId,
      partyJoinedOn: dates.partyJoinedOn ?? null,
      organisation: t('organisation'),
      post: t('post'),
      arrangements,
      phone,
      idNumber,
      tags,
      notes,
    };
    // the shared rules; a column that already has a problem keeps its first one
    for (const p of contactProblems(f, cat)) {
      const key = columnOfPath[p.path ?? ''];
      if (key && !(key === 'categories' && cells.categories === undefined)) bad(key, problemZh[p.problem] ?? p.problem);
    }
    return f;
  };
}

// ---- import ----

export type Upload = { fileName: string; data: Buffer };

/** Rows go to the staging table in statements of this many (about 1 MB of JSON each). */
const STAGE_BATCH = 2000;
/** Merges read their staged rows in slices of this many. */
const MERGE_BATCH = 500;

/**
 * All or nothing. Row problems (including a person twice in the file) → IMPORT_INVALID
 * with every row and column. A row naming a contact already registered (same ID number,
 * or same name and phone) → DUPLICATE listing those rows, unless the caller decided, for
 * all or per row, to merge it into that contact or skip it. Never a silent duplicate.
 *
 * Streaming, so memory does not grow with the file: each row is validated as the reader
 * produces it, sealed and staged (in batches) into a temporary table of this transaction;
 * the process keeps only the in-file duplicate keys and the problems. Registered duplicates
 * are found by one join of the staged keyed hashes with contacts; new contacts are inserted
 * from the staging table in one statement; any problem rolls the whole transaction back.
 */
export async function importContacts(db: Db, actor: Actor, upload: Upload, options: ContactImportOptions): Promise<ContactImportResult> {
  const scope = requirePermission(actor, 'unitedfront.import');
  const fileName = upload.fileName.slice(0, 255);
  try {
    return await inTenant(db, actor.tenantId, async (tx) => {
      await repo.lockContactsImport(tx, actor.tenantId);
      const cat = await loadCatalogue(tx, actor.tenantId);
      const offices = new Map<string, OrgUnitRow[]>();
      for (const u of await listUnits(tx, actor.tenantId, false)) {
        if (u.type === 'office' || u.type === 'department') offices.set(u.name, [...(offices.get(u.name) ?? []), u]);
      }
      const problems = new RowProblems<ColumnKey>(labelOf);
      const validate = rowValidator(cat, offices, scope, problems);
      await repo.createImportStaging(tx);
      const stager = new Stager(tx);
      let rows = 0;
      try {
        for await (const r of sheetRows(upload.data, { columns: COLUMNS, helpSheet: HELP_SHEET, example: { key: 'name', value: EXAMPLE_NAME }, maxRows: limits.importMaxRows })) {
          rows += 1;
          const f = validate(r);
          // once the file has a problem nothing will be written: keep validating, stop sealing
          if (problems.total === 0) await stager.add(r.row, f);
        }
      } finally {
        // a problem (or a reader error) must not send the rollback while a batch is still on the connection
        await stager.settled();
      }
      if (rows === 0) throw new AppError('IMPORT_INVALID', [{ problem: '文件中没有可导入的数据行' }]);
      if (problems.total > 0) throw new AppError('IMPORT_INVALID', problems.list());
      await stager.finish();

      const matches = await findMatches(tx, actor.tenantId, problems);
      if (problems.total > 0) throw new AppError('IMPORT_INVALID', problems.list());
      const undecided: ErrorDetail[] = [];
      for (const [row, m] of matches) {
        if (!(options.decisions[String(row)] ?? options.onDuplicate)) {
          undecided.push({
            row,
            column: m.by === 'idNumber' ? labelOf('idNumber') : `${labelOf('name')}/${labelOf('phone')}`,
            problem: `与已登记的“${m.name}”重复（${m.by === 'idNumber' ? '身份证号相同' : '姓名和手机号码相同'}）`,
          });
        }
      }
      if (undecided.length > 0) throw new AppError('DUPLICATE', undecided);
      return write(tx, actor, scope, matches, options, fileName, cat);
    });
  } catch (e) {
    if (e instanceof AppError) {
      const details = { fileName, error: e.code, problems: e.details?.length ?? 0 };
      await inTenant(db, actor.tenantId, (tx) => audit(tx, actor, 'contacts.import', { type: 'contact' }, details, 'failed'));
    }
    throw e;
  }
}

/**
 * Seals rows and sends them to the staging table in batches. One batch is in flight while the
 * next is read and sealed (PostgreSQL inserts while Node parses); its failure is kept and
 * thrown at the next add or at finish, never left as an unhandled rejection.
 */
class Stager {
  private batch: repo.StagedContact[] = [];
  private inFlight: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;
  constructor(private readonly tx: Tx) {}

  async add(row: number, f: ContactFields): Promise<void> {
    this.batch.push(stagedOf(row, f));
    if (this.batch.length >= STAGE_BATCH) await this.flush();
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.inFlight;
    this.check();
    await repo.analyzeImportStaging(this.tx);
  }

  /** Waits for the batch in flight (never rejects: its failure is kept). */
  async settled(): Promise<void> {
    await this.inFlight;
  }

  private async flush(): Promise<void> {
    // at most one statement waiting: a slow database holds the reader back instead of memory growing
    await this.inFlight;
    this.check();
    if (this.batch.length === 0) return;
    const rows = this.batch;
    this.batch = [];
    this.inFlight = repo.stageContacts(this.tx, rows).catch((error: unknown) => {
      this.failure = { error };
    });
  }

  private check(): void {
    if (this.failure) throw this.failure.error;
  }
}

type Match = { id: string; name: string; version: number; by: 'idNumber' | 'namePhone' };

/** Each staged row's registered contact, in row order; a row naming two different contacts is a problem. */
async function findMatches(tx: Tx, tenantId: string, problems: RowProblems<ColumnKey>): Promise<Map<number, Match>> {
  const found = new Map<number, Match[]>();
  for (const d of await repo.findStagedDuplicates(tx, tenantId)) {
    const ms = found.get(d.row) ?? [];
    // the same contact by both keys is one match (by ID number, listed first)
    if (!ms.some((m) => m.id === d.id)) ms.push({ id: d.id, name: d.name, version: d.version, by: d.by });
    found.set(d.row, ms);
  }
  const out = new Map<number, Match>();
  for (const [row, ms] of found) {
    const [first] = ms;
    if (ms.length > 1) problems.add(row, 'idNumber', `身份证号与姓名/手机号码分别对应两位已登记的成员（${ms.map((m) => m.name).join('、')}），请核对`);
    else if (first) out.set(row, first);
  }
  return out;
}

function stagedOf(row: number, f: ContactFields): repo.StagedContact {
  const n = sealContactNumbers(f.phone, f.idNumber);
  return {
    row_no: row,
    name: f.name,
    name_grams: repo.nameGrams(f.name),
    gender: f.gender,
    ethnicity: f.ethnicity,
    birth_date: f.birthDate,
    office_id: f.officeId,
    category_ids: f.categoryIds,
    party_id: f.partyId,
    party_joined_on: f.partyJoinedOn,
    organisation: f.organisation,
    post: f.post,
    arrangements: f.arrangements,
    phone_enc: n.phoneEnc,
    phone_masked: n.phoneMasked,
    phone_hash: n.phoneHash,
    id_number_enc: n.idNumberEnc,
    id_number_masked: n.idNumberMasked,
    id_number_hash: n.idNumberHash,
    tags: f.tags,
    notes: f.notes,
  };
}

/** A staged row back as fields (numbers decrypted), for a merge. */
function fieldsOfStaged(s: repo.StagedContact): ContactFields {
  return {
    name: s.name,
    gender: s.gender,
    ethnicity: s.ethnicity,
    birthDate: s.birth_date,
    officeId: s.office_id,
    categoryIds: s.category_ids,
    partyId: s.party_id,
    partyJoinedOn: s.party_joined_on,
    organisation: s.organisation,
    post: s.post,
    arrangements: s.arrangements,
    phone: s.phone_enc ? decrypt(s.phone_enc) : null,
    idNumber: s.id_number_enc ? decrypt(s.id_number_enc) : null,
    tags: s.tags,
    notes: s.notes,
  };
}

async function write(
  tx: Tx,
  actor: Actor,
  scope: Scope,
  matches: Map<number, Match>,
  options: ContactImportOptions,
  fileName: string,
  cat: Catalogue,
): Promise<ContactImportResult> {
  let merged = 0;
  let skipped = 0;
  const problems = new RowProblems<ColumnKey>(labelOf);
  const toMerge: number[] = [];
  for (const row of matches.keys()) {
    if ((options.decisions[String(row)] ?? options.onDuplicate) === 'skip') skipped += 1;
    else toMerge.push(row);
  }
  await repo.markStagedMatched(tx, [...matches.keys()]);
  for (let i = 0; i < toMerge.length; i += MERGE_BATCH) {
    for (const staged of await repo.stagedRows(tx, toMerge.slice(i, i + MERGE_BATCH))) {
      const m = matches.get(staged.row_no);
      if (!m) continue;
      const p = { row: staged.row_no, f: fieldsOfStaged(staged) };
      const existing = await repo.findContact(tx, actor.tenantId, m.id);
      if (!existing) continue;
      if (!inScope(scope, existing.officePath)) {
        problems.add(p.row, 'name', '已登记的该成员不在您的管理范围内，不能合并');
        continue;
      }
      const before = fieldsOfRow(existing);
      if (before.idNumber && p.f.idNumber && before.idNumber !== p.f.idNumber) {
        problems.add(p.row, 'idNumber', '与已登记成员的身份证号不同，不能合并');
        continue;
      }
      // filled cells of the file win; categories and tags add up; what the file leaves empty stays
      const f: ContactFields = {
        name: before.name,
        gender: p.f.gender ?? before.gender,
        ethnicity: p.f.ethnicity ?? before.ethnicity,
        birthDate: p.f.birthDate ?? before.birthDate,
        officeId: before.officeId,
        categoryIds: [...new Set([...before.categoryIds, ...p.f.categoryIds])],
        partyId: p.f.partyId ?? before.partyId,
        partyJoinedOn: p.f.partyJoinedOn ?? before.partyJoinedOn,
        organisation: p.f.organisation ?? before.organisation,
        post: p.f.post ?? before.post,
        arrangements: p.f.arrangements.length > 0 ? p.f.arrangements : before.arrangements,
        phone: p.f.phone ?? before.phone,
        idNumber: p.f.idNumber ?? before.idNumber,
        tags: [...new Set([...before.tags, ...p.f.tags])].slice(0, ufLimits.tagsMax),
        notes: p.f.notes ?? before.notes,
      };
      const rules = contactProblems(f, cat);
      if (rules.length > 0) {
        problems.add(p.row, 'categories', `合并后不符合要求：${rules.map((r) => problemZh[r.problem] ?? r.problem).join('；')}`);
        continue;
      }
      if (!(await repo.updateContactVersioned(tx, actor.tenantId, m.id, existing.version, sealedRow(f)))) throw new AppError('STALE_VERSION');
      await repo.setContactCategories(tx, actor.tenantId, m.id, f.categoryIds);
      await audit(tx, actor, 'contacts.merge', { type: 'contact', id: m.id }, { fileName, row: p.row, fields: ['import'] });
      merged += 1;
    }
  }
  if (problems.total > 0) throw new AppError('IMPORT_INVALID', problems.list());
  const imported = await repo.insertStagedContacts(tx, actor.tenantId);
  const result = { imported, merged, skipped };
  await audit(tx, actor, 'contacts.import', { type: 'contact' }, { fileName, ...result });
  return result;
}

// ---- export ----

export type ExportQuery = Omit<ContactsListQuery, 'page' | 'pageSize'>;

/** Audited (with the row count) before the first byte leaves; numbers masked unless the exporter may reveal them. */
export async function exportContacts(db: Db, actor: Actor, query: ExportQuery): Promise<{ fileName: string; stream: Readable }> {
  const scope = requirePermission(actor, 'unitedfront.export');
  const revealScope = hasPermission(actor, 'unitedfront.reveal') ? scopeOf(actor, 'unitedfront.reveal') : null;
  const filter = filterOf(actor, scope, query);
  await inTenant(db, actor.tenantId, async (tx) => {
    const rows = await repo.countContacts(tx, filter);
    await audit(tx, actor, 'contacts.export', { type: 'contact' }, { rows, filters: query, fullValues: revealScope !== null });
  });
  const columns = [...COLUMNS.map((c) => ({ header: c.label, width: c.width, ...(c.format === 'date' ? { numFmt: XLSX_DATE_FORMAT } : {}) })), { header: '状态', width: 8 }];
  return {
    fileName: `统战成员-${shanghaiDate()}.xlsx`,
    stream: streamSheet('统战成员', columns, exportRows(repo.iterateContacts(tenantRunner(db, actor.tenantId), filter), revealScope)),
  };
}

function utcDate(iso: string | null): Date | null {
  return iso ? new Date(`${iso}T00:00:00Z`) : null;
}

async function* exportRows(batches: AsyncGenerator<repo.ContactListRow[]>, revealScope: Scope | null) {
  for await (const batch of batches) {
    yield batch.map((r) => {
      const full = revealScope !== null && inScope(revealScope, r.officePath);
      const level = (kind: Arrangement['kind']) => {
        const a = r.arrangements.find((x) => x.kind === kind);
        return a ? levelLabels[a.level] : null;
      };
      return [
        r.name,
        r.gender ? (genderLabels[r.gender as keyof typeof genderLabels] ?? r.gender) : null,
        r.ethnicity,
        utcDate(r.birthDate),
        r.categories.map((c) => c.name).join('、'),
        r.partyName,
        utcDate(r.partyJoinedOn),
        r.organisation,
        r.post,
        level('npc_deputy'),
        level('cppcc_member'),
        full && r.phoneEnc ? decrypt(r.phoneEnc) : r.phoneMasked,
        full && r.idNumberEnc ? decrypt(r.idNumberEnc) : r.idNumberMasked,
        r.tags.join('、'),
        r.officeName,
        r.notes,
        r.active ? '在册' : '已停用',
      ] as (string | Date | null)[];
    });
  }
}
