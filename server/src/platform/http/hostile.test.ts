import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { errorCodes, permissions } from '@tongxin/contracts';
import { buildPerson, buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';

/**
 * Random and hostile values (huge and control-character strings, SQL and HTML fragments,
 * wrong types, deep JSON) thrown at every write endpoint: each answers a 4xx with a typed
 * error code, never a 500, and the data stays as it was.
 */
const { app, db } = await testApp({ loginRateLimitPerMinute: 100_000 });
let t: TenantFixture;
let admin: Client;
let ids: string[];

// ending sessions, changing the password, marking everything read or resetting one's calendar
// address is what these routes are for, whatever the body
const sessionChanging = /\/auth\/(logout|sessions|password|totp)|\/notifications\/read-all$|\/calendar\/feed\/reset$/;

beforeAll(async () => {
  t = await buildTenant(db);
  const office = await buildUnit(db, t, { type: 'office', name: '目标科室' });
  const person = await buildPerson(db, t.tenantId, { officeId: office.id });
  ids = [office.id, person, t.root.id, '00000000-0000-4000-8000-000000000000'];
  admin = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: [...permissions] }));
});

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.constantFrom(
    "'; drop table people; --",
    '<script>alert(1)</script>',
    '\u0000\u0001\u001f\u007f',
    '%_\\',
    '../../etc/passwd',
    '名'.repeat(5000),
    'x'.repeat(100_000),
    '1e309',
    '-0',
  ),
);
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 4 }),
  ),
})).value;
const hostileBody = fc.oneof(hostileValue, fc.dictionary(fc.constantFrom('name', 'type', 'parentId', 'version', 'officeId', 'partyStatus', 'gender', 'field', 'phone', 'idNumber', 'passwordMinLength'), hostileValue));

async function fingerprint() {
  const r = await db.execute<{ f: string }>(sql`
    select md5(coalesce((select string_agg(x::text, '|' order by x::text) from org_units x), '') ||
               coalesce((select string_agg(x::text, '|' order by x::text) from people x), '') ||
               coalesce((select string_agg(x::text, '|' order by x::text) from security_policies x), '') ||
               coalesce((select string_agg(x::text, '|' order by x::text) from users x), '')) as f`);
  return r.rows[0]?.f;
}

describe('hostile input', () => {
  it('never breaks a write endpoint or changes data', async () => {
    const writes = app.routeTable.filter((r) => r.method !== 'GET' && r.access !== 'public' && !sessionChanging.test(r.url));
    expect(writes.length).toBeGreaterThan(8);
    const before = await fingerprint();
    const broken: string[] = [];
    for (const route of writes) {
      const run = fc.assert(
        fc.asyncProperty(hostileBody, fc.constantFrom(...ids), fc.boolean(), async (body, id, asText) => {
          const res = await admin({
            method: route.method as 'POST',
            url: route.url.replace(':id', id),
            // sometimes as raw text claiming to be JSON
            payload: asText ? JSON.stringify(body).slice(0, 2_000_000) : (body as object),
            headers: asText ? { 'content-type': 'application/json' } : {},
          });
          expect(res.statusCode, `${route.method} ${route.url} → ${res.statusCode} ${res.body.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
          expect(res.statusCode, `${route.method} ${route.url} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
          expect(errorCodes).toContain(res.json().error.code);
        }),
        { numRuns: 40 },
      );
      // every route is tried, and all that broke are reported together
      await run.catch((e: unknown) => {
        const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : String(e);
        broken.push(`${route.method} ${route.url}: ${cause.split('\n')[0] ?? ''}`);
      });
    }
    expect(broken).toEqual([]);
    expect(await fingerprint()).toBe(before);
  }, 600_000);
});
