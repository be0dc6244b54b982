import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { ProblemCategory, ProblemDetail, ProblemSummary, ProgramDetail } from '@tongxin/contracts';
import { buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';
import { notifyOverdueMeasures } from './rectification.notify.service';
import { dueWindow } from './rectification.service';

const { app, db } = await testApp({ dataDir: `/tmp/rect/${process.pid}-${Date.now()}` });
let t: TenantFixture;
let owner: Client, leader: Client, reviewer: Client, reader: Client;
let ownerId: string, leaderId: string, reviewerId: string;
let categories: ProblemCategory[];
let program: ProgramDetail;

async function userId(username: string) {
  const r = await db.execute<{ id: string }>(sql`select id from users where username = ${username}`);
  return r.rows[0]?.id ?? '';
}

const daysFromToday = (n: number) => new Date(Date.parse(`${dueWindow().today}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await buildTenant(db);
  const writer: ['programs.read', 'programs.write', 'rectification.read', 'rectification.write', 'rectification.verify'] = [
    'programs.read',
    'programs.write',
    'rectification.read',
    'rectification.write',
    'rectification.verify',
  ];
  const u1 = await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: writer });
  const u2 = await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['rectification.read', 'rectification.write', 'rectification.verify'] });
  const u3 = await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['rectification.read', 'rectification.verify'] });
  const u4 = await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['rectification.read'] });
  [owner, leader, reviewer, reader] = [await signIn(app, u1), await signIn(app, u2), await signIn(app, u3), await signIn(app, u4)];
  [ownerId, leaderId, reviewerId] = [await userId(u1), await userId(u2), await userId(u3)];
  categories = (await reader({ url: '/api/v1/rectification/categories' })).json<{ items: ProblemCategory[] }>().items;
  program = (await owner({ method: 'POST', url: '/api/v1/programs', payload: { title: '主题教育', ownerUnitId: t.root.id, startsOn: '2026-01-01', endsOn: '2026-12-31' } })).json<ProgramDetail>();
});

async function newProblem(o: { foundOn?: string; programId?: string } = {}): Promise<ProblemDetail> {
  const res = await owner({
    method: 'POST',
    url: '/api/v1/rectification/problems',
    payload: { source: 'self_inspection', title: '调查研究不够深入', description: '下基层调研次数少', categoryId: categories[0]?.id, foundOn: o.foundOn ?? '2026-01-10', programId: o.programId ?? program.id },
  });
  expect(res.statusCode).toBe(201);
  return res.json<ProblemDetail>();
}

async function addMeasure(problemId: string, o: { owner?: string; deadline?: string } = {}) {
  return leader({ method: 'POST', url: `/api/v1/rectification/problems/${problemId}/measures`, payload: { title: '每季度下基层调研一次', ownerUserId: o.owner ?? leaderId, deadline: o.deadline ?? daysFromToday(30) } });
}

describe('problems and rectification', () => {
  it('seeds the four default categories per tenant', () => {
    expect(categories.map((c) => c.code)).toEqual(['collective_work', 'collective_style', 'individual_work', 'individual_style']);
  });

  it('numbers problems per tenant; a leader claims, the program owner assigns, others may not assign', async () => {
    const p1 = await newProblem();
    const p2 = await newProblem();
    expect(p2.number).toBe(p1.number + 1);
    const claimed = await leader({ method: 'POST', url: `/api/v1/rectification/problems/${p1.id}/claim` });
    expect(claimed.json<ProblemDetail>().claimants.map((c) => c.id)).toEqual([leaderId]);
    expect((await leader({ method: 'POST', url: `/api/v1/rectification/problems/${p1.id}/assign`, payload: { userId: reviewerId } })).statusCode).toBe(403);
    const assigned = await owner({ method: 'POST', url: `/api/v1/rectification/problems/${p1.id}/assign`, payload: { userId: reviewerId } });
    expect(assigned.json<ProblemDetail>().claimants.map((c) => c.id).sort()).toEqual([leaderId, reviewerId].sort());
    expect(assigned.json<ProblemDetail>().canAssign).toBe(true);
    const byClaimant = (await reader({ url: `/api/v1/rectification/problems?claimantId=${reviewerId}` })).json<{ items: ProblemSummary[] }>();
    expect(byClaimant.items.map((p) => p.id)).toEqual([p1.id]);
    expect((await reader({ method: 'POST', url: `/api/v1/rectification/problems/${p1.id}/claim` })).statusCode).toBe(403);
  });

  it('abuse: a deadline before the date the problem was found is refused', async () => {
    const p = await newProblem({ foundOn: daysFromToday(-5) });
    const res = await addMeasure(p.id, { deadline: daysFromToday(-6) });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { details: { path: string }[] } }>().error.details[0]?.path).toBe('deadline');
    expect((await addMeasure(p.id, { deadline: daysFromToday(60) })).statusCode).toBe(201);
    const m = (await reader({ url: `/api/v1/rectification/problems/${p.id}` })).json<ProblemDetail>().measureList[0];
    const moved = await leader({ method: 'PATCH', url: `/api/v1/rectification/measures/${m?.id}`, payload: { version: m?.version, deadline: daysFromToday(-6) } });
    expect(moved.statusCode).toBe(400);
  });

  it('abuse: the owner of a measure cannot verify it (SELF_REVIEW), in the database too', async () => {
    const p = await newProblem();
    const m = (await addMeasure(p.id, { owner: leaderId })).json<ProblemDetail>().measureList[0];
    await leader({ method: 'POST', url: `/api/v1/rectification/measures/${m?.id}/progress`, payload: { percent: 100, note: '已完成' } });
    const detail = (await reader({ url: `/api/v1/rectification/problems/${p.id}` })).json<ProblemDetail>();
    const done = detail.measureList[0];
    expect(done?.status).toBe('done');
    const self = await leader({ method: 'POST', url: `/api/v1/rectification/measures/${m?.id}/verify`, payload: { version: done?.version } });
    expect(self.statusCode).toBe(403);
    expect(self.json<{ error: { code: string } }>().error.code).toBe('SELF_REVIEW');
    await expect(db.execute(sql`update rectification_measures set verified_by = owner_user_id, verified_at = now() where id = ${m?.id ?? ''}`)).rejects.toMatchObject({
      cause: { constraint: 'rectification_measures_self_review_check' },
    });
  });

  it('abuse: closing a problem with an open measure is refused; verifying every measure rectifies it', async () => {
    const p = await newProblem();
    await addMeasure(p.id);
    const two = (await addMeasure(p.id, { owner: ownerId })).json<ProblemDetail>();
    const [m1, m2] = two.measureList;
    const early = await reviewer({ method: 'POST', url: `/api/v1/rectification/problems/${p.id}/close` });
    expect(early.statusCode).toBe(409);
    expect(early.json<{ error: { code: string } }>().error.code).toBe('INVALID_STATE');
    // a measure not done cannot be verified
    expect((await reviewer({ method: 'POST', url: `/api/v1/rectification/measures/${m1?.id}/verify`, payload: { version: m1?.version } })).statusCode).toBe(409);
    for (const m of [m1, m2]) await leader({ method: 'POST', url: `/api/v1/rectification/measures/${m?.id}/progress`, payload: { percent: 100, note: '完成，附材料' } });
    let d = (await reader({ url: `/api/v1/rectification/problems/${p.id}` })).json<ProblemDetail>();
    // sent back with a reason: in progress again, the reason shown
    const back = await reviewer({ method: 'POST', url: `/api/v1/rectification/measures/${m1?.id}/return`, payload: { version: d.measureList[0]?.version, reason: '缺少佐证材料' } });
    expect(back.json<ProblemDetail>().measureList[0]).toMatchObject({ status: 'in_progress', returnedReason: '缺少佐证材料', closed: false });
    await leader({ method: 'POST', url: `/api/v1/rectification/measures/${m1?.id}/progress`, payload: { percent: 100, note: '补充材料' } });
    d = (await reader({ url: `/api/v1/rectification/problems/${p.id}` })).json<ProblemDetail>();
    const v1 = await reviewer({ method: 'POST', url: `/api/v1/rectification/measures/${m1?.id}/verify`, payload: { version: d.measureList[0]?.version } });
    expect(v1.statusCode).toBe(200);
    expect(v1.json<ProblemDetail>().status).toBe('open');
    expect((await reviewer({ method: 'POST', url: `/api/v1/rectification/problems/${p.id}/close` })).statusCode).toBe(409);
    const v2 = await reviewer({ method: 'POST', url: `/api/v1/rectification/measures/${m2?.id}/verify`, payload: { version: d.measureList[1]?.version } });
    expect(v2.json<ProblemDetail>().status).toBe('rectified');
    expect(v2.json<ProblemDetail>().measureList.every((m) => m.closed && m.verifiedBy?.id === reviewerId)).toBe(true);
    // a closed measure takes no more progress
    expect((await leader({ method: 'POST', url: `/api/v1/rectification/measures/${m1?.id}/progress`, payload: { percent: 50, note: 'x' } })).statusCode).toBe(409);
    expect((await reviewer({ method: 'POST', url: `/api/v1/rectification/problems/${p.id}/close` })).statusCode).toBe(200);
  });

  it('evidence files are checked by content and downloadable', async () => {
    const p = await newProblem();
    const m = (await addMeasure(p.id)).json<ProblemDetail>().measureList[0];
    const boundary = 'x-boundary';
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="整改报告.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
      pdf,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await leader({ method: 'POST', url: `/api/v1/rectification/measures/${m?.id}/evidence`, payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(up.statusCode).toBe(201);
    const ev = up.json<ProblemDetail>().measureList[0]?.evidence[0];
    expect(ev?.filename).toBe('整改报告.pdf');
    const dl = await reader({ url: `/api/v1/rectification/evidence/${ev?.id}` });
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(pdf)).toBe(true);
    const exe = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n`), Buffer.from('MZ\x90\x00binary'), Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const refused = await leader({ method: 'POST', url: `/api/v1/rectification/measures/${m?.id}/evidence`, payload: exe, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(refused.statusCode).toBe(415);
  });

  it('flags overdue red and due-soon amber, filters by them, and notifies the owner and the program owner once', async () => {
    const p = await newProblem({ foundOn: daysFromToday(-20) });
    await addMeasure(p.id, { deadline: daysFromToday(-1), owner: reviewerId });
    await addMeasure(p.id, { deadline: daysFromToday(3) });
    const d = (await reader({ url: `/api/v1/rectification/problems/${p.id}` })).json<ProblemDetail>();
    expect(d.measureList.map((m) => m.due)).toEqual(['overdue', 'soon']);
    expect(d.due).toBe('overdue');
    const overdue = (await reader({ url: '/api/v1/rectification/problems?due=overdue' })).json<{ items: ProblemSummary[] }>();
    expect(overdue.items.map((x) => x.id)).toEqual([p.id]);
    const first = await notifyOverdueMeasures(db, new Date());
    expect(first).toBe(2);
    expect(await notifyOverdueMeasures(db, new Date())).toBe(0);
    const r = await db.execute<{ user_id: string }>(sql`select user_id from notifications where kind = 'rectification.overdue' order by user_id`);
    expect(r.rows.map((x) => x.user_id).sort()).toEqual([ownerId, reviewerId].sort());
  });

  it('exports the ledger (XLSX with coloured status, DOCX summary) and the program counts rectified problems', async () => {
    const xlsx = await reader({ url: '/api/v1/rectification/ledger.xlsx' });
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws?.getRow(1).values).toEqual([undefined, '序号', '问题', '来源', '类别', '认领领导', '整改措施', '责任人', '完成时限', '状态', '验收人', '销号日期']);
    const statuses: { text: string; fill: string | undefined }[] = [];
    ws?.eachRow((row, n) => {
      if (n === 1) return;
      const c = row.getCell(9);
      statuses.push({ text: String(c.value), fill: c.fill && 'fgColor' in c.fill ? c.fill.fgColor?.argb : undefined });
    });
    expect(statuses.find((s) => s.text === '已销号')?.fill).toBe('FFC6EFCE');
    expect(statuses.find((s) => s.text.includes('已逾期'))?.fill).toBe('FFFFC7CE');
    expect(statuses.find((s) => s.text.includes('即将到期'))?.fill).toBe('FFFFEB9C');
    const docx = await reader({ url: '/api/v1/rectification/ledger.docx' });
    expect(docx.statusCode).toBe(200);
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');

    const track = (await owner({ method: 'POST', url: `/api/v1/programs/${program.id}/items`, payload: { kind: '具体方案', title: '整改落实方案' } })).json<ProgramDetail>().items[0];
    const withInd = await owner({
      method: 'POST',
      url: `/api/v1/programs/items/${track?.id}/indicators`,
      payload: { kind: 'computed', name: '问题整改销号', source: 'problems', target: 2 },
    });
    const ind = withInd.json<ProgramDetail>().items[0]?.indicators[0];
    // one problem rectified above, found in the program's period
    expect(ind?.count).toBe(1);
    expect(ind?.progress).toBe(50);
  });

  it('writes are scoped by the program\'s owner unit: a branch user reaches their own branch\'s problems only (404 elsewhere)', async () => {
    const branchA = await buildUnit(db, t, { type: 'branch', name: '第一支部' });
    const branchB = await buildUnit(db, t, { type: 'branch', name: '第二支部' });
    const perms: ['rectification.read', 'rectification.write', 'rectification.verify'] = ['rectification.read', 'rectification.write', 'rectification.verify'];
    const uA = await buildUser(db, t.tenantId, { scopeUnitId: branchA.id, permissions: perms });
    const secretaryA = await signIn(app, uA);
    const secretaryAId = await userId(uA);
    const programOf = async (unitId: string) =>
      (await owner({ method: 'POST', url: '/api/v1/programs', payload: { title: '支部整改', ownerUnitId: unitId, startsOn: '2026-01-01', endsOn: '2026-12-31' } })).json<ProgramDetail>();
    const [progA, progB] = [await programOf(branchA.id), await programOf(branchB.id)];
    const [mine, theirs, departmentWide] = [await newProblem({ programId: progA.id }), await newProblem({ programId: progB.id }), await newProblem()];
    const noProgram = (
      await owner({ method: 'POST', url: '/api/v1/rectification/problems', payload: { source: 'other', title: '无方案的问题', description: 'x', categoryId: categories[0]?.id, foundOn: '2026-01-10' } })
    ).json<ProblemDetail>();
    expect(departmentWide.programId).toBe(program.id);
    const measure = (id: string, ownerId = secretaryAId) =>
      secretaryA({ method: 'POST', url: `/api/v1/rectification/problems/${id}/measures`, payload: { title: '整改', ownerUserId: ownerId, deadline: daysFromToday(30) } });

    // their own branch: allowed, and the detail says so
    const ok = await measure(mine.id);
    expect(ok.statusCode).toBe(201);
    expect(ok.json<ProblemDetail>()).toMatchObject({ canEdit: true, canVerify: true });
    // another branch's problem, a department-level program's, one without a program: not found
    for (const p of [theirs, departmentWide, noProgram]) {
      const res = await measure(p.id);
      expect([p.title, res.statusCode]).toEqual([p.title, 404]);
      expect((await secretaryA({ method: 'PATCH', url: `/api/v1/rectification/problems/${p.id}`, payload: { version: p.version, title: '改' } })).statusCode).toBe(404);
      expect((await secretaryA({ method: 'POST', url: `/api/v1/rectification/problems/${p.id}/claim` })).statusCode).toBe(404);
      expect((await secretaryA({ method: 'POST', url: `/api/v1/rectification/problems/${p.id}/close` })).statusCode).toBe(404);
    }
    // still readable (the inventory is department-wide), but not editable
    const seen = await secretaryA({ url: `/api/v1/rectification/problems/${theirs.id}` });
    expect(seen.statusCode).toBe(200);
    expect(seen.json<ProblemDetail>()).toMatchObject({ canEdit: false, canVerify: false });
    // nor can a problem be created under, or moved to, another unit's program
    const create = await secretaryA({
      method: 'POST',
      url: '/api/v1/rectification/problems',
      payload: { source: 'other', title: '越权', description: 'x', categoryId: categories[0]?.id, foundOn: '2026-01-10', programId: progB.id },
    });
    expect(create.statusCode).toBe(403);
    const mineNow = (await reader({ url: `/api/v1/rectification/problems/${mine.id}` })).json<ProblemDetail>();
    expect((await secretaryA({ method: 'PATCH', url: `/api/v1/rectification/problems/${mine.id}`, payload: { version: mineNow.version, programId: progB.id } })).statusCode).toBe(403);
    // measures of another unit's problem: not found for updates, verification, returns
    const theirMeasure = (await addMeasure(theirs.id, { owner: ownerId })).json<ProblemDetail>().measureList[0];
    await owner({ method: 'POST', url: `/api/v1/rectification/measures/${theirMeasure?.id}/progress`, payload: { percent: 100, note: '完成' } });
    const v = (await reader({ url: `/api/v1/rectification/problems/${theirs.id}` })).json<ProblemDetail>().measureList[0]?.version;
    expect((await secretaryA({ method: 'PATCH', url: `/api/v1/rectification/measures/${theirMeasure?.id}`, payload: { version: v, title: '改' } })).statusCode).toBe(404);
    expect((await secretaryA({ method: 'POST', url: `/api/v1/rectification/measures/${theirMeasure?.id}/verify`, payload: { version: v } })).statusCode).toBe(404);
    expect((await secretaryA({ method: 'POST', url: `/api/v1/rectification/measures/${theirMeasure?.id}/return`, payload: { version: v, reason: 'x' } })).statusCode).toBe(404);
    // …unless the measure is their own: an owner reports progress wherever the problem sits
    const assigned = (await addMeasure(theirs.id, { owner: secretaryAId })).json<ProblemDetail>().measureList.find((m) => m.owner.id === secretaryAId);
    expect((await secretaryA({ method: 'POST', url: `/api/v1/rectification/measures/${assigned?.id}/progress`, payload: { percent: 40, note: '推进中' } })).statusCode).toBe(201);
  });

  it('categories: added, renamed and retired department-wide only; a retired one is not offered for new problems', async () => {
    const branch = await buildUnit(db, t, { type: 'branch', name: '第三支部' });
    const branchUser = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: branch.id, permissions: ['rectification.read', 'rectification.write'] }));
    const payload = { code: 'style_extra', nameZh: '作风建设', nameEn: 'Conduct' };
    expect((await branchUser({ method: 'POST', url: '/api/v1/rectification/categories', payload })).statusCode).toBe(403);
    const created = await owner({ method: 'POST', url: '/api/v1/rectification/categories', payload });
    expect(created.statusCode).toBe(201);
    const c = created.json<ProblemCategory>();
    expect((await owner({ method: 'POST', url: '/api/v1/rectification/categories', payload })).json<{ error: { code: string } }>().error.code).toBe('DUPLICATE');
    expect((await branchUser({ method: 'PATCH', url: `/api/v1/rectification/categories/${c.id}`, payload: { nameZh: '改名' } })).statusCode).toBe(403);
    const renamed = await owner({ method: 'PATCH', url: `/api/v1/rectification/categories/${c.id}`, payload: { nameZh: '作风建设方面', active: false } });
    expect(renamed.json<ProblemCategory>()).toMatchObject({ nameZh: '作风建设方面', active: false });
    const refused = await owner({
      method: 'POST',
      url: '/api/v1/rectification/problems',
      payload: { source: 'other', title: 'x', description: 'x', categoryId: c.id, foundOn: '2026-01-10', programId: program.id },
    });
    expect(refused.statusCode).toBe(400);
  });

  it('edits a problem\'s text, category and source; a feedback problem keeps its source', async () => {
    const p = await newProblem();
    const res = await owner({ method: 'PATCH', url: `/api/v1/rectification/problems/${p.id}`, payload: { version: p.version, description: '改写的描述', categoryId: categories[1]?.id, source: 'supervision' } });
    expect(res.statusCode).toBe(200);
    expect(res.json<ProblemDetail>()).toMatchObject({ description: '改写的描述', categoryId: categories[1]?.id, source: 'supervision' });
    const fb = await owner({ method: 'PATCH', url: `/api/v1/rectification/problems/${p.id}`, payload: { version: p.version + 1, source: 'feedback_response' } });
    expect(fb.statusCode).toBe(400);
  });
});
