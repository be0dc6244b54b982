import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { FeedbackForm, FeedbackResponse, Invitation, ProblemCategory, ProblemDetail } from '@tongxin/contracts';
import { programLimits } from '@tongxin/contracts';
import { CSRF, buildPerson, buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';

const { app, db } = await testApp({ dataDir: `/tmp/fb/${process.pid}-${Date.now()}` });
let t: TenantFixture;
let organiser: Client, reader: Client, programsOnly: Client;
let personId: string, unitId: string;
let addressSeq = 0;

/** Each call comes from its own address unless told otherwise, so only the flood test meets the limit. */
function answer(publicId: string, payload: unknown, ip?: string) {
  addressSeq += 1;
  return app.inject({
    method: 'POST',
    url: `/api/v1/public/forms/${publicId}/responses`,
    headers: { ...CSRF },
    remoteAddress: ip ?? `10.1.${Math.floor(addressSeq / 250)}.${addressSeq % 250}`,
    payload: payload as object,
  });
}

const fields = [
  { key: 'opinion', label: '意见建议', kind: 'text', required: true, long: true },
  { key: 'area', label: '涉及方面', kind: 'choice', options: ['作风', '效能', '服务'], required: false },
  { key: 'score', label: '满意度', kind: 'rating', required: false },
  { key: 'attachment', label: '附件', kind: 'file', required: false },
];

async function responseCount(formId: string) {
  const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from feedback_responses where form_id = ${formId}`);
  return r.rows[0]?.n ?? 0;
}

async function newForm(o: Partial<{ mode: string; inviteOnly: boolean; open: boolean }> = {}): Promise<FeedbackForm> {
  const r = await organiser({ method: 'POST', url: '/api/v1/feedback/forms', payload: { title: '征求意见表', fields, mode: o.mode ?? 'anonymous', inviteOnly: o.inviteOnly ?? false } });
  expect(r.statusCode).toBe(201);
  const f = r.json<FeedbackForm>();
  if (o.open === false) return f;
  const opened = await organiser({ method: 'POST', url: `/api/v1/feedback/forms/${f.id}/status`, payload: { version: f.version, status: 'open' } });
  expect(opened.statusCode).toBe(200);
  return opened.json<FeedbackForm>();
}

beforeAll(async () => {
  t = await buildTenant(db);
  const office = await buildUnit(db, t, { type: 'office', name: '办公室' });
  unitId = office.id;
  personId = await buildPerson(db, t.tenantId, { officeId: office.id, name: '服务对象' });
  organiser = await signIn(
    app,
    await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['feedback.read', 'feedback.manage', 'rectification.read', 'rectification.write'] }),
  );
  reader = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['feedback.read'] }));
  programsOnly = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['programs.read', 'programs.write'] }));
});

describe('feedback forms', () => {
  it('has its own permissions: programs.* alone neither reads nor builds forms, feedback.read does not build', async () => {
    expect((await programsOnly({ url: '/api/v1/feedback/forms' })).statusCode).toBe(403);
    expect((await programsOnly({ method: 'POST', url: '/api/v1/feedback/forms', payload: { title: 'x', fields } })).statusCode).toBe(403);
    expect((await reader({ method: 'POST', url: '/api/v1/feedback/forms', payload: { title: 'x', fields } })).statusCode).toBe(403);
    expect((await reader({ url: '/api/v1/feedback/forms' })).statusCode).toBe(200);
  });

  it('a draft is not public; an open form is answered without an account and the organiser sees it', async () => {
    const draft = await newForm({ open: false });
    expect(draft.publicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect((await app.inject({ url: `/api/v1/public/forms/${draft.publicId}` })).statusCode).toBe(404);
    const form = await newForm();
    const pub = await app.inject({ url: `/api/v1/public/forms/${form.publicId}` });
    expect(pub.statusCode).toBe(200);
    expect(pub.json<{ fields: unknown[] }>().fields).toHaveLength(4);
    const file = { name: 'photo.png', type: 'image/png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]).toString('base64') };
    const res = await answer(form.publicId, { answers: { opinion: '窗口办事等待时间长', area: '效能', score: 3, attachment: file }, name: '不该保存' });
    expect(res.statusCode).toBe(201);
    const list = (await reader({ url: `/api/v1/feedback/forms/${form.id}/responses` })).json<{ items: FeedbackResponse[] }>();
    expect(list.items).toHaveLength(1);
    const got = list.items[0];
    // anonymous: the name given is not kept
    expect(got?.respondentName).toBeNull();
    expect(got?.answers.opinion).toBe('窗口办事等待时间长');
    const fileAnswer = got?.answers.attachment as { fileId: string; name: string };
    expect(fileAnswer.name).toBe('photo.png');
    const dl = await reader({ url: `/api/v1/feedback/files/${fileAnswer.fileId}` });
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('image/png');
  });

  it('validates answers against the form: required, options, rating range, unknown questions', async () => {
    const form = await newForm();
    const bad = await answer(form.publicId, { answers: { area: '别的', score: 9, extra: 'x' } });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json<{ error: { details: { path: string }[] } }>().error.details.map((d) => d.path).sort();
    expect(paths).toEqual(['answers.area', 'answers.extra', 'answers.opinion', 'answers.score']);
    expect(await responseCount(form.id)).toBe(0);
  });

  it('a named form requires and keeps the name', async () => {
    const form = await newForm({ mode: 'named' });
    expect((await answer(form.publicId, { answers: { opinion: 'x' } })).statusCode).toBe(400);
    expect((await answer(form.publicId, { answers: { opinion: 'x' }, name: '张三', contact: '13800000000' })).statusCode).toBe(201);
    const list = (await reader({ url: `/api/v1/feedback/forms/${form.id}/responses` })).json<{ items: FeedbackResponse[] }>();
    expect(list.items[0]?.respondentName).toBe('张三');
  });

  it('abuse: a flood from one address meets the rate limit (429) and the table stays bounded', async () => {
    const form = await newForm();
    const codes: number[] = [];
    for (let i = 0; i < 40; i++) codes.push((await answer(form.publicId, { answers: { opinion: `刷屏${i}` } }, '203.0.113.9')).statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(programLimits.publicSubmitsPerMinute);
    expect(codes.filter((c) => c === 429)).toHaveLength(40 - programLimits.publicSubmitsPerMinute);
    expect(await responseCount(form.id)).toBe(programLimits.publicSubmitsPerMinute);
    // another address is not affected
    expect((await answer(form.publicId, { answers: { opinion: '正常' } })).statusCode).toBe(201);
  });

  it('abuse: a 10 MB answer is refused before it is parsed; a long field is refused; nothing is stored', async () => {
    const form = await newForm();
    const huge = await answer(form.publicId, { answers: { opinion: 'x'.repeat(10 * 1024 * 1024) } });
    expect(huge.statusCode).toBe(413);
    expect(huge.json<{ error: { code: string } }>().error.code).toBe('PAYLOAD_TOO_LARGE');
    const long = await answer(form.publicId, { answers: { opinion: '长'.repeat(programLimits.answerTextMax + 1) } });
    expect(long.statusCode).toBe(400);
    expect(await responseCount(form.id)).toBe(0);
  });

  it('abuse: a script tag is stored and returned as text, the export holds it as text', async () => {
    const form = await newForm();
    const script = '<script>alert(document.cookie)</script><img src=x onerror=alert(1)>';
    expect((await answer(form.publicId, { answers: { opinion: script } })).statusCode).toBe(201);
    const res = await reader({ url: `/api/v1/feedback/forms/${form.id}/responses` });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json<{ items: FeedbackResponse[] }>().items[0]?.answers.opinion).toBe(script);
    const xlsx = await reader({ url: `/api/v1/feedback/forms/${form.id}/responses.xlsx` });
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws?.getRow(1).getCell(5).value).toBe('意见建议');
    expect(ws?.getRow(2).getCell(5).value).toBe(script);
  });

  it('abuse: the honeypot stores nothing but answers like a success', async () => {
    const form = await newForm();
    const res = await answer(form.publicId, { answers: { opinion: '机器人' }, website: 'http://spam.example' });
    expect(res.statusCode).toBe(201);
    expect(await responseCount(form.id)).toBe(0);
  });

  it('abuse: a closed form refuses answers (WINDOW_CLOSED), also right after answers were taken', async () => {
    const form = await newForm();
    // the process now holds the form's questions: closing must still take effect at once
    expect((await answer(form.publicId, { answers: { opinion: '及时' } })).statusCode).toBe(201);
    const closed = await organiser({ method: 'POST', url: `/api/v1/feedback/forms/${form.id}/status`, payload: { version: form.version, status: 'closed' } });
    expect(closed.json<FeedbackForm>().status).toBe('closed');
    const res = await answer(form.publicId, { answers: { opinion: '晚了' } });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('WINDOW_CLOSED');
    expect(await responseCount(form.id)).toBe(1);
    const reopened = await organiser({ method: 'POST', url: `/api/v1/feedback/forms/${form.id}/status`, payload: { version: closed.json<FeedbackForm>().version, status: 'open' } });
    expect(reopened.statusCode).toBe(200);
    expect((await answer(form.publicId, { answers: { opinion: '重新开放' } })).statusCode).toBe(201);
    expect(await responseCount(form.id)).toBe(2);
  });

  it('abuse: one invitation answers once; an invite-only form refuses answers without a token', async () => {
    const form = await newForm({ inviteOnly: true });
    const inv = await organiser({ method: 'POST', url: `/api/v1/feedback/forms/${form.id}/invitations`, payload: { unitIds: [unitId], personIds: [personId] } });
    expect(inv.statusCode).toBe(200);
    const items = inv.json<{ items: Invitation[] }>().items;
    expect(items).toHaveLength(2);
    const token = items.find((i) => i.targetType === 'person')?.token;
    expect(token).toBeTruthy();
    expect((await answer(form.publicId, { answers: { opinion: '无口令' } })).statusCode).toBe(403);
    expect((await answer(form.publicId, { answers: { opinion: '假口令' }, token: 'not-a-real-token' })).statusCode).toBe(403);
    expect((await answer(form.publicId, { answers: { opinion: '第一次' }, token })).statusCode).toBe(201);
    const twice = await answer(form.publicId, { answers: { opinion: '第二次' }, token });
    expect(twice.statusCode).toBe(409);
    expect(twice.json<{ error: { code: string } }>().error.code).toBe('CONFLICT');
    expect(await responseCount(form.id)).toBe(1);
    const after = (await reader({ url: `/api/v1/feedback/forms/${form.id}` })).json<FeedbackForm>();
    expect([after.invited, after.invitedAnswered, after.responses]).toEqual([2, 1, 1]);
    // listing again gives no tokens: they were shown once
    const again = (await reader({ url: `/api/v1/feedback/forms/${form.id}/invitations` })).json<{ items: Invitation[] }>();
    expect(again.items.every((i) => i.token === undefined)).toBe(true);
    expect(again.items.find((i) => i.targetType === 'person')?.answered).toBe(true);
  });

  it('abuse: the same token sent twice at the same moment answers once (one 201, one 409)', async () => {
    const form = await newForm({ inviteOnly: true });
    const inv = await organiser({ method: 'POST', url: `/api/v1/feedback/forms/${form.id}/invitations`, payload: { unitIds: [unitId] } });
    const token = inv.json<{ items: Invitation[] }>().items.find((i) => i.targetType === 'unit')?.token;
    const codes = await Promise.all([1, 2, 3].map((n) => answer(form.publicId, { answers: { opinion: `并发${n}` }, token }).then((r) => r.statusCode)));
    expect(codes.sort()).toEqual([201, 409, 409]);
    expect(await responseCount(form.id)).toBe(1);
  });

  it('concurrent answers are written together and none is lost', async () => {
    const form = await newForm();
    // the first answer puts the form's questions in the process; the rest arrive at once
    expect((await answer(form.publicId, { answers: { opinion: '第一条' } })).statusCode).toBe(201);
    const codes = await Promise.all(Array.from({ length: 40 }, (_, i) => answer(form.publicId, { answers: { opinion: `同时${i}`, score: 1 + (i % 5) } }).then((r) => r.statusCode)));
    expect(codes.every((c) => c === 201)).toBe(true);
    expect(await responseCount(form.id)).toBe(41);
  });

  it('questions are fixed once answers exist', async () => {
    const form = await newForm();
    await answer(form.publicId, { answers: { opinion: 'x' } });
    const res = await organiser({ method: 'PATCH', url: `/api/v1/feedback/forms/${form.id}`, payload: { version: form.version, fields: fields.slice(0, 1) } });
    expect(res.statusCode).toBe(409);
  });

  it('a response (or part of it) becomes a problem linked to it', async () => {
    const form = await newForm();
    await answer(form.publicId, { answers: { opinion: '一是会议多；二是材料多' } });
    const resp = (await reader({ url: `/api/v1/feedback/forms/${form.id}/responses` })).json<{ items: FeedbackResponse[] }>().items[0];
    const cats = (await organiser({ url: '/api/v1/rectification/categories' })).json<{ items: ProblemCategory[] }>().items;
    const res = await organiser({
      method: 'POST',
      url: '/api/v1/rectification/problems',
      payload: { source: 'feedback_response', sourceResponseId: resp?.id, title: '文山会海', description: '二是材料多', categoryId: cats[0]?.id, foundOn: '2026-01-05' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json<ProblemDetail>().sourceResponseId).toBe(resp?.id);
    const list = (await reader({ url: `/api/v1/feedback/forms/${form.id}/responses` })).json<{ items: FeedbackResponse[] }>();
    expect(list.items[0]?.problemIds).toEqual([res.json<ProblemDetail>().id]);
  });
});
