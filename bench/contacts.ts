/**
 * United-front contacts benchmark (not part of `npm test`):
 *
 *   node --import tsx bench/contacts.ts [--import-rows 50000] [--contacts 1000000] [--queries 200] [--seed 2026] [--keep]
 *
 * 1. Import: a generated XLSX of --import-rows contacts (name, categories, party, organisation,
 *    post, phone, ID number, tags, office) written to disk first, then imported through
 *    contacts.xlsx.service importContacts (streaming reader, validation, duplicate lookup by
 *    keyed hashes, sealing, batched inserts, one transaction): wall time and the process's peak
 *    RSS (maxRSS after the import, against the RSS before it). Goal < 30 s, < 400 MB.
 * 2. Search: --contacts contacts in another tenant (names from the demo name generator with a
 *    skewed surname, so one surname is ~10 % of everyone), then --queries name fragments of 1, 2
 *    and 3 characters drawn from existing names, each timed through the service (listContacts:
 *    inTenant, row-level security, page of 20 in pinyin order with its total, office, party and
 *    categories of the page) and as the floor: the same page and total in one hand-written
 *    statement through `pg` as the owner (no transaction, no RLS, no joins), on the same gram
 *    index. Also the naive floor `name LIKE '%q%'` (what a plain scan costs). Goal p95 < 50 ms.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import pg from 'pg';
import type { Db } from '../server/src/platform/db/db';
import { listContacts } from '../server/src/modules/contacts/contacts.service';
import { importContacts } from '../server/src/modules/contacts/contacts.xlsx.service';
import { nameGenerator, prng } from '../server/src/modules/demo/demo.names';
import { withCheckDigit } from '../server/src/modules/people/people.mask';
import { benchTenant, countArg, stats, stringArg, timed, withBenchDb, type Stats } from './harness';

const say = (m: string) => console.log(`[bench contacts] ${m}`);
const PERMISSIONS = ['unitedfront.read', 'unitedfront.write', 'unitedfront.import', 'unitedfront.export'] as const;

async function tenantWithOffice(db: Db, tag: string) {
  const t = await benchTenant(db, { tag: `uf-${tag}`, name: `基准统战部${tag}`, offices: ['党派工作科'], permissions: [...PERMISSIONS] });
  const office = t.offices[0];
  if (!office) throw new Error('office');
  return { ...t, office };
}

/** Names skewed towards the first surnames of the generator's list (r² picks low indexes more often). */
function skewedNames(seed: number): () => string {
  const rnd = prng(seed);
  const plain = nameGenerator(seed + 1);
  const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢钟姜崔谭陆范汪廖石金贾夏韦付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤';
  return () => {
    const given = plain().slice(1);
    return `${surnames[Math.floor(rnd() * rnd() * surnames.length)] ?? '王'}${given}`;
  };
}

async function writeImportFile(file: string, rows: number, seed: number): Promise<void> {
  const next = skewedNames(seed);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: false, useSharedStrings: false });
  const ws = wb.addWorksheet('统战成员');
  ws.addRow(['姓名*', '性别', '类别*', '所属党派', '加入党派日期', '工作单位', '职务', '政协委员', '手机号码', '身份证号', '标签', '主管科室*']).commit();
  const parties = ['民革', '民盟', '民建', '民进', '农工党', '致公党', '九三学社', '台盟'];
  const cats = ['无党派人士', '党外知识分子', '新的社会阶层人士', '民营经济人士', '侨胞侨眷'];
  for (let i = 0; i < rows; i++) {
    const democrat = i % 6 === 0;
    const birth = new Date(Date.UTC(1950, 0, 1) + (i % 18000) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
    ws.addRow([
      next(),
      i % 2 ? '女' : '男',
      democrat ? '民主党派成员' : `${cats[i % cats.length]}${i % 7 === 0 ? '、党外知识分子' : ''}`,
      democrat ? parties[i % parties.length] : null,
      democrat ? '2010-07-01' : null,
      `单位${i % 3000}`,
      i % 3 ? '职员' : '负责人',
      i % 50 === 0 ? '市级' : null,
      `13${String(100_000_000 + i).slice(-9)}`,
      withCheckDigit(`${110000 + Math.floor(i / 18000)}${birth}${String(i % 1000).padStart(3, '0')}`),
      i % 4 === 0 ? '重点联系' : null,
      '党派工作科',
    ]).commit();
  }
  ws.commit();
  await wb.commit();
}

