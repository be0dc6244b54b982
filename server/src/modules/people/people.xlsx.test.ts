import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { limits, type ErrorDetail, type Person } from '@tongxin/contracts';
import type { OrgUnitRow } from '../org/org.repo';
import { buildPerson, buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';
import { withCheckDigit } from './people.mask';

const { app, db } = await testApp();

const HEADERS = ['姓名*', '性别*', '出生日期', '民族', '手机号码', '身份证号', '所在科室*', '政治面貌*', '入党日期', '转正日期', '所在支部', '所在党小组', '支部委员职务', '是否部领导'];
type Label = '姓名' | '性别' | '出生日期' | '民族' | '手机号码' | '身份证号' | '所在科室' | '政治面貌' | '入党日期' | '转正日期' | '所在支部' | '所在党小组' | '支部委员职务' | '是否部领导';
type Row = Partial<Record<Label, ExcelJS.CellValue>>;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let tenant: TenantFixture;
let office: OrgUnitRow;
let otherOffice: OrgUnitRow;
let branch1: OrgUnitRow;
let branch2: OrgUnitRow;
let group1: OrgUnitRow;
let group3: OrgUnitRow;
/** people.read + people.import + people.export over the whole tenant, no reveal */
let importer: Client;
let importerName: string;
/** the same plus people.reveal */
let revealer: Client;
/** people.read only */
let reader: Client;

beforeAll(async () => {
  tenant = await buildTenant(db);
  office = await buildUnit(db, tenant, { name: '办公室' });
  otherOffice = await buildUnit(db, tenant, { name: '宣传科' });
  const committee = await buildUnit(db, tenant, { type: 'party_committee', name: '机关党委' });
  branch1 = await buildUnit(db, tenant, { parent: committee, type: 'branch', name: '第一党支部' });
  branch2 = await buildUnit(db, tenant, { parent: committee, type: 'branch', name: '第二党支部' });
  group1 = await buildUnit(db, tenant, { parent: branch1, type: 'party_group', name: '第一党小组' });
  await buildUnit(db, tenant, { parent: branch1, type: 'party_group', name: '第二党小组' });
  group3 = await buildUnit(db, tenant, { parent: branch2, type: 'party_group', name: '第三党小组' });
  // the same group name in two branches: only "支部名/小组名" or the row's branch tells them apart
  await buildUnit(db, tenant, { parent: branch2, type: 'party_group', name: '第一党小组' });

  const root = tenant.root.id;
  importerName = await buildUser(db, tenant.tenantId, { scopeUnitId: root, permissions: ['people.read', 'people.import', 'people.export'] });
  importer = await signIn(app, importerName);
  revealer = await signIn(app, await buildUser(db, tenant.tenantId, { scopeUnitId: root, permissions: ['people.read', 'people.export', 'people.reveal'] }));
  reader = await signIn(app, await buildUser(db, tenant.tenantId, { scopeUnitId: root, permissions: ['people.read'] }));
});

// ---- helpers ----

/** A valid ID number, unique per (region, i): each test uses its own region code. */
function idNumber(region: number, i: number): string {
  const birth = new Date(Date.UTC(1960, 0, 1) + i * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  return withCheckDigit(`${region}${birth}${String(i % 1000).padStart(3, '0')}`);
}

function withWrongCheckDigit(id: string): string {
  const last = id.at(-1) === '0' ? '1' : '0';
  return `${id.slice(0, 17)}${last}`;
}

async function xlsxOf(rows: Row[], headers = HEADERS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('人员');
  ws.addRow(headers);
  const labels = headers.map((h) => h.replace('*', ''));
  for (const r of rows) ws.addRow(labels.map((l) => r[l as Label] ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function multipart(data: Buffer | string, fileName = 'people.xlsx', field = 'file') {
  const form = new FormData();
  form.append(field, new Blob([typeof data === 'string' ? data : new Uint8Array(data)]), fileName);
  const res = new Response(form);
  return { payload: Buffer.from(await res.arrayBuffer()), headers: { 'content-type': res.headers.get('content-type') ?? '' } };
}

async function upload(call: Client, data: Buffer | string, fileName = 'people.xlsx') {
  const { payload, headers } = await multipart(data, fileName);
  return call({ method: 'POST', url: '/api/v1/people/import', payload, headers });
}

async function peopleCount(): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from people where tenant_id = ${tenant.tenantId}`);
  return r.rows[0]?.n ?? 0;
}

async function lastAudit(action: string) {
  const r = await db.execute<{ result: string; details: Record<string, unknown>; actorName: string }>(
    sql`select result, details, actor_name as "actorName" from audit_log where tenant_id = ${tenant.tenantId} and action = ${action} order by id desc limit 1`,
  );
  return r.rows[0];
}

async function workbookOf(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb;
}

function valuesOf(ws: ExcelJS.Worksheet): ExcelJS.CellValue[][] {
  const out: ExcelJS.CellValue[][] = [];
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    out.push(Array.from({ length: ws.columnCount }, (_, i) => row.getCell(i + 1).value ?? null));
  }
  return out;
}

function problemsOf(body: string): ErrorDetail[] {
  const parsed = JSON.parse(body) as { error: { code: string; details?: ErrorDetail[] } };
  expect(parsed.error.code).toBe('IMPORT_INVALID');
  return parsed.error.details ?? [];
}

const member = (name: string, id: string): Row => ({
  姓名: name,
  性别: '女',
  身份证号: id,
  所在科室: office.name,
  政治面貌: '正式党员',
  所在支部: branch1.name,
  所在党小组: group1.name,
});

// ---- tests ----

describe('import template', () => {
  it('has the headers, dropdowns and a help sheet naming the units', async () => {
    const res = await importer({ url: '/api/v1/people/import-template.xlsx' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain(XLSX_TYPE);
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('人员导入模板.xlsx')}`);
    const wb = await workbookOf(res.rawPayload);
    const ws = wb.getWorksheet('人员');
    if (!ws) throw new Error('no data sheet');
    expect(valuesOf(ws)[0]).toEqual(HEADERS);

    const dv = (ws as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation | undefined> } }).dataValidations.model;
    // columns B (性别), H (政治面貌), M (支部委员职务), N (是否部领导), down to the last importable row
    for (const row of [2, limits.importMaxRows + 1]) {
      expect(dv[`B${row}`]).toMatchObject({ type: 'list', formulae: ['"男,女"'] });
      expect(dv[`H${row}`]).toMatchObject({ type: 'list', formulae: ['"正式党员,预备党员,群众"'] });
      expect(dv[`M${row}`]).toMatchObject({ type: 'list', formulae: ['"书记,副书记,组织委员,宣传委员,纪检委员"'] });
      expect(dv[`N${row}`]).toMatchObject({ type: 'list', formulae: ['"是,否"'] });
    }

    const help = wb.getWorksheet('说明');
    if (!help) throw new Error('no help sheet');
    const texts = valuesOf(help).flat().filter((v): v is string => typeof v === 'string');
    for (const name of ['办公室', '宣传科', '第一党支部', '第二党支部', '第一党支部/第一党小组', '第二党支部/第一党小组', '第二党支部/第三党小组']) {
      expect(texts).toContain(name);
    }
    for (const h of HEADERS) expect(texts).toContain(h.replace('*', ''));
  });

  it('imports a filled-in template and skips its example row', async () => {
    const res = await importer({ url: '/api/v1/people/import-template.xlsx' });
    const wb = await workbookOf(res.rawPayload);
    const ws = wb.getWorksheet('人员');
    if (!ws) throw new Error('no data sheet');
    ws.addRow(['模板甲', '男', '1985-03-04', '回族', '13700000001', idNumber(120101, 1), '宣传科', '群众', null, null, null, null, null, '否']);
    ws.addRow(['模板乙', '女', new Date(Date.UTC(1990, 5, 6)), null, null, idNumber(120101, 2), '办公室', '预备党员', '2024-07-01', null, '第二党支部', '第一党小组', null, null]);
    const before = await peopleCount();
    const imported = await upload(importer, Buffer.from(await wb.xlsx.writeBuffer()));
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toEqual({ imported: 2 });
    expect(await peopleCount()).toBe(before + 2);
    const list = await importer({ url: `/api/v1/people/?q=${encodeURIComponent('模板乙')}` });
    const [p] = list.json().items as Person[];
    // a plain group name resolves within the row's branch
    expect(p).toMatchObject({ branchName: '第二党支部', groupName: '第一党小组', birthDate: '1990-06-06', partyStatus: 'probationary' });
  });
});

