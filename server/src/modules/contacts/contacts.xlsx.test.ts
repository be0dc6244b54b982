import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Contact, ContactImportResult, ErrorBody, ErrorDetail } from '@tongxin/contracts';
import type { OrgUnitRow } from '../org/org.repo';
import { buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';
import { withCheckDigit } from '../people/people.mask';

const { app, db } = await testApp();

type Label = '姓名' | '性别' | '类别' | '所属党派' | '加入党派日期' | '工作单位' | '职务' | '人大代表' | '政协委员' | '手机号码' | '身份证号' | '标签' | '主管科室' | '备注';
type Row = Partial<Record<Label, ExcelJS.CellValue>>;
const HEADERS: string[] = ['姓名*', '性别', '类别*', '所属党派', '加入党派日期', '工作单位', '职务', '人大代表', '政协委员', '手机号码', '身份证号', '标签', '主管科室*', '备注'];

let tenant: TenantFixture;
let office: OrgUnitRow;
/** read, import, export over the tenant; no reveal */
let importer: Client;
/** the same plus reveal */
let revealer: Client;
let reader: Client;

beforeAll(async () => {
  tenant = await buildTenant(db);
  office = await buildUnit(db, tenant, { name: '党派工作科' });
  const root = tenant.root.id;
  importer = await signIn(app, await buildUser(db, tenant.tenantId, { scopeUnitId: root, permissions: ['unitedfront.read', 'unitedfront.import', 'unitedfront.export'] }));
  revealer = await signIn(
    app,
    await buildUser(db, tenant.tenantId, { scopeUnitId: root, permissions: ['unitedfront.read', 'unitedfront.import', 'unitedfront.export', 'unitedfront.reveal'] }),
  );
  reader = await signIn(app, await buildUser(db, tenant.tenantId, { scopeUnitId: root, permissions: ['unitedfront.read'] }));
});

function idNumber(i: number): string {
  return withCheckDigit(`4401061980${String(i).padStart(7, '0')}`);
}
const phoneOf = (i: number) => `1370000${String(i).padStart(4, '0')}`;

async function xlsxOf(rows: Row[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('统战成员');
  ws.addRow(HEADERS);
  const labels = HEADERS.map((h) => h.replace('*', ''));
  for (const r of rows) ws.addRow(labels.map((l) => r[l as Label] ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function upload(call: Client, data: Buffer, fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(data)]), 'contacts.xlsx');
  const res = new Response(form);
  const payload = Buffer.from(await res.arrayBuffer());
  return call({ method: 'POST', url: '/api/v1/unitedfront/contacts/import', payload, headers: { 'content-type': res.headers.get('content-type') ?? '' } });
}

async function count(): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from contacts where tenant_id = ${tenant.tenantId}`);
  return r.rows[0]?.n ?? 0;
}

const person = (i: number, o: Row = {}): Row => ({
  姓名: `导入${i}号`,
  类别: '无党派人士',
  手机号码: phoneOf(i),
  身份证号: idNumber(i),
  主管科室: office.name,
  ...o,
});

function detailsOf(body: string, code: string): ErrorDetail[] {
  const parsed = JSON.parse(body) as ErrorBody;
  expect(parsed.error.code).toBe(code);
  return parsed.error.details ?? [];
}

describe('template', () => {
  it('has the headers, an example row and a help sheet listing categories, parties and offices', async () => {
    const res = await importer({ url: '/api/v1/unitedfront/contacts/import-template.xlsx' });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('统战成员');
    expect(ws?.getRow(1).values).toEqual([undefined, '姓名*', '性别', '民族', '出生日期', '类别*', '所属党派', '加入党派日期', '工作单位', '职务', '人大代表', '政协委员', '手机号码', '身份证号', '标签', '主管科室*', '备注']);
    const help = wb.getWorksheet('说明');
    const text: string[] = [];
    help?.eachRow((r) => text.push(String(r.getCell(1).value ?? '')));
    expect(text).toEqual(expect.arrayContaining(['民主党派成员', '九三学社', '党派工作科']));
    expect((await reader({ url: '/api/v1/unitedfront/contacts/import-template.xlsx' })).statusCode).toBe(403);
  });

  it('imports nothing from the untouched template (its example row is skipped)', async () => {
    const tpl = (await importer({ url: '/api/v1/unitedfront/contacts/import-template.xlsx' })).rawPayload;
    const res = await upload(importer, tpl);
    expect(detailsOf(res.body, 'IMPORT_INVALID')).toEqual([{ problem: '文件中没有可导入的数据行' }]);
  });
});

describe('import', () => {
  it('imports rows with categories, a party, arrangements and tags', async () => {
    const res = await upload(
      importer,
      await xlsxOf([
        person(1, { 类别: '民主党派成员、党外知识分子', 所属党派: '民盟', 加入党派日期: '2010-03-01', 政协委员: '市级', 标签: '高校、重点' }),
        person(2),
        person(3, { 身份证号: null }),
      ]),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json<ContactImportResult>()).toEqual({ imported: 3, merged: 0, skipped: 0 });
    const first = (await reader({ url: `/api/v1/unitedfront/contacts?q=${encodeURIComponent('导入1号')}` })).json<{ items: Contact[] }>().items[0];
    expect(first).toMatchObject({
      partyName: '民盟',
      partyJoinedOn: '2010-03-01',
      arrangements: [{ kind: 'cppcc_member', level: 'city' }],
      tags: ['高校', '重点'],
      phoneMasked: '137****0001',
    });
    expect(first?.categories.map((c) => c.name)).toEqual(['民主党派成员', '党外知识分子']);
  });

  it('reports every bad row (unknown category, missing party, bad ID) with row and column, and imports nothing', async () => {
    const before = await count();
    const bad = idNumber(10);
    const res = await upload(
      importer,
      await xlsxOf([
        person(10, { 类别: '不存在的类别', 身份证号: `${bad.slice(0, 17)}${bad.at(-1) === '0' ? '1' : '0'}` }),
        person(11, { 类别: '民主党派成员' }),
        person(12, { 主管科室: '没有的科室', 人大代表: '宇宙级' }),
      ]),
    );
    expect(res.statusCode).toBe(422);
    expect(detailsOf(res.body, 'IMPORT_INVALID')).toEqual(
      expect.arrayContaining([
        { row: 2, column: '类别', problem: '没有名为“不存在的类别”的类别' },
        { row: 2, column: '身份证号', problem: '身份证号校验位不正确' },
        { row: 3, column: '所属党派', problem: '民主党派成员须填写所属党派' },
        { row: 4, column: '主管科室', problem: '没有名为“没有的科室”的有效科室' },
        { row: 4, column: '人大代表', problem: expect.stringContaining('应为') },
      ]),
    );
    expect(await count()).toBe(before);
  });

  it('reports a person twice in the file as a row error, and imports nothing', async () => {
    const before = await count();
    const res = await upload(importer, await xlsxOf([person(20), person(21), person(20, { 姓名: '换了名字' }), person(22, { 姓名: '导入21号', 手机号码: phoneOf(21), 身份证号: null })]));
    expect(res.statusCode).toBe(422);
    expect(detailsOf(res.body, 'IMPORT_INVALID')).toEqual([
      { row: 4, column: '身份证号', problem: '与第 2 行的身份证号重复' },
      { row: 5, column: '手机号码', problem: '与第 3 行的姓名和手机号码重复' },
    ]);
    expect(await count()).toBe(before);
  });

  it('reports rows naming registered contacts as duplicates until each is merged or skipped', async () => {
    const before = await count();
    const file = await xlsxOf([
      person(30),
      // same ID number as 导入1号, with a new post
      person(31, { 姓名: '导入1号', 身份证号: idNumber(1), 手机号码: null, 职务: '副校长', 标签: '新标签' }),
      // same name and phone as 导入2号, no ID number
      person(32, { 姓名: '导入2号', 手机号码: phoneOf(2), 身份证号: null, 类别: '宗教界人士' }),
    ]);
    const first = await upload(importer, file);
    expect(first.statusCode).toBe(409);
    expect(detailsOf(first.body, 'DUPLICATE')).toEqual([
      { row: 3, column: '身份证号', problem: '与已登记的“导入1号”重复（身份证号相同）' },
      { row: 4, column: '姓名/手机号码', problem: '与已登记的“导入2号”重复（姓名和手机号码相同）' },
    ]);
    expect(await count()).toBe(before);

    // one decided, one not: still nothing
    const partial = await upload(importer, file, { decisions: JSON.stringify({ 3: 'merge' }) });
    expect(detailsOf(partial.body, 'DUPLICATE')).toHaveLength(1);
    expect(await count()).toBe(before);

    const done = await upload(importer, file, { decisions: JSON.stringify({ 3: 'merge', 4: 'skip' }) });
    expect(done.statusCode).toBe(200);
    expect(done.json<ContactImportResult>()).toEqual({ imported: 1, merged: 1, skipped: 1 });
    expect(await count()).toBe(before + 1);
    const merged = (await reader({ url: `/api/v1/unitedfront/contacts?q=${encodeURIComponent('导入1号')}` })).json<{ items: Contact[] }>().items[0];
    expect(merged).toMatchObject({ post: '副校长', partyName: '民盟', tags: ['高校', '重点', '新标签'] });
    const skipped = (await reader({ url: `/api/v1/unitedfront/contacts?q=${encodeURIComponent('导入2号')}` })).json<{ items: Contact[] }>().items[0];
    expect(skipped?.categories.map((c) => c.name)).toEqual(['无党派人士']);
    // the merge is on the contact's timeline
    const tl = (await reader({ url: `/api/v1/unitedfront/contacts/${merged?.id}/timeline` })).json<{ items: { kind: string }[] }>().items;
    expect(tl.map((i) => i.kind)).toContain('contacts.merge');

    const audit = await db.execute<{ details: Record<string, unknown> }>(
      sql`select details from audit_log where tenant_id = ${tenant.tenantId} and action = 'contacts.import' and result = 'ok' order by id desc limit 1`,
    );
    expect(audit.rows[0]?.details).toMatchObject({ imported: 1, merged: 1, skipped: 1 });
  });

  it('skips every duplicate with onDuplicate=skip', async () => {
    const res = await upload(importer, await xlsxOf([person(1), person(2), person(40)]), { onDuplicate: 'skip' });
    expect(res.json<ContactImportResult>()).toEqual({ imported: 1, merged: 0, skipped: 2 });
  });

  it('stages a file of several batches and still imports nothing when a late row is bad, all of it when fixed', async () => {
    const before = await count();
    const rows = Array.from({ length: 2005 }, (_, i) => person(1000 + i));
    const bad = await upload(importer, await xlsxOf([...rows.slice(0, -1), person(3004, { 类别: '不存在的类别' })]));
    expect(detailsOf(bad.body, 'IMPORT_INVALID')).toEqual([{ row: 2006, column: '类别', problem: '没有名为“不存在的类别”的类别' }]);
    expect(await count()).toBe(before);
    const good = await upload(importer, await xlsxOf(rows));
    expect(good.json<ContactImportResult>()).toEqual({ imported: 2005, merged: 0, skipped: 0 });
    expect(await count()).toBe(before + 2005);
    // every new contact has its one category
    const names = rows.map((r) => String(r.姓名));
    const r = await db.execute<{ n: number }>(sql`
      select count(*)::int as n from contacts c join contact_category_links l on l.contact_id = c.id
       where c.tenant_id = ${tenant.tenantId} and c.name = any(${sql.param(names)}::text[])`);
    expect(r.rows[0]?.n).toBe(2005);
  }, 30_000);

  it('refuses what is not an XLSX file', async () => {
    const res = await upload(importer, Buffer.from('name,phone\n'));
    expect(res.json<ErrorBody>().error.code).toBe('UNSUPPORTED_FILE');
  });
});

describe('export', () => {
  it('masks numbers without the reveal permission and audits the row count', async () => {
    const res = await importer({ url: '/api/v1/unitedfront/contacts/export.xlsx' });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const rows: string[] = [];
    ws?.eachRow((r) => rows.push(JSON.stringify(r.values)));
    const total = await count();
    expect(rows).toHaveLength(total + 1);
    expect(rows.join()).toContain('137****0001');
    expect(rows.join()).not.toContain(phoneOf(1));
    const audit = await db.execute<{ details: Record<string, unknown> }>(
      sql`select details from audit_log where tenant_id = ${tenant.tenantId} and action = 'contacts.export' order by id desc limit 1`,
    );
    expect(audit.rows[0]?.details).toMatchObject({ rows: total, fullValues: false });
    expect((await reader({ url: '/api/v1/unitedfront/contacts/export.xlsx' })).statusCode).toBe(403);
  });

  it('gives full numbers to who may reveal them', async () => {
    const res = await revealer({ url: '/api/v1/unitedfront/contacts/export.xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows: string[] = [];
    wb.worksheets[0]?.eachRow((r) => rows.push(JSON.stringify(r.values)));
    expect(rows.join()).toContain(phoneOf(1));
  });
});