async function importCase(db: Db, o: { rows: number; seed: number }, dir: string) {
  const t = await tenantWithOffice(db, 'import');
  const file = path.join(dir, 'contacts.xlsx');
  const g0 = Date.now();
  await writeImportFile(file, o.rows, o.seed);
  const data = fs.readFileSync(file);
  say(`import file: ${o.rows} rows, ${(data.length / 1024 / 1024).toFixed(1)} MB, written in ${((Date.now() - g0) / 1000).toFixed(1)} s`);
  // start from a collected heap, so the peak is the import's
  (globalThis as { gc?: () => void }).gc?.();
  const rssBefore = process.memoryUsage().rss;
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  const mb = (m: NodeJS.MemoryUsage) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Math.round(v / 1024 / 1024)]));
  const before = mb(process.memoryUsage());
  let peakSampled = rssBefore;
  // where the memory is at the peak: V8 heap, external buffers, the rest (code, allocator, stacks)
  let atPeak = before;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss > peakSampled) {
      peakSampled = m.rss;
      atPeak = mb(m);
    }
  }, 50);
  const t0 = process.hrtime.bigint();
  const result = await importContacts(db, t.actor, { fileName: 'bench.xlsx', data }, { decisions: {} });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  clearInterval(sampler);
  const peakAfter = process.resourceUsage().maxRSS * 1024;
  return {
    rows: o.rows,
    fileMb: data.length / 1024 / 1024,
    result,
    seconds,
    rssBeforeMb: rssBefore / 1024 / 1024,
    peakSampledMb: peakSampled / 1024 / 1024,
    memoryBeforeMb: before,
    memoryAtPeakMb: atPeak,
    // the process-lifetime peak: an upper bound (it includes anything before the import)
    maxRssMb: Math.max(peakAfter, peakBefore) / 1024 / 1024,
  };
}

const GRAMS_FN = `
create or replace function pg_temp.uf_grams(n text) returns text[] language sql immutable as $$
  select array(select distinct g from (
    select substr(lower(n), i, 1) as g from generate_series(1, length(n)) i
    union all select substr(lower(n), i, 2) from generate_series(1, length(n) - 1) i) x)
$$`;