describe('import', () => {
  it('imports a good file, and the people appear in the list', async () => {
    const before = await peopleCount();
    const rows: Row[] = [
      {
        姓名: '导入王一',
        性别: '男',
        出生日期: '1980-1-2',
        民族: '汉族',
        // typed as a number in Excel
        手机号码: 13912345678,
        身份证号: idNumber(130101, 1),
        所在科室: '办公室',
        政治面貌: '正式党员',
        入党日期: new Date(Date.UTC(2001, 6, 1)),
        转正日期: '2002-07-01',
        所在支部: '第一党支部',
        所在党小组: '第一党支部/第一党小组',
        支部委员职务: '书记',
        是否部领导: '是',
      },
      { 姓名: '导入王二', 性别: '女', 所在科室: '宣传科', 政治面貌: '群众' },
      {},
      { 姓名: '导入王三', 性别: '女', 身份证号: idNumber(130101, 2).toLowerCase(), 所在科室: '宣传科', 政治面貌: '预备党员', 所在支部: '第二党支部', 所在党小组: '第三党小组' },
    ];
    const res = await upload(importer, await xlsxOf(rows), '名单.xlsx');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ imported: 3 });
    expect(await peopleCount()).toBe(before + 3);

    const list = await importer({ url: `/api/v1/people/?q=${encodeURIComponent('导入王')}` });
    const items = list.json().items as Person[];
    expect(items.map((p) => p.name).sort()).toEqual(['导入王一', '导入王三', '导入王二']);
    const wang1 = items.find((p) => p.name === '导入王一');
    expect(wang1).toMatchObject({
      gender: 'male',
      birthDate: '1980-01-02',
      ethnicity: '汉族',
      phoneMasked: '139****5678',
      officeId: office.id,
      partyStatus: 'full',
      partyJoinedOn: '2001-07-01',
      fullMemberOn: '2002-07-01',
      branchId: branch1.id,
      groupId: group1.id,
      committeeRole: 'secretary',
      isLeader: true,
    });
    expect(items.find((p) => p.name === '导入王三')).toMatchObject({ groupId: group3.id, partyStatus: 'probationary' });
    expect(items.find((p) => p.name === '导入王二')).toMatchObject({ officeId: otherOffice.id, branchId: null, isLeader: false });

    const entry = await lastAudit('people.import');
    expect(entry).toMatchObject({ result: 'ok', actorName: importerName, details: { fileName: '名单.xlsx', rows: 3 } });
  });

  it('rejects 5,000 rows with one bad ID number, naming its row and column, and imports nothing', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => member(`批量${i}`, idNumber(140101, i)));
    // Excel row 2500 is data row 2499 (row 1 is the header)
    const target = rows[2498];
    if (!target) throw new Error('row');
    target.身份证号 = withWrongCheckDigit(String(target.身份证号));
    const before = await peopleCount();
    const res = await upload(importer, await xlsxOf(rows));
    expect(res.statusCode).toBe(422);
    expect(problemsOf(res.body)).toEqual([{ row: 2500, column: '身份证号', problem: '身份证号校验位不正确' }]);
    expect(await peopleCount()).toBe(before);
    expect(await lastAudit('people.import')).toMatchObject({ result: 'failed', details: { error: 'IMPORT_INVALID', problems: 1 } });
  });

  it('imports 5,000 valid rows in one go', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => member(`五千${i}`, idNumber(150101, i)));
    const file = await xlsxOf(rows);
    const before = await peopleCount();
    const started = performance.now();
    const res = await upload(importer, file);
    const ms = Math.round(performance.now() - started);
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    expect(res.json()).toEqual({ imported: 5000 });
    expect(await peopleCount()).toBe(before + 5000);
    console.log(`[measure] import of 5,000 valid rows (${(file.length / 1024).toFixed(0)} KiB XLSX): ${ms} ms`);
  });

  it('reports every bad cell with its row and column', async () => {
    const dup = idNumber(160101, 1);
    const existing = idNumber(160101, 2);
    await buildPerson(db, tenant.tenantId, { officeId: office.id, idNumber: existing });
    const rows: Row[] = [
      { 姓名: '好人', 性别: '男', 所在科室: '办公室', 政治面貌: '群众', 身份证号: dup },
      { 姓名: '无科室', 性别: '男', 所在科室: '不存在的科', 政治面貌: '群众' },
      { 姓名: '错小组', 性别: '男', 所在科室: '办公室', 政治面貌: '正式党员', 所在支部: '第一党支部', 所在党小组: '第三党小组' },
      { 姓名: '重复', 性别: '男', 所在科室: '办公室', 政治面貌: '群众', 身份证号: dup },
      { 姓名: '已存在', 性别: '女', 所在科室: '办公室', 政治面貌: '群众', 身份证号: existing },
      { 性别: '未知', 所在科室: '办公室', 政治面貌: '党员', 手机号码: '12345', 出生日期: '1990-02-30' },
      { 姓名: '群众有支部', 性别: '女', 所在科室: '办公室', 政治面貌: '群众', 所在支部: '第一党支部' },
      { 姓名: '歧义小组', 性别: '女', 所在科室: '办公室', 政治面貌: '正式党员', 所在党小组: '第一党小组' },
      { 姓名: '预备转正', 性别: '女', 所在科室: '办公室', 政治面貌: '预备党员', 所在支部: '第二党支部', 入党日期: '2024-01-01', 转正日期: '2025-01-01' },
    ];
    const before = await peopleCount();
    const res = await upload(importer, await xlsxOf(rows));
    expect(res.statusCode).toBe(422);
    const problems = problemsOf(res.body);
    const at = (row: number, column: string) => problems.filter((p) => p.row === row && p.column === column).map((p) => p.problem);
    expect(at(3, '所在科室')).toEqual(['没有名为“不存在的科”的有效科室']);
    expect(at(4, '所在党小组')).toEqual(['该党小组不属于所填支部']);
    expect(at(5, '身份证号')).toEqual(['与第 2 行的身份证号重复']);
    expect(at(6, '身份证号')).toEqual(['已有人员使用此身份证号']);
    expect(at(7, '姓名')).toEqual(['必填']);
    expect(at(7, '性别')).toEqual(['应为 男 或 女']);
    expect(at(7, '政治面貌')).toEqual(['应为 正式党员、预备党员 或 群众']);
    expect(at(7, '手机号码')).toEqual(['应为 11 位手机号码']);
    expect(at(7, '出生日期')).toEqual(['日期格式应为 YYYY-MM-DD']);
    expect(at(8, '所在支部')).toEqual(['政治面貌为群众时不应填写此项']);
    expect(at(9, '所在党小组')).toEqual(['有多个名为“第一党小组”的党小组，请写成“支部名/小组名”']);
    expect(at(10, '转正日期')).toEqual(['预备党员不应填写转正日期']);
    expect(problems.filter((p) => p.row === 2)).toEqual([]);
    expect(problems).toHaveLength(12);
    expect(await peopleCount()).toBe(before);
  });

  it('caps the list of problems', async () => {
    const rows = Array.from({ length: 600 }, (_, i): Row => ({ 姓名: `坏${i}`, 性别: '?', 所在科室: '办公室', 政治面貌: '群众' }));
    const res = await upload(importer, await xlsxOf(rows));
    const problems = problemsOf(res.body);
    expect(problems).toHaveLength(500);
    expect(problems.at(-1)).toEqual({ problem: '另有 101 处错误未列出' });
  });

  it('limits the rows to the offices and branches in the importer’s scope', async () => {
    const scoped = await signIn(app, await buildUser(db, tenant.tenantId, { scopeUnitId: office.id, permissions: ['people.import'] }));
    const rows: Row[] = [
      { 姓名: '范围内', 性别: '男', 所在科室: '办公室', 政治面貌: '群众' },
      { 姓名: '范围外', 性别: '男', 所在科室: '宣传科', 政治面貌: '群众' },
    ];
    const res = await upload(scoped, await xlsxOf(rows));
    expect(problemsOf(res.body)).toEqual([{ row: 3, column: '所在科室', problem: '科室和支部均不在您的导入权限范围内' }]);
  });

  it('reports a sheet without the template header', async () => {
    const res = await upload(importer, await xlsxOf([{ 姓名: '甲' }], ['名字', '性别*']));
    const problems = problemsOf(res.body);
    expect(problems).toEqual(
      expect.arrayContaining([
        { row: 1, column: '姓名', problem: '缺少必填列（第 1 行须为模板表头）' },
        { row: 1, column: '所在科室', problem: '缺少必填列（第 1 行须为模板表头）' },
      ]),
    );
  });

  it('rejects a file without data rows', async () => {
    const res = await upload(importer, await xlsxOf([]));
    expect(problemsOf(res.body)).toEqual([{ problem: '文件中没有可导入的数据行' }]);
  });

  it('rejects more than the row limit', async () => {
    const rows = Array.from({ length: limits.importMaxRows + 1 }, (_, i): Row => ({ 姓名: `超${i}` }));
    const res = await upload(importer, await xlsxOf(rows));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  }, 60_000);

  it('rejects a file that is not XLSX with 415', async () => {
    const text = await upload(importer, '姓名,性别\n张三,男\n', 'people.xlsx');
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe('UNSUPPORTED_FILE');
    // a zip header followed by garbage
    const zipLike = await upload(importer, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(2000, 7)]));
    expect(zipLike.statusCode).toBe(415);
    // a cut-off upload
    const good = await xlsxOf([]);
    const truncated = await upload(importer, good.subarray(0, Math.floor(good.length / 2)));
    expect(truncated.statusCode).toBe(415);
    // a zip without any worksheet
    const noSheet = await upload(importer, Buffer.from(await new ExcelJS.Workbook().xlsx.writeBuffer()));
    expect(noSheet.statusCode).toBe(415);
  });

  it('rejects a body that is not multipart, and a missing file field', async () => {
    const json = await importer({ method: 'POST', url: '/api/v1/people/import', payload: { file: 'x' } });
    expect(json.statusCode).toBe(415);
    const { payload, headers } = await multipart(await xlsxOf([]), 'a.xlsx', 'other');
    const wrongField = await importer({ method: 'POST', url: '/api/v1/people/import', payload, headers });
    expect(wrongField.statusCode).toBe(400);
  });

  it('rejects a file over the size limit with 413', async () => {
    const before = await peopleCount();
    const res = await upload(importer, Buffer.alloc(limits.importMaxBytes + 1024, 0x50));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await peopleCount()).toBe(before);
  });

  it('needs people.import', async () => {
    const template = await reader({ url: '/api/v1/people/import-template.xlsx' });
    expect(template.statusCode).toBe(403);
    const res = await upload(reader, await xlsxOf([{ 姓名: '甲', 性别: '男', 所在科室: '办公室', 政治面貌: '群众' }]));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
  });
});

