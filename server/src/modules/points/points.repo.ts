import { and, desc, eq, lte, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/db';
import { pointsClosureMembers, pointsClosures, pointsEntries, pointsGradeOverrides, pointsManualRequests, pointsNotices, pointsObjections, pointsRuleSets } from './points.schema';
import type { ActivityFact, DesiredEntry, ParticipantFact } from './points.rules';

export type RuleSetRow = typeof pointsRuleSets.$inferSelect;
export type EntryInsert = typeof pointsEntries.$inferInsert;
export type ManualRow = typeof pointsManualRequests.$inferSelect;
export type NoticeRow = typeof pointsNotices.$inferSelect;
export type ObjectionRow = typeof pointsObjections.$inferSelect;

/** One array parameter (a JS array in a sql template becomes a list of parameters); values here are uuids and dates. */
const pgArray = (xs: string[]): string => `{${xs.join(',')}}`;

// ---- rule sets ----

/**
 * The version in force on a date: the newest version effective on or before it. A new
 * version replaces the rules from its date on, also where an older version had a later date.
 */
export async function ruleSetAt(ex: Executor, tenantId: string, day: string): Promise<RuleSetRow | undefined> {
  const [r] = await ex
    .select()
    .from(pointsRuleSets)
    .where(and(eq(pointsRuleSets.tenantId, tenantId), lte(pointsRuleSets.effectiveFrom, day)))
    .orderBy(desc(pointsRuleSets.version))
    .limit(1);
  return r;
}

export async function listRuleSets(ex: Executor, tenantId: string): Promise<RuleSetRow[]> {
  return ex.select().from(pointsRuleSets).where(eq(pointsRuleSets.tenantId, tenantId)).orderBy(desc(pointsRuleSets.version));
}

export async function insertRuleSet(ex: Executor, row: typeof pointsRuleSets.$inferInsert): Promise<RuleSetRow> {
  // one writer at a time per tenant picks the next version
  await ex.execute(sql`select pg_advisory_xact_lock(hashtext('points_rule_sets'), hashtext(${row.tenantId}))`);
  const [m] = await ex.execute<{ v: number }>(sql`select coalesce(max(version), 0)::int as v from points_rule_sets where tenant_id = ${row.tenantId}`).then((r) => r.rows);
  const [r] = await ex
    .insert(pointsRuleSets)
    .values({ ...row, version: (m?.v ?? 0) + 1 })
    .returning();
  if (!r) throw new Error('rule set insert');
  return r;
}

export async function countRuleSets(ex: Executor, tenantId: string): Promise<number> {
  const r = await ex.execute<{ n: number }>(sql`select count(*)::int as n from points_rule_sets where tenant_id = ${tenantId}`);
  return r.rows[0]?.n ?? 0;
}

export async function activityTypeCodes(ex: Executor, tenantId: string): Promise<Set<string>> {
  const r = await ex.execute<{ code: string }>(sql`select code from activity_types where tenant_id = ${tenantId}`);
  return new Set(r.rows.map((x) => x.code));
}

// ---- closures ----

/**
 * Per branch, the first month still open: the month after its latest closed quarter. Closing
 * a quarter freezes every earlier month of the branch too (a cap bucket may span quarters, and
 * a later quarter's counted points depend on the earlier ones).
 */
export async function openFromByBranch(ex: Executor, tenantId: string): Promise<Map<string, string>> {
  const r = await ex.execute<{ branch_id: string; open_from: string }>(
    sql`select branch_id, (max(quarter) + interval '3 months')::date::text as open_from from points_closures where tenant_id = ${tenantId} group by branch_id`,
  );
  return new Map(r.rows.map((x) => [x.branch_id, x.open_from]));
}

export type LedgerCell = { personId: string; branchId: string; period: string };

/**
 * The cells (person × branch × month) a ledger write may not touch: the branch has closed
 * that month, or the person has capped entries later in the same year in another branch that
 * has closed them (a person who moved: an earlier step changes what a shared cap still allowed
 * afterwards, where it is frozen).
 */
export async function frozenCells(ex: Executor, tenantId: string, cells: LedgerCell[]): Promise<LedgerCell[]> {
  if (cells.length === 0) return [];
  const r = await ex.execute<{ person_id: string; branch_id: string; period: string }>(sql`
    with w as (
      select distinct * from unnest(${pgArray(cells.map((c) => c.personId))}::uuid[], ${pgArray(cells.map((c) => c.branchId))}::uuid[], ${pgArray(cells.map((c) => c.period))}::date[])
        as w(person_id, branch_id, period)
    ),
    ct as (
      select branch_id, (max(quarter) + interval '3 months')::date as open_from from points_closures where tenant_id = ${tenantId} group by branch_id
    )
    select w.person_id, w.branch_id, w.period::text from w
    where exists (select 1 from ct where ct.branch_id = w.branch_id and w.period < ct.open_from)
      or exists (
        select 1 from points_entries e join ct on ct.branch_id = e.branch_id
        where e.tenant_id = ${tenantId} and e.person_id = w.person_id and e.branch_id <> w.branch_id and e.cap is not null
          and e.period >= w.period and e.period < ct.open_from and date_trunc('year', e.period) = date_trunc('year', w.period))`);
  return r.rows.map((x) => ({ personId: x.person_id, branchId: x.branch_id, period: x.period }));
}

/** Who an activity touches in the ledger: its participants' branches and the branches of its entries so far. */
export async function activityCells(ex: Executor, tenantId: string, activityId: string, period: string): Promise<LedgerCell[]> {
  const r = await ex.execute<{ person_id: string; branch_id: string; period: string }>(sql`
    select person_id, branch_id, ${period}::date::text as period from activity_participants
    where tenant_id = ${tenantId} and activity_id = ${activityId} and person_id is not null and branch_id is not null
    union
    select person_id, branch_id, period::text from points_entries where tenant_id = ${tenantId} and activity_id = ${activityId}`);
  return r.rows.map((x) => ({ personId: x.person_id, branchId: x.branch_id, period: x.period }));
}

export async function latestClosedQuarter(ex: Executor, tenantId: string, branchId?: string): Promise<string | null> {
  const r = await ex.execute<{ q: string | null }>(
    sql`select max(quarter)::text as q from points_closures where tenant_id = ${tenantId} ${branchId ? sql`and branch_id = ${branchId}` : sql``}`,
  );
  return r.rows[0]?.q ?? null;
}

/** Who a closed quarter of a branch listed; null when the quarter is not closed (or was closed before the list was kept). */
export async function closureMembers(ex: Executor, tenantId: string, branchId: string, quarter: string): Promise<string[] | null> {
  const r = await ex.execute<{ closed: boolean; ids: string[] | null }>(sql`
    select exists (select 1 from points_closures where tenant_id = ${tenantId} and branch_id = ${branchId} and quarter = ${quarter}::date) as closed,
      (select array_agg(person_id) from points_closure_members where tenant_id = ${tenantId} and branch_id = ${branchId} and quarter = ${quarter}::date) as ids`);
  const row = r.rows[0];
  return row?.closed && row.ids ? row.ids : null;
}

export async function insertClosureMembers(ex: Executor, tenantId: string, branchId: string, quarter: string, personIds: string[]): Promise<void> {
  if (personIds.length === 0) return;
  await ex
    .insert(pointsClosureMembers)
    .values(personIds.map((personId) => ({ tenantId, branchId, quarter, personId })))
    .onConflictDoNothing();
}

export async function insertClosure(ex: Executor, row: typeof pointsClosures.$inferInsert): Promise<void> {
  await ex.insert(pointsClosures).values(row).onConflictDoNothing();
}

// ---- activities (read-only: the activities area owns them) ----

export async function activityFacts(ex: Executor, tenantId: string, activityId: string): Promise<{ activity: ActivityFact; day: string; participants: ParticipantFact[] } | null> {
  const a = await ex.execute<{ type_code: string; status: string; period: string; day: string; hours: number }>(sql`
    select t.code as type_code, a.status, (a.starts_at at time zone 'Asia/Shanghai')::date::text as day,
      to_char(a.starts_at at time zone 'Asia/Shanghai', 'YYYY-MM-01') as period,
      coalesce(
        case when jsonb_typeof(a.extra->'hours') = 'number' then (a.extra->>'hours')::float8 end,
        round((extract(epoch from a.ends_at - a.starts_at) / 3600.0)::numeric * 2) / 2
      )::float8 as hours
    from activities a join activity_types t on t.id = a.type_id
    where a.tenant_id = ${tenantId} and a.id = ${activityId}`);
  const row = a.rows[0];
  if (!row) return null;
  const ps = await ex.execute<{ id: string; person_id: string; branch_id: string | null; role: string; attendance: string; leave_status: string | null; party_status: string }>(
    sql`select id, person_id, branch_id, role, attendance, leave_status, party_status from activity_participants where tenant_id = ${tenantId} and activity_id = ${activityId} and person_id is not null`,
  );
  return {
    activity: { typeCode: row.type_code, status: row.status, period: row.period, hours: Number(row.hours) },
    day: row.day,
    participants: ps.rows.map((p) => ({
      participantId: p.id,
      personId: p.person_id,
      branchId: p.branch_id,
      role: p.role,
      attendance: p.attendance,
      leaveStatus: p.leave_status,
      partyStatus: p.party_status,
    })),
  };
}

export async function activityIdsFrom(ex: Executor, tenantId: string, day: string): Promise<string[]> {
  const r = await ex.execute<{ id: string }>(
    sql`select id from activities where tenant_id = ${tenantId} and (starts_at at time zone 'Asia/Shanghai')::date >= ${day}::date order by starts_at`,
  );
  return r.rows.map((x) => x.id);
}

// ---- ledger ----

export type NetRow = Omit<DesiredEntry, 'amount'> & { net: number; lastId: string };

/** What the ledger holds for an activity, net per participant × rule × period × branch × version. */
export async function activityLedgerNet(ex: Executor, tenantId: string, activityId: string): Promise<NetRow[]> {
  const r = await ex.execute<{
    participant_id: string;
    person_id: string;
    branch_id: string;
    period: string;
    rule_code: string;
    rule_kind: string;
    rule_set_version: number;
    net: number;
    cap: number | null;
    cap_period: string | null;
    last_id: string;
  }>(sql`
    select participant_id, person_id, branch_id, period::text, rule_code, rule_kind, rule_set_version,
      sum(amount)::float8 as net, min(cap)::float8 as cap, min(cap_period) as cap_period,
      (array_agg(id order by created_at desc, id desc))[1] as last_id
    from points_entries
    where tenant_id = ${tenantId} and activity_id = ${activityId} and source = 'auto'
    group by participant_id, person_id, branch_id, period, rule_code, rule_kind, rule_set_version`);
  return r.rows.map((x) => ({
    participantId: x.participant_id,
    personId: x.person_id,
    branchId: x.branch_id,
    period: x.period,
    ruleCode: x.rule_code,
    ruleKind: x.rule_kind as DesiredEntry['ruleKind'],
    ruleSetVersion: x.rule_set_version,
    net: Number(x.net),
    cap: x.cap === null ? null : Number(x.cap),
    capPeriod: x.cap_period,
    lastId: x.last_id,
  }));
}

export async function insertEntries(ex: Executor, rows: EntryInsert[]): Promise<(typeof pointsEntries.$inferSelect)[]> {
  if (rows.length === 0) return [];
  return ex.insert(pointsEntries).values(rows).returning();
}

export async function findEntry(ex: Executor, tenantId: string, id: string) {
  const [r] = await ex
    .select()
    .from(pointsEntries)
    .where(and(eq(pointsEntries.tenantId, tenantId), eq(pointsEntries.id, id)));
  return r;
}

export type EntryListRow = {
  id: string;
  person_id: string;
  person_name: string;
  branch_id: string;
  period: string;
  amount: number;
  source: string;
  rule_code: string;
  rule_kind: string;
  rule_set_version: number | null;
  activity_id: string | null;
  activity_topic: string | null;
  corrects_id: string | null;
  note: string | null;
  created_at: Date;
};

export async function listEntries(
  ex: Executor,
  tenantId: string,
  f: { personId?: string; branchId?: string; from: string; to: string; ruleCode?: string; sign?: 'plus' | 'minus'; limit: number },
): Promise<EntryListRow[]> {
  const conds: SQL[] = [sql`e.tenant_id = ${tenantId}`, sql`e.period between ${f.from}::date and ${f.to}::date`];
  if (f.personId) conds.push(sql`e.person_id = ${f.personId}`);
  if (f.branchId) conds.push(sql`e.branch_id = ${f.branchId}`);
  if (f.ruleCode) conds.push(sql`e.rule_code = ${f.ruleCode}`);
  if (f.sign === 'plus') conds.push(sql`e.amount > 0`);
  if (f.sign === 'minus') conds.push(sql`e.amount < 0`);
  const r = await ex.execute<EntryListRow>(sql`
    select e.id, e.person_id, p.name as person_name, e.branch_id, e.period::text, e.amount::float8 as amount, e.source, e.rule_code, e.rule_kind,
      e.rule_set_version, e.activity_id, a.topic as activity_topic, e.corrects_id, e.note, e.created_at
    from points_entries e join people p on p.id = e.person_id left join activities a on a.id = e.activity_id
    where ${sql.join(conds, sql` and `)}
    order by e.period desc, e.created_at desc, e.id
    limit ${f.limit}`);
  return r.rows;
}

// ---- tallies ----

export type TallyDbRow = { person_id: string; person_name: string; branch_id: string; additions: number; deductions: number; capped: number };

/**
 * Points per person counted in a branch over [from, to] (first days of months), after caps:
 * a sum of the branch's rows of points_person_months (ADR 0012), where the database keeps
 * each step's share of its cap bucket. A person who moved has each step counted where it
 * happened. Listed: the branch's members now (or whom a closed quarter listed) and anyone
 * with entries in the branch over the range.
 */
export async function branchTally(ex: Executor, tenantId: string, branchId: string, from: string, to: string, listed: string[] | null = null): Promise<TallyDbRow[]> {
  const r = await ex.execute<TallyDbRow>(sql`
    with persons as (
      select person_id from points_person_months where tenant_id = ${tenantId} and branch_id = ${branchId} and period between ${from}::date and ${to}::date
      union
      ${
        listed
          ? // a closed quarter lists whom it listed when it closed
            sql`select unnest(${pgArray(listed)}::uuid[])`
          : sql`select id from people where tenant_id = ${tenantId} and branch_id = ${branchId} and active and party_status <> 'none'`
      }
    )
    select p.id as person_id, p.name as person_name, ${branchId}::uuid as branch_id,
      coalesce(sum(s.additions), 0)::float8 as additions,
      coalesce(sum(s.deductions), 0)::float8 as deductions,
      coalesce(sum(s.capped), 0)::float8 as capped
    from people p
      left join points_person_months s on s.tenant_id = ${tenantId} and s.person_id = p.id and s.branch_id = ${branchId}
        and s.period between ${from}::date and ${to}::date
    -- an array, not a join: people is then read by its key (a join was planned as a scan of
    -- the whole tenant's people, each row paying the row-level security check)
    where p.tenant_id = ${tenantId} and p.id = any(array(select person_id from persons))
    group by p.id, p.name
    order by p.name collate "zh-x-icu", p.id`);
  return r.rows.map((x) => ({ ...x, additions: Number(x.additions), deductions: Number(x.deductions), capped: Number(x.capped) }));
}

/**
 * The month tally computed from the raw ledger, as it was before the summary (ADR 0012): the
 * reference the property test holds points_person_months against. Not used by the service.
 * Points per person counted in a branch over [from, to] (first days of months), after caps.
 * A cap applies to the cumulative amount of one person's rule within its bucket (month,
 * quarter or year); each (month, branch) step gets what the cap still allowed then, so the
 * months of a bucket add up to the capped bucket total, and a person who moved branches
 * has each step counted where it happened. Earlier months of the year are read for that.
 */
export async function branchTallyFromLedger(ex: Executor, tenantId: string, branchId: string, from: string, to: string, listed: string[] | null = null): Promise<TallyDbRow[]> {
  const r = await ex.execute<TallyDbRow>(sql`
    with persons as (
      select distinct person_id from points_entries where tenant_id = ${tenantId} and branch_id = ${branchId} and period between ${from}::date and ${to}::date
      union
      ${
        listed
          ? // a closed quarter lists whom it listed when it closed
            sql`select unnest(${pgArray(listed)}::uuid[])`
          : sql`select id from people where tenant_id = ${tenantId} and branch_id = ${branchId} and active and party_status <> 'none'`
      }
    ),
    v as (
      -- net per rule version first: a version's entries that were all reversed carry no cap any more
      select e.person_id, e.branch_id, e.period, e.rule_code, sum(e.amount) as amt, e.cap, e.cap_period
      from points_entries e join persons using (person_id)
      where e.tenant_id = ${tenantId} and e.period between date_trunc('year', ${from}::date)::date and ${to}::date
      group by e.person_id, e.branch_id, e.period, e.rule_code, e.rule_set_version, e.cap, e.cap_period
      having sum(e.amount) <> 0
    ),
    e as (
      select person_id, branch_id, period, rule_code, sum(amt) as amt,
        min(cap) as cap, date_trunc(coalesce(min(cap_period), 'month'), period)::date as bucket
      from v group by person_id, branch_id, period, rule_code
    ),
    c as (
      select e.*, min(cap) over (partition by person_id, rule_code, bucket) as gcap,
        sum(amt) over (partition by person_id, rule_code, bucket order by period, branch_id rows unbounded preceding) as cum
      from e
    ),
    d as (
      select person_id, branch_id, amt,
        case when gcap is null then amt
          else greatest(-gcap, least(gcap, cum)) - greatest(-gcap, least(gcap, cum - amt)) end as counted
      from c where branch_id = ${branchId} and period between ${from}::date and ${to}::date
    )
    select p.id as person_id, p.name as person_name, ${branchId}::uuid as branch_id,
      coalesce(sum(d.counted) filter (where d.counted > 0), 0)::float8 as additions,
      coalesce(sum(d.counted) filter (where d.counted < 0), 0)::float8 as deductions,
      coalesce(sum(abs(d.amt - d.counted)), 0)::float8 as capped
    from persons join people p on p.id = persons.person_id left join d on d.person_id = persons.person_id
    group by p.id, p.name
    order by p.name collate "zh-x-icu", p.id`);
  return r.rows.map((x) => ({ ...x, additions: Number(x.additions), deductions: Number(x.deductions), capped: Number(x.capped) }));
}

export type YearDbRow = { person_id: string; person_name: string; branch_id: string; branch_name: string; points: number; sanctioned: boolean };

/**
 * Yearly points per person, after caps: the sum of the person's months in points_person_months
 * (ADR 0012), 12 rows a person at most instead of every ledger entry. People count in their
 * current branch (or the branch of their latest entry when they have none now). Branches come in
 * the department's own order (sort_order, as on the organisation page; 第2党支部 before
 * 第10党支部), which also spares the sort comparing 100,000 branch names by collation.
 */
export async function yearTotals(ex: Executor, tenantId: string, year: number, branchId?: string): Promise<YearDbRow[]> {
  const from = `${year}-01-01`;
  const to = `${year}-12-01`;
  // a whole tenant's year is ~100,000 rows to sort by name and a hash of as many sums: with the
  // default 4 MB both went to disk (bench/README.md, points, 2026-11-23 22:50); this transaction only
  await ex.execute(sql`set local work_mem = '64MB'`);
  const r = await ex.execute<YearDbRow>(sql`
    with t as (
      select person_id, sum(additions + deductions) as points, bool_or(sanctioned) as sanctioned
      from points_person_months
      where tenant_id = ${tenantId} and period between ${from}::date and ${to}::date
        ${branchId ? sql`and person_id in (select id from people where tenant_id = ${tenantId} and (branch_id = ${branchId} or branch_id is null))` : sql``}
      group by person_id
    ),
    persons as (
      -- the branch of the latest entry only for people without a branch now (rare): no sort of the year
      select p.id, p.name,
        coalesce(p.branch_id, (
          select e.branch_id from points_entries e
          where e.tenant_id = ${tenantId} and e.person_id = p.id and e.period between ${from}::date and ${to}::date
          order by e.period desc, e.created_at desc limit 1)) as branch_id
      from people p
      where p.tenant_id = ${tenantId}
        and ((p.active and p.party_status <> 'none' and p.branch_id is not null)
          -- anyone else only with points that year (not rows of entries that all cancelled
          -- out); checked per such person, not for everyone's 12 months
          or exists (
            select 1 from points_person_months s
            where s.tenant_id = ${tenantId} and s.person_id = p.id and s.period between ${from}::date and ${to}::date
              and (s.additions <> 0 or s.deductions <> 0 or s.capped <> 0)))
    )
    select persons.id as person_id, persons.name as person_name, persons.branch_id, u.name as branch_name,
      coalesce(t.points, 0)::float8 as points, coalesce(t.sanctioned, false) as sanctioned
    from persons join org_units u on u.id = persons.branch_id left join t on t.person_id = persons.id
    ${branchId ? sql`where persons.branch_id = ${branchId}` : sql``}
    order by u.sort_order, u.name collate "zh-x-icu", persons.branch_id, persons.name collate "zh-x-icu", persons.id`);
  // float8 arrives as a number already; no copy of 100,000 rows
  return r.rows;
}

/** One person's points of a month and of its whole year, after caps: one index read of points_person_months. */
export async function personMonthAndYear(ex: Executor, tenantId: string, personId: string, month: string): Promise<{ month: number; year: number }> {
  const r = await ex.execute<{ m: number; y: number }>(sql`
    select coalesce(sum(additions + deductions) filter (where period = ${month}::date), 0)::float8 as m, coalesce(sum(additions + deductions), 0)::float8 as y
    from points_person_months
    where tenant_id = ${tenantId} and person_id = ${personId}
      and period between date_trunc('year', ${month}::date)::date and (date_trunc('year', ${month}::date) + interval '11 months')::date`);
  return { month: Number(r.rows[0]?.m ?? 0), year: Number(r.rows[0]?.y ?? 0) };
}

export type PersonMonthRow = { person_id: string; period: string; branch_id: string; additions: number; deductions: number; capped: number; sanctioned: boolean };

/** A tenant's points_person_months, in key order (tests compare it with a rebuild). */
export async function personMonthsOf(ex: Executor, tenantId: string): Promise<PersonMonthRow[]> {
  const r = await ex.execute<PersonMonthRow>(sql`
    select person_id, period::text, branch_id, additions::float8 as additions, deductions::float8 as deductions, capped::float8 as capped, sanctioned
    from points_person_months where tenant_id = ${tenantId} order by person_id, period, branch_id`);
  return r.rows.map((x) => ({ ...x, additions: Number(x.additions), deductions: Number(x.deductions), capped: Number(x.capped) }));
}

/** Recomputes a tenant's points_person_months from the ledger (owner only: bulk loads and checks); the number of rows. */
export async function rebuildPersonMonths(ex: Executor, tenantId: string): Promise<number> {
  const r = await ex.execute<{ n: number }>(sql`select points_rebuild_person_months(${tenantId}::uuid) as n`);
  return Number(r.rows[0]?.n ?? 0);
}

// ---- manual requests ----

export async function insertManual(ex: Executor, row: typeof pointsManualRequests.$inferInsert): Promise<ManualRow> {
  const [r] = await ex.insert(pointsManualRequests).values(row).returning();
  if (!r) throw new Error('manual insert');
  return r;
}

export async function findManualForUpdate(ex: Executor, tenantId: string, id: string): Promise<ManualRow | undefined> {
  const [r] = await ex
    .select()
    .from(pointsManualRequests)
    .where(and(eq(pointsManualRequests.tenantId, tenantId), eq(pointsManualRequests.id, id)))
    .for('update');
  return r;
}

export async function updateManual(ex: Executor, id: string, set: Partial<typeof pointsManualRequests.$inferInsert>): Promise<ManualRow> {
  const [r] = await ex.update(pointsManualRequests).set(set).where(eq(pointsManualRequests.id, id)).returning();
  if (!r) throw new Error('manual update');
  return r;
}

export async function listManual(ex: Executor, tenantId: string, status?: string) {
  const r = await ex.execute<ManualRow & { person_name: string; person_id: string }>(sql`
    select m.*, p.name as person_name from points_manual_requests m join people p on p.id = m.person_id
    where m.tenant_id = ${tenantId} ${status ? sql`and m.status = ${status}` : sql``}
    order by m.created_at desc limit 500`);
  return r.rows;
}

// ---- notices and objections ----

export async function insertNotice(ex: Executor, row: typeof pointsNotices.$inferInsert): Promise<NoticeRow | undefined> {
  const [r] = await ex.insert(pointsNotices).values(row).onConflictDoNothing().returning();
  return r;
}

export async function findNotice(ex: Executor, tenantId: string, id: string, forUpdate = false): Promise<NoticeRow | undefined> {
  const q = ex
    .select()
    .from(pointsNotices)
    .where(and(eq(pointsNotices.tenantId, tenantId), eq(pointsNotices.id, id)));
  const [r] = forUpdate ? await q.for('update') : await q;
  return r;
}

export async function updateNotice(ex: Executor, id: string, set: Partial<typeof pointsNotices.$inferInsert>): Promise<NoticeRow> {
  const [r] = await ex
    .update(pointsNotices)
    .set({ ...set, version: sql`${pointsNotices.version} + 1` })
    .where(eq(pointsNotices.id, id))
    .returning();
  if (!r) throw new Error('notice update');
  return r;
}

export type NoticeListRow = NoticeRow & { branchName: string; openObjections: number };

export async function listNotices(ex: Executor, tenantId: string, branchIds: string[] | null): Promise<NoticeListRow[]> {
  const r = await ex.execute<{ id: string }>(sql`
    select n.id from points_notices n
    where n.tenant_id = ${tenantId} ${branchIds ? sql`and n.branch_id = any(${pgArray(branchIds)}::uuid[])` : sql``}
    order by n.quarter desc, n.published_at desc limit 200`);
  return noticesByIds(
    ex,
    tenantId,
    r.rows.map((x) => x.id),
  );
}

export async function noticesByIds(ex: Executor, tenantId: string, ids: string[]): Promise<NoticeListRow[]> {
  if (ids.length === 0) return [];
  const r = await ex.execute<{ id: string; branch_name: string; open: number }>(sql`
    select n.id, u.name as branch_name, (select count(*)::int from points_objections o where o.notice_id = n.id and o.status = 'open') as open
    from points_notices n join org_units u on u.id = n.branch_id where n.tenant_id = ${tenantId} and n.id = any(${pgArray(ids)}::uuid[])`);
  const rows = await ex
    .select()
    .from(pointsNotices)
    .where(and(eq(pointsNotices.tenantId, tenantId), sql`${pointsNotices.id} = any(${pgArray(ids)}::uuid[])`));
  const extra = new Map(r.rows.map((x) => [x.id, x]));
  const byId = new Map(rows.map((x) => [x.id, x]));
  return ids.flatMap((id) => {
    const n = byId.get(id);
    const e = extra.get(id);
    return n && e ? [{ ...n, branchName: e.branch_name, openObjections: e.open }] : [];
  });
}

export async function insertObjection(ex: Executor, row: typeof pointsObjections.$inferInsert): Promise<ObjectionRow> {
  const [r] = await ex.insert(pointsObjections).values(row).returning();
  if (!r) throw new Error('objection insert');
  return r;
}

export async function findObjectionForUpdate(ex: Executor, tenantId: string, id: string): Promise<ObjectionRow | undefined> {
  const [r] = await ex
    .select()
    .from(pointsObjections)
    .where(and(eq(pointsObjections.tenantId, tenantId), eq(pointsObjections.id, id)))
    .for('update');
  return r;
}

export async function updateObjection(ex: Executor, id: string, set: Partial<typeof pointsObjections.$inferInsert>): Promise<ObjectionRow> {
  const [r] = await ex.update(pointsObjections).set(set).where(eq(pointsObjections.id, id)).returning();
  if (!r) throw new Error('objection update');
  return r;
}

export async function listObjections(ex: Executor, tenantId: string, f: { noticeId?: string; personId?: string }) {
  const r = await ex.execute<ObjectionRow & { person_name: string }>(sql`
    select o.id, o.notice_id as "noticeId", o.entry_id as "entryId", o.person_id as "personId", o.text, o.status, o.answer,
      o.correction_entry_id as "correctionEntryId", o.created_at as "createdAt", o.answered_at as "answeredAt", p.name as person_name
    from points_objections o join people p on p.id = o.person_id
    where o.tenant_id = ${tenantId} ${f.noticeId ? sql`and o.notice_id = ${f.noticeId}` : sql``} ${f.personId ? sql`and o.person_id = ${f.personId}` : sql``}
    order by o.created_at`);
  return r.rows;
}

/** Whether an earlier quarter's notice of the branch is still published (closing a later one would freeze it mid-window). */
export async function earlierPublishedNotice(ex: Executor, tenantId: string, branchId: string, quarter: string): Promise<boolean> {
  const r = await ex.execute<{ x: boolean }>(
    sql`select exists (select 1 from points_notices where tenant_id = ${tenantId} and branch_id = ${branchId} and quarter < ${quarter}::date and status = 'published') as x`,
  );
  return r.rows[0]?.x ?? false;
}

export async function countOpenObjections(ex: Executor, noticeId: string): Promise<number> {
  const r = await ex.execute<{ n: number }>(sql`select count(*)::int as n from points_objections where notice_id = ${noticeId} and status = 'open'`);
  return r.rows[0]?.n ?? 0;
}

// ---- grade overrides ----

export async function upsertOverride(ex: Executor, row: typeof pointsGradeOverrides.$inferInsert): Promise<void> {
  await ex
    .insert(pointsGradeOverrides)
    .values(row)
    .onConflictDoUpdate({
      target: [pointsGradeOverrides.tenantId, pointsGradeOverrides.year, pointsGradeOverrides.personId],
      set: { grade: row.grade, reason: row.reason, createdBy: row.createdBy, createdAt: sql`now()` },
    });
}

export async function overridesOf(ex: Executor, tenantId: string, year: number): Promise<Map<string, { grade: string; reason: string }>> {
  const rows = await ex
    .select()
    .from(pointsGradeOverrides)
    .where(and(eq(pointsGradeOverrides.tenantId, tenantId), eq(pointsGradeOverrides.year, year)));
  return new Map(rows.map((r) => [r.personId, { grade: r.grade, reason: r.reason }]));
}

// ---- people ----

export type PersonBrief = { id: string; name: string; branch_id: string | null; branch_path: string | null; party_status: string };

export async function personBrief(ex: Executor, tenantId: string, id: string): Promise<PersonBrief | undefined> {
  const r = await ex.execute<PersonBrief>(sql`
    select p.id, p.name, p.branch_id, u.path as branch_path, p.party_status
    from people p left join org_units u on u.id = p.branch_id where p.tenant_id = ${tenantId} and p.id = ${id}`);
  return r.rows[0];
}