async function generateContacts(url: string, db: Db, n: number, seed: number) {
  const t = await tenantWithOffice(db, 'search');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const names: string[] = [];
  try {
    await client.query(GRAMS_FN);
    const categories = (await client.query<{ id: string }>('select id from uf_categories where tenant_id = $1 order by sort_order', [t.tenantId])).rows.map((r) => r.id);
    const next = skewedNames(seed);
    const t0 = Date.now();
    const batch = 100_000;
    for (let done = 0; done < n; done += batch) {
      const chunk = Array.from({ length: Math.min(batch, n - done) }, () => next());
      names.push(...chunk);
      await client.query(
        `insert into contacts (tenant_id, office_id, name, name_grams, tags)
         select $1, $2, x.name, pg_temp.uf_grams(x.name), case when x.i % 10 = 0 then array['重点联系'] else '{}'::text[] end
           from unnest($3::text[]) with ordinality as x(name, i)`,
        [t.tenantId, t.office.id, chunk],
      );
    }
    await client.query(
      `insert into contact_category_links (tenant_id, contact_id, category_id)
       select c.tenant_id, c.id, ($2::uuid[])[1 + (abs(hashtext(c.id::text)) % 8) + 1] from contacts c where c.tenant_id = $1`,
      [t.tenantId, categories],
    );
    // as autovacuum would in time: statistics, and the visibility map the index-only counts need
    await client.query('vacuum (analyze) contacts, contact_name_grams, contact_category_links');
    say(`${n} contacts generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    await client.end();
  }
  return { ...t, names };
}

/** Fragments of existing names: 40 % one character (mostly a surname), 40 % two, 20 % three. */
function fragments(names: string[], count: number, seed: number): string[] {
  const rnd = prng(seed);
  const out: string[] = [];
  while (out.length < count) {
    const name = [...(names[Math.floor(rnd() * names.length)] ?? '王')];
    const r = rnd();
    const len = r < 0.4 ? 1 : r < 0.8 ? 2 : 3;
    if (name.length < len) continue;
    const start = len === 1 && rnd() < 0.5 ? 0 : Math.floor(rnd() * (name.length - len + 1));
    out.push(name.slice(start, start + len).join(''));
  }
  return out;
}

function fragmentGrams(q: string): string[] {
  const chars = [...q.toLowerCase()];
  if (chars.length <= 2) return [chars.join('')];
  return [...new Set(chars.slice(1).map((c, i) => `${chars[i]}${c}`))];
}

/**
 * The floor: the best single hand-written statement for the same page and total, as the owner
 * (no transaction, no row-level security, no details). 1–2 characters: the gram's btree range in
 * list order, cut at the page, and its index-only count; 3+: the GIN bigrams and LIKE.
 */
const floorShortSql = `
  select p.id, p.name, t.total
    from (select count(*)::int as total from contact_name_grams where tenant_id = $1 and gram = $2 and active) t
    left join lateral (select contact_id as id, name from contact_name_grams where tenant_id = $1 and gram = $2 and active
                        order by name collate "zh-x-icu", contact_id limit 20) p on true
   order by p.name collate "zh-x-icu", p.id`;
const floorLongSql = `
  select id, name, count(*) over ()::int as total from contacts
   where tenant_id = $1 and active and name_grams @> $2::text[] and name like $3
   order by name collate "zh-x-icu", id limit 20`;
/** The previous floor for 1–2 characters (GIN containment, then count and sort every match), for reference. */
const ginShortSql = `
  select id, name, count(*) over ()::int as total from contacts
   where tenant_id = $1 and active and name_grams @> array[$2]::text[]
   order by name collate "zh-x-icu", id limit 20`;
const isShort = (q: string) => [...q].length <= 2;
const floorOf = (tenantId: string, q: string): [string, unknown[]] =>
  isShort(q) ? [floorShortSql, [tenantId, q.toLowerCase()]] : [floorLongSql, [tenantId, fragmentGrams(q), `%${q}%`]];
const likeSql = `
  select id, name, count(*) over ()::int as total from contacts
   where tenant_id = $1 and active and name like $2
   order by name collate "zh-x-icu", id limit 20`;

type QueryFn = (config: unknown, values?: unknown, cb?: unknown) => unknown;

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the app's own list statement for a fragment, as sent by
 * contacts.repo (captured from the pg client) and run as the app runs it: tongxin_app with the
 * tenant set, so row-level security applies.
 */
async function servicePlanOf(db: Db, pool: pg.Pool, actor: Parameters<typeof listContacts>[1], q: string): Promise<string[]> {
  const proto = pg.Client.prototype as unknown as { query: QueryFn };
  const original = proto.query;
  let captured: { text: string; values: unknown[] } | undefined;
  proto.query = function (this: unknown, config: unknown, values?: unknown, cb?: unknown) {
    const c = config as { text?: string; values?: unknown[] } | string;
    const text = typeof c === 'string' ? c : c.text;
    if (text?.includes('contact_name_grams') || text?.includes('uf_contact_ids_by_grams')) {
      captured = { text, values: (Array.isArray(values) ? values : typeof c === 'object' ? c.values : undefined) ?? [] };
    }
    return original.call(this, config, values, cb);
  };
  try {
    await listContacts(db, actor, { q, active: 'true', page: 1, pageSize: 20 });
  } finally {
    proto.query = original;
  }
  if (!captured) return ['(statement not captured)'];
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('role', 'tongxin_app', true), set_config('tongxin.tenant_id', $1, true)`, [actor.tenantId]);
    const r = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${captured.text}`, captured.values);
    return r.rows.map((x) => x['QUERY PLAN']);
  } finally {
    await client.query('rollback');
    client.release();
  }
}

async function searchCase(db: Db, databaseUrl: string, pool: pg.Pool, o: { contacts: number; queries: number; seed: number }) {
  const s = await generateContacts(databaseUrl, db, o.contacts, o.seed + 7);
  const qs = fragments(s.names, o.queries, o.seed + 11);
  const service: number[] = [];
  const floor: number[] = [];
  const like: number[] = [];
  const byLen = new Map<number, { service: number[]; floor: number[] }>();
  // warm-up: a few of each
  for (const q of qs.slice(0, 10)) {
    await listContacts(db, s.actor, { q, active: 'true', page: 1, pageSize: 20 });
    await pool.query(...floorOf(s.tenantId, q));
  }
  for (const q of qs) {
    const [ms, page] = await timed(() => listContacts(db, s.actor, { q, active: 'true', page: 1, pageSize: 20 }));
    const [fms, f] = await timed(() => pool.query<{ id: string | null; total: number }>(...floorOf(s.tenantId, q)));
    const ids = f.rows.filter((r) => r.id !== null).map((r) => r.id);
    if ((f.rows[0]?.total ?? 0) !== page.total || ids.join() !== page.items.map((i) => i.id).join()) {
      throw new Error(`service and floor disagree on "${q}": ${page.total} vs ${f.rows[0]?.total ?? 0}`);
    }
    service.push(ms);
    floor.push(fms);
    const l = byLen.get([...q].length) ?? { service: [], floor: [] };
    l.service.push(ms);
    l.floor.push(fms);
    byLen.set([...q].length, l);
  }
  // the naive scan, on a sample (it is slow)
  for (const q of qs.slice(0, Math.min(20, qs.length))) {
    const [ms] = await timed(() => pool.query(likeSql, [s.tenantId, `%${q}%`]));
    like.push(ms);
  }
  // the previous formulation of 1–2 characters (GIN: fetch, count and sort every match), on a sample
  const gin: number[] = [];
  for (const q of qs.filter(isShort).slice(0, 40)) {
    const [ms, g] = await timed(() => pool.query<{ id: string; total: number }>(ginShortSql, [s.tenantId, q.toLowerCase()]));
    const [, f] = await timed(() => pool.query<{ id: string | null; total: number }>(...floorOf(s.tenantId, q)));
    if ((g.rows[0]?.total ?? 0) !== (f.rows[0]?.total ?? 0) || g.rows.map((r) => r.id).join() !== f.rows.filter((r) => r.id !== null).map((r) => r.id).join()) {
      throw new Error(`the gram table and the GIN index disagree on "${q}"`);
    }
    gin.push(ms);
  }
  const totals = await Promise.all(
    ['王', '李', qs[qs.length - 1] ?? '王'].map(async (q) => [q, (await pool.query<{ n: number }>('select count(*)::int as n from contacts where tenant_id = $1 and name_grams @> $2::text[]', [s.tenantId, fragmentGrams(q)])).rows[0]?.n ?? 0]),
  );
  const sv = stats(service);
  const fl = stats(floor);
  const lk = stats(like);
  const fmt = (x: Stats) => `${x.median.toFixed(1)} | ${x.p95.toFixed(1)} | ${x.max.toFixed(1)}`;
  console.log(`Name-fragment search over ${o.contacts} contacts, ${qs.length} queries (matches: ${totals.map(([q, n]) => `${q} ${n}`).join(', ')})`);
  console.log('| case | median ms | p95 ms | max ms |');
  console.log('|---|---|---|---|');
  console.log(`| service (listContacts: inTenant + RLS, page of 20 with total, details) | ${fmt(sv)} |`);
  console.log(`| floor SQL (same page and total on the gram index, owner, no RLS) | ${fmt(fl)} |`);
  const lens: Record<string, { service: Stats; floor: Stats }> = {};
  for (const [len, l] of [...byLen.entries()].sort((a, b) => a[0] - b[0])) {
    lens[len] = { service: stats(l.service), floor: stats(l.floor) };
    console.log(`| ${len} character(s): service / floor (${l.service.length}) | ${fmt(stats(l.service))} / ${fmt(stats(l.floor))} |`);
  }
  console.log(`| naive floor: name LIKE '%q%' (seq scan, ${like.length} queries) | ${fmt(lk)} |`);
  console.log(`| previous floor for 1–2 characters: GIN @>, count and sort every match (${gin.length} queries) | ${fmt(stats(gin))} |`);
  console.log(`ratio service / floor (p95): ${(sv.p95 / fl.p95).toFixed(2)}x; goal p95 < 50 ms: ${sv.p95 < 50 ? 'met' : 'MISSED'}`);
  const [floorText, floorArgs] = floorOf(s.tenantId, '王');
  const plan = await pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${floorText}`, floorArgs);
  const servicePlan = await servicePlanOf(db, pool, s.actor, '王');
  return { service: sv, floor: fl, byLength: lens, like: lk, ginShort: stats(gin), totals, plan: plan.rows.map((r) => r['QUERY PLAN']), servicePlan };
}