describe('export', () => {
  let exportOffice: OrgUnitRow;
  beforeAll(async () => {
    exportOffice = await buildUnit(db, tenant, { name: '导出科' });
    for (const [name, phone] of [
      ['导出丙', '13600000003'],
      ['导出甲', '13600000001'],
      ['导出乙', '13600000002'],
    ] as const) {
      await buildPerson(db, tenant.tenantId, { officeId: exportOffice.id, name, phone, partyStatus: 'full', branchId: branch2.id, groupId: group3.id, birthDate: '1975-05-06' });
    }
    const gone = await buildPerson(db, tenant.tenantId, { officeId: exportOffice.id, name: '导出停用' });
    await db.execute(sql`update people set active = false where id = ${gone}`);
  });

  it('exports the filtered list, masked without people.reveal, and audits it', async () => {
    const url = `/api/v1/people/export.xlsx?unitId=${exportOffice.id}`;
    const res = await importer({ url });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain(XLSX_TYPE);
    expect(res.headers['content-disposition']).toMatch(/filename\*=UTF-8''%E4%BA%BA%E5%91%98%E5%90%8D%E5%8D%95-\d{8}\.xlsx/);

    const list = (await importer({ url: `/api/v1/people/?unitId=${exportOffice.id}&pageSize=100` })).json().items as Person[];
    const ws = (await workbookOf(res.rawPayload)).worksheets[0];
    if (!ws) throw new Error('no sheet');
    const [header, ...rows] = valuesOf(ws);
    expect(header).toEqual([...HEADERS.map((h) => h.replace('*', '')), '状态']);
    expect(rows.map((r) => r[0])).toEqual(list.map((p) => p.name));
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r[4])).toEqual(list.map((p) => p.phoneMasked));
    expect(rows.map((r) => r[5])).toEqual(list.map((p) => p.idNumberMasked));
    expect(rows[0]).toEqual([
      list[0]?.name,
      '男',
      new Date(Date.UTC(1975, 4, 6)),
      null,
      list[0]?.phoneMasked,
      list[0]?.idNumberMasked,
      '导出科',
      '正式党员',
      null,
      null,
      '第二党支部',
      '第三党小组',
      null,
      '否',
      '在册',
    ]);

    const entry = await lastAudit('people.export');
    expect(entry).toMatchObject({ result: 'ok', actorName: importerName, details: { rows: 3, fullValues: false, filters: { unitId: exportOffice.id, active: 'true' } } });
    expect(JSON.stringify(entry?.details)).not.toContain('1360000');
  });

  it('exports full phone and ID numbers with people.reveal', async () => {
    const res = await revealer({ url: `/api/v1/people/export.xlsx?unitId=${exportOffice.id}&active=all` });
    expect(res.statusCode).toBe(200);
    const ws = (await workbookOf(res.rawPayload)).worksheets[0];
    if (!ws) throw new Error('no sheet');
    const rows = valuesOf(ws).slice(1);
    expect(rows).toHaveLength(4);
    const byName = new Map(rows.map((r) => [r[0], r]));
    expect(byName.get('导出甲')?.[4]).toBe('13600000001');
    expect(String(byName.get('导出甲')?.[5])).toMatch(/^\d{17}[\dX]$/);
    expect(byName.get('导出停用')?.[14]).toBe('已停用');
    expect(await lastAudit('people.export')).toMatchObject({ details: { rows: 4, fullValues: true } });
  });

  it('exports only the people in the exporter’s scope', async () => {
    const scoped = await signIn(app, await buildUser(db, tenant.tenantId, { scopeUnitId: exportOffice.id, permissions: ['people.export'] }));
    const res = await scoped({ url: '/api/v1/people/export.xlsx' });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const ws = (await workbookOf(res.rawPayload)).worksheets[0];
    if (!ws) throw new Error('no sheet');
    expect(valuesOf(ws).slice(1).map((r) => r[6])).toEqual(['导出科', '导出科', '导出科']);
  });

  it('exports more rows than one batch, all of them, in list order', async () => {
    const total = (await importer({ url: '/api/v1/people/?active=all&pageSize=1' })).json().total as number;
    // the 5,000-row import above makes this several batches of the repository's iterator
    expect(total).toBeGreaterThan(5000);
    const started = performance.now();
    const res = await importer({ url: '/api/v1/people/export.xlsx?active=all' });
    const ms = Math.round(performance.now() - started);
    expect(res.statusCode).toBe(200);
    const ws = (await workbookOf(res.rawPayload)).worksheets[0];
    if (!ws) throw new Error('no sheet');
    const names = valuesOf(ws).slice(1).map((r) => r[0]);
    expect(names).toHaveLength(total);
    const firstPage = (await importer({ url: '/api/v1/people/?active=all&pageSize=100' })).json().items as Person[];
    expect(names.slice(0, 100)).toEqual(firstPage.map((p) => p.name));
    console.log(`[measure] export of ${total} rows: ${ms} ms, ${(res.rawPayload.length / 1024).toFixed(0)} KiB XLSX`);
  });

  it('needs people.export', async () => {
    const res = await reader({ url: '/api/v1/people/export.xlsx' });
    expect(res.statusCode).toBe(403);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await app.inject({ url: '/api/v1/openapi.json' })).json();
    expect(doc.paths['/api/v1/people/import'].post.responses['200'].content['application/json'].schema.properties.imported.type).toBe('integer');
    expect(doc.paths['/api/v1/people/export.xlsx'].get.responses['200'].content[XLSX_TYPE]).toBeDefined();
    expect(doc.paths['/api/v1/people/export.xlsx'].get.tags).toEqual(['people']);
  });
});
