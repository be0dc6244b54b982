import { beforeAll, describe, expect, it } from 'vitest';
import type { ActivityDetail, ActivityType, Contact, Enterprise, FeedbackForm, IntegrityRule, MetricResult, ServiceCase, UfCatalogues } from '@tongxin/contracts';
import { creditCodeCheckChar } from '@tongxin/contracts';
import type { OrgUnitRow } from '../org/org.repo';
import { CSRF, buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';

/**
 * The figures of the reference report (../shared/reference/model-organ-report.zh.txt) computed
 * from records created through the API, each read from the reports metric endpoint: the
 * figure a work summary prints is the figure these records give, one test per figure.
 */

const { app, db } = await testApp({ dataDir: `/tmp/uf-figures/${process.pid}-${Date.now()}` });

let tenant: TenantFixture;
let office: OrgUnitRow;
let staff: Client;
let reader: Client;
let contacts: Contact[] = [];
const types = new Map<string, string>();

// everything is dated on the first day of the current year, so nothing lies in the future
const year = new Date().getUTCFullYear();
const jan1 = `${year}-01-01`;
const at = (hourUtc: number) => `${jan1}T${String(hourUtc).padStart(2, '0')}:00:00.000Z`;

async function figure(metric: string, args: Record<string, string> = {}): Promise<number> {
  const res = await reader({ method: 'POST', url: '/api/v1/reports/metrics/evaluate', payload: { period: { kind: 'year', year }, metric, args } });
  expect(res.statusCode).toBe(200);
  return res.json<MetricResult>().value;
}

async function ok<T>(res: { statusCode: number; body: string; json: <U>() => U }, status = 201): Promise<T> {
  if (res.statusCode !== status) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json<T>();
}

/** Plans an activity of the type at the office and returns it. */
async function plan(code: string, topic: string, o: Record<string, unknown> = {}): Promise<ActivityDetail> {
  return ok<ActivityDetail>(await staff({ method: 'POST', url: '/api/v1/activities', payload: { typeId: types.get(code), unitId: office.id, topic, startsAt: at(2), endsAt: at(4), ...o } }));
}

async function hold(a: ActivityDetail): Promise<void> {
  const fresh = await ok<ActivityDetail>(await staff({ url: `/api/v1/activities/${a.id}` }), 200);
  await ok(await staff({ method: 'POST', url: `/api/v1/activities/${a.id}/transition`, payload: { version: fresh.version, status: 'held' } }), 200);
}

/** Marks these contacts present and the rest of the roster absent. */
async function attend(a: ActivityDetail, roster: Contact[], present: number): Promise<void> {
  const items = roster.map((c, i) => ({ contactId: c.id, attendance: i < present ? 'present' : 'absent' }));
  await ok(await staff({ method: 'POST', url: `/api/v1/activities/${a.id}/attendance`, payload: { items } }), 200);
}

let codeSeq = 0;
/** A unified social credit code with a correct check character. */
function creditCode(): string {
  codeSeq += 1;
  const first17 = `91341800MA${String(codeSeq).padStart(7, '0')}`;
  return first17 + (creditCodeCheckChar(first17) ?? '');
}

beforeAll(async () => {
  tenant = await buildTenant(db, '市委统战部');
  office = await buildUnit(db, tenant, { name: '经济联络科' });
  staff = await signIn(
    app,
    await buildUser(db, tenant.tenantId, {
      scopeUnitId: tenant.root.id,
      permissions: ['unitedfront.read', 'unitedfront.write', 'activities.read', 'activities.write', 'feedback.read', 'feedback.manage', 'org.read'],
    }),
  );
  reader = await signIn(app, await buildUser(db, tenant.tenantId, { scopeUnitId: tenant.root.id, permissions: ['reports.read'] }));
  for (const ty of (await staff({ url: '/api/v1/activity-types' })).json<{ items: ActivityType[] }>().items) types.set(ty.code, ty.id);
  const cat = (await staff({ url: '/api/v1/unitedfront/catalogues' })).json<UfCatalogues>();
  const intellectual = cat.categories.find((c) => c.code === 'intellectual')?.id ?? cat.categories[0]?.id;
  contacts = [];
  for (let i = 0; i < 40; i++) {
    contacts.push(await ok<Contact>(await staff({ method: 'POST', url: '/api/v1/unitedfront/contacts', payload: { name: `党外人士${i + 1}`, officeId: office.id, categoryIds: [intellectual] } })));
  }
}, 60_000);

describe('figures of the reference report', () => {
  it('16 training classes with 637 trainee people-times', async () => {
    // 15 classes of 40 with everyone present, one of 40 with 37 present: 600 + 37
    for (let i = 0; i < 16; i++) {
      const a = await plan('training_class', `党外知识分子培训班第${i + 1}期`, { extra: { traineeCategory: '党外知识分子', hours: 16 }, participants: { contactIds: contacts.map((c) => c.id) } });
      await attend(a, contacts, i === 15 ? 37 : 40);
      await hold(a);
    }
    // a class still being planned is not one held
    await plan('training_class', '下一期培训班', { extra: { traineeCategory: '党外知识分子', hours: 16 } });
    expect(await figure('training.classes')).toBe(16);
    expect(await figure('training.trainees')).toBe(637);
  }, 60_000);

  it('22 private and 32 Taiwan-funded enterprises visited', async () => {
    const make = async (type: string, n: number) => {
      const out: Enterprise[] = [];
      for (let i = 0; i < n; i++) {
        out.push(await ok<Enterprise>(await staff({ method: 'POST', url: '/api/v1/unitedfront/enterprises', payload: { name: `${type}企业${i + 1}`, creditCode: creditCode(), type, officeId: office.id } })));
      }
      return out;
    };
    const privateCos = await make('private', 22);
    const taiwanCos = await make('taiwan_funded', 32);
    await make('private', 3); // registered, never visited
    // visits name up to 20 enterprises each; the same enterprise visited twice counts once
    const visit = async (topic: string, cos: Enterprise[]) => {
      const a = await plan('field_visit', topic, { extra: { placeKind: 'enterprise', placeName: topic }, enterpriseIds: cos.map((e) => e.id) });
      await hold(a);
    };
    await visit('走访民营企业（一）', privateCos.slice(0, 12));
    await visit('走访民营企业（二）', privateCos.slice(10, 22));
    await visit('贴心服务助台企（一）', taiwanCos.slice(0, 20));
    await visit('贴心服务助台企（二）', taiwanCos.slice(20, 32));
    expect(await figure('enterprises.visited', { enterprise_type: 'private' })).toBe(22);
    expect(await figure('enterprises.visited', { enterprise_type: 'taiwan_funded' })).toBe(32);
  }, 60_000);

  it('350 questionnaires', async () => {
    const form = await ok<FeedbackForm>(
      await staff({
        method: 'POST',
        url: '/api/v1/feedback/forms',
        payload: { title: '优化营商环境调查问卷', mode: 'anonymous', inviteOnly: false, fields: [{ key: 'opinion', label: '意见建议', kind: 'text', required: true, long: true }] },
      }),
    );
    const open = await ok<FeedbackForm>(await staff({ method: 'POST', url: `/api/v1/feedback/forms/${form.id}/status`, payload: { version: form.version, status: 'open' } }), 200);
    // each enterprise answers from its own address (the public form limits submissions per address), 25 at a time
    const answer = (i: number) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/public/forms/${open.publicId}/responses`,
        headers: { ...CSRF },
        remoteAddress: `10.9.${Math.floor(i / 250)}.${i % 250}`,
        payload: { answers: { opinion: `问卷${i + 1}：希望简化审批` } },
      });
    for (let i = 0; i < 350; i += 25) {
      const batch = await Promise.all(Array.from({ length: 25 }, (_, j) => answer(i + j)));
      expect(batch.map((r) => r.statusCode)).toEqual(Array(25).fill(201));
    }
    expect(await figure('feedback.responses', { form: open.id })).toBe(350);
    expect(await figure('questionnaires')).toBe(350);
  }, 60_000);

  it('11 and 5 problems solved', async () => {
    const taiwan = await ok<Enterprise>(await staff({ method: 'POST', url: '/api/v1/unitedfront/enterprises', payload: { name: '台资电子公司', creditCode: creditCode(), type: 'taiwan_funded', officeId: office.id } }));
    const raise = async (body: Record<string, unknown>) =>
      ok<ServiceCase>(await staff({ method: 'POST', url: '/api/v1/unitedfront/cases', payload: { officeId: office.id, raisedOn: jan1, ...body } }));
    const close = async (c: ServiceCase, status: 'resolved' | 'cannot_resolve') =>
      ok(await staff({ method: 'POST', url: `/api/v1/unitedfront/cases/${c.id}/followups`, payload: { version: c.version, note: '办结', status, result: '已协调办理', closedOn: jan1 } }), 200);
    // 联系村: 12 problems raised by village contacts, 11 solved, one still being coordinated
    for (let i = 0; i < 12; i++) {
      const c = await raise({ contactId: contacts[i]?.id, category: '乡村振兴', problem: `联系村问题${i + 1}` });
      if (i < 11) await close(c, 'resolved');
    }
    // 贴心服务助台企: 7 problems raised, 5 solved, one cannot be, one open
    for (let i = 0; i < 7; i++) {
      const c = await raise({ enterpriseId: taiwan.id, category: '台企服务', problem: `台企诉求${i + 1}`, project: '贴心服务助台企' });
      if (i < 5) await close(c, 'resolved');
      else if (i === 5) await close(c, 'cannot_resolve');
    }
    expect(await figure('cases.resolved', { category: '乡村振兴' })).toBe(11);
    expect(await figure('cases.resolved', { enterprise_type: 'taiwan_funded' })).toBe(5);
    expect(await figure('cases.raised', { enterprise_type: 'taiwan_funded' })).toBe(7);
  }, 60_000);

  it('300 people-times of volunteer service', async () => {
    // the 同心 volunteer team: 10 turns of 30 volunteers present (some of the roster absent)
    const roster = contacts.slice(0, 34);
    for (let i = 0; i < 10; i++) {
      const a = await plan('volunteer_service', `社区疫情防控志愿服务第${i + 1}次`, { extra: { hours: 4 }, participants: { contactIds: roster.map((c) => c.id) } });
      await attend(a, roster, 30);
      await hold(a);
    }
    expect(await figure('activities.people_times', { type: 'volunteer_service' })).toBe(300);
  }, 60_000);

  it('8 rules revised', async () => {
    const titles = ['差旅费管理办法', '公务用车管理规定', '公务接待管理办法', '财务报销制度', '会议费管理办法', '办公用品采购制度', '培训费管理办法', '因公出国管理规定', '档案管理制度'];
    const rules: IntegrityRule[] = [];
    for (const title of titles) {
      rules.push(await ok<IntegrityRule>(await staff({ method: 'POST', url: '/api/v1/unitedfront/integrity/rules', payload: { officeId: office.id, title, adoptedOn: `${year - 3}-03-01`, summary: '首次制定' } })));
    }
    // eight revised this year (the first twice: one rule, counted once), the ninth last year
    for (const [i, r] of rules.entries()) {
      const revisedOn = i < 8 ? jan1 : `${year - 1}-06-01`;
      const once = await ok<IntegrityRule>(await staff({ method: 'POST', url: `/api/v1/unitedfront/integrity/rules/${r.id}/revisions`, payload: { version: r.version, revisedOn, summary: '修订完善' } }), 200);
      if (i === 0) await ok(await staff({ method: 'POST', url: `/api/v1/unitedfront/integrity/rules/${r.id}/revisions`, payload: { version: once.version, revisedOn: jan1, summary: '再次修订' } }), 200);
    }
    expect(await figure('integrity.rules_revised')).toBe(8);
  }, 60_000);
});