function importReport(imp: Awaited<ReturnType<typeof importCase>>): string {
  const met = imp.seconds < 30 && imp.maxRssMb < 400;
  return `Import of ${imp.rows} contacts (${imp.fileMb.toFixed(1)} MB XLSX): ${imp.seconds.toFixed(1)} s; RSS before ${imp.rssBeforeMb.toFixed(0)} MB, peak sampled ${imp.peakSampledMb.toFixed(0)} MB, process maxRSS ${imp.maxRssMb.toFixed(0)} MB; goal < 30 s and < 400 MB: ${met ? 'met' : 'MISSED'}`;
}

async function main() {
  const argv = process.argv.slice(2);
  const o = {
    importRows: countArg(argv, 'import-rows', 50_000),
    contacts: countArg(argv, 'contacts', 1_000_000),
    queries: countArg(argv, 'queries', 200),
    seed: countArg(argv, 'seed', 2026),
    only: stringArg(argv, 'only', 'all'),
  };
  if (!['all', 'import', 'search'].includes(o.only)) throw new Error('--only is import, search or all');
  say(`options ${JSON.stringify(o)}`);
  await withBenchDb({ name: 'contacts', port: 54900, say, keep: argv.includes('--keep') }, async ({ db, databaseUrl, pool, dataDir }) => {
    const out: Record<string, unknown> = { date: new Date().toISOString(), options: o, loadavg: os.loadavg() };
    if (o.only !== 'search') {
      const imp = await importCase(db, { rows: o.importRows, seed: o.seed }, dataDir);
      say(`import: ${JSON.stringify(imp)}`);
      out.import = imp;
      console.log(`\n${importReport(imp)}\n`);
    }
    if (o.only !== 'import') out.search = await searchCase(db, databaseUrl, pool, o);
    out.loadavgAfter = os.loadavg();
    const file = path.join(import.meta.dirname, 'results', `contacts-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(out, null, 2));
    say(`figures and plans: ${path.relative(process.cwd(), file)}`);
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
