import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/db';
import type { Scope } from '../../platform/access';
import { likeContains, likePrefix } from '../../platform/db/like';
import { reportFigureMappings, reportTemplates } from './reports.schema';

/**
 * What one metric evaluation is asked for: the tenant, the viewer's scope, the chosen
 * units' subtrees (empty = the whole scope), the Shanghai days, and the placeholder's arguments.
 */
export type MetricQuery = {
  tenantId: string;
  scope: Scope;
  unitPaths: string[];
  from: string;
  to: string;
  args: Record<string, string[]>;
};

/**
 * Every metric is a source of evidence rows (id, kind, title, date, weight, key); the value
 * is either the sum of weights or the number of distinct keys. One shape for all areas keeps
 * the value and its record list computed from the same rows.
 */
export type Aggregate = 'sum' | 'distinct';
export type Source = SQL;

const day = (d: string) => sql`(${d}::date::timestamp at time zone 'Asia/Shanghai')`;
const nextDay = (d: string) => sql`((${d}::date + 1)::timestamp at time zone 'Asia/Shanghai')`;
const shanghaiDate = (col: SQL) => sql`to_char(${col} at time zone 'Asia/Shanghai', 'YYYY-MM-DD')`;

/** unit path within the viewer's scope and, when units were chosen, within one of them */
function unitConds(q: MetricQuery, path: SQL): SQL[] {
  const conds: SQL[] = [];
  if (!q.scope.all) conds.push(q.scope.paths.length ? sql`${path} like any(${sql.param(q.scope.paths.map(likePrefix))}::text[])` : sql`false`);
  if (q.unitPaths.length) conds.push(sql`${path} like any(${sql.param(q.unitPaths.map(likePrefix))}::text[])`);
  return conds;
}

const anyOf = (col: SQL, values: string[]) => sql`${col} = any(${sql.param(values)}::text[])`;

export type ActivitySourceOptions = {
  /** 'one' counts activities; 'present' counts present participants (people-times) */
  weight: 'one' | 'present';
  /** distinct key: the place visited (extra placeName/placeVisited, else place) */
  key?: 'place';
  /** only visits to enterprises known in the registry, optionally of these types */
  enterprises?: boolean;
};

/** the place an activity visited (extra.placeName, else placeVisited, else place, else topic): the stored column activities.place_key */
const placeOf = sql`a.place_key`;

/** a contact participant (ap) of one of these united-front categories, by code or name */
const contactOfCategory = (categories: string[]) =>
  sql`exists (select 1 from contact_category_links l join uf_categories k on k.id = l.category_id
               where l.contact_id = ap.contact_id and (${anyOf(sql`k.code`, categories)} or ${anyOf(sql`k.name`, categories)}))`;

/**
 * Activities held or recorded in the period (or the statuses asked for), by type code and extra fields.
 * category= picks training classes by trainee category: the class's stated extra.traineeCategory,
 * or a contact of that category on its roster; people-times then count the contacts of that
 * category (and, in a class whose stated category matches, its participants who are not contacts).
 * Visited enterprises are the registry enterprises a visit is linked to, or (older records) the
 * one whose name is the visit's place name.
 */
export function activitySource(q: MetricQuery, o: ActivitySourceOptions): Source {
  const conds: SQL[] = [
    sql`a.tenant_id = ${q.tenantId}`,
    sql`a.starts_at >= ${day(q.from)}`,
    sql`a.starts_at < ${nextDay(q.to)}`,
    anyOf(sql`a.status`, q.args.status ?? ['held', 'recorded']),
    ...unitConds(q, sql`u.path`),
  ];
  if (q.args.type) conds.push(anyOf(sql`t.code`, q.args.type));
  if (q.args.topic) conds.push(sql`a.topic like any(${sql.param(q.args.topic.map(likeContains))}::text[])`);
  if (q.args.place_kind) conds.push(anyOf(sql`(a.extra->>'placeKind')`, q.args.place_kind));
  const categories = q.args.category;
  const statedCategory = categories ? anyOf(sql`(a.extra->>'traineeCategory')`, categories) : sql`true`;
  if (categories) {
    conds.push(sql`(${statedCategory} or exists (select 1 from activity_participants ap where ap.activity_id = a.id and ap.contact_id is not null and ${contactOfCategory(categories)}))`);
  }
  const enterpriseTypes = q.args.enterprise_type ? sql`and ${anyOf(sql`e.type`, q.args.enterprise_type)}` : sql``;
  // Two index lookups per visit instead of a scan of all the tenant's enterprises (an "or" of
  // the link and the name could not use an index): the link table by its primary key
  // (activity_id, enterprise_id), then the by-name fallback for older records through
  // enterprises_tenant_name_zh_idx (tenant_id, name collate "zh-x-icu", id). That collation
  // is deterministic, so equality under it is byte equality, as a plain "=" is. "union"
  // keeps an enterprise both linked and named once.
  const visited = sql`(select e.id, e.name from activity_enterprises ae join enterprises e on e.id = ae.enterprise_id
                        where ae.activity_id = a.id and e.tenant_id = a.tenant_id ${enterpriseTypes}
                       union
                       select e.id, e.name from enterprises e
                        where e.tenant_id = a.tenant_id and e.name collate "zh-x-icu" = ${placeOf} ${enterpriseTypes})`;
  // the enterprises metric lists one row per visited enterprise; other metrics only filter by them
  const byEnterprise = !!o.enterprises;
  if (!byEnterprise && q.args.enterprise_type) conds.push(sql`exists (select 1 from ${visited} ve)`);
  const party = q.args.party?.flatMap((p) => (p === 'member' ? ['full', 'probationary'] : [p]));
  const who = categories ? sql`and (case when ap.contact_id is not null then ${contactOfCategory(categories)} else ${statedCategory} end)` : sql``;
  const present =
    o.weight === 'present'
      ? sql`(select count(*)::int from activity_participants ap where ap.activity_id = a.id and ap.attendance = 'present' ${party ? sql`and ${anyOf(sql`ap.party_status`, party)}` : sql``} ${who})`
      : sql`1`;
  // one row per visited enterprise: a visit to two enterprises counts both, keyed by the enterprise
  const place = byEnterprise ? sql`ve.name` : placeOf;
  const title = o.key === 'place' ? sql`${place} || '：' || a.topic` : sql`a.topic`;
  const key = o.key === 'place' ? (byEnterprise ? sql`ve.id::text` : placeOf) : sql`a.id::text`;
  return sql`select a.id, 'activities' as kind, ${title} as title, ${shanghaiDate(sql`a.starts_at`)} as date,
      ${present} as weight, ${key} as key
    from activities a join activity_types t on t.id = a.type_id join org_units u on u.id = a.unit_id
    ${byEnterprise ? sql`cross join lateral ${visited} ve` : sql``}
    where ${sql.join(conds, sql` and `)}`;
}

/**
 * Problems have no unit of their own: they follow their program's owning unit. Without a
 * program, only a viewer (and a choice) covering the whole tenant sees them.
 */
function problemUnitConds(q: MetricQuery): SQL[] {
  const c = unitConds(q, sql`pu.path`);
  if (!c.length) return [];
  return [sql`exists (select 1 from programs pg join org_units pu on pu.id = pg.owner_unit_id where pg.id = p.program_id and ${sql.join(c, sql` and `)})`];
}

function problemConds(q: MetricQuery): SQL[] {
  const conds: SQL[] = [sql`p.tenant_id = ${q.tenantId}`, ...problemUnitConds(q)];
  if (q.args.source) conds.push(anyOf(sql`p.source`, q.args.source));
  if (q.args.category) conds.push(sql`exists (select 1 from problem_categories c where c.id = p.category_id and ${anyOf(sql`c.code`, q.args.category)})`);
  if (q.args.program) conds.push(sql`p.program_id::text = any(${sql.param(q.args.program)}::text[])`);
  return conds;
}

/** Problems found in the period (by the day they were found). */
export function problemsFoundSource(q: MetricQuery): Source {
  const conds = [...problemConds(q), sql`p.found_on between ${q.from}::date and ${q.to}::date`];
  return sql`select p.id, 'problems' as kind, p.title, p.found_on::text as date, 1 as weight, p.id::text as key
    from problems p where ${sql.join(conds, sql` and `)}`;
}

/** Problems rectified (all measures closed) in the period. */
export function problemsRectifiedSource(q: MetricQuery): Source {
  const conds = [...problemConds(q), sql`p.status = 'rectified'`, sql`p.rectified_at >= ${day(q.from)}`, sql`p.rectified_at < ${nextDay(q.to)}`];
  return sql`select p.id, 'problems' as kind, p.title, ${shanghaiDate(sql`p.rectified_at`)} as date, 1 as weight, p.id::text as key
    from problems p where ${sql.join(conds, sql` and `)}`;
}

/** Rectification measures set in the period; status=done counts those verified. */
export function measuresSource(q: MetricQuery): Source {
  const conds = [...problemConds(q), sql`m.created_at >= ${day(q.from)}`, sql`m.created_at < ${nextDay(q.to)}`];
  if (q.args.status) conds.push(anyOf(sql`m.status`, q.args.status));
  return sql`select m.id, 'rectification_measures' as kind, m.title, ${shanghaiDate(sql`m.created_at`)} as date, 1 as weight, m.id::text as key
    from rectification_measures m join problems p on p.id = m.problem_id where ${sql.join(conds, sql` and `)}`;
}

/** Answers received in the period to feedback forms (questionnaires). */
export function feedbackResponsesSource(q: MetricQuery): Source {
  const conds: SQL[] = [sql`r.tenant_id = ${q.tenantId}`, sql`r.created_at >= ${day(q.from)}`, sql`r.created_at < ${nextDay(q.to)}`];
  if (q.args.program) conds.push(sql`f.program_id::text = any(${sql.param(q.args.program)}::text[])`);
  if (q.args.form) conds.push(sql`f.id::text = any(${sql.param(q.args.form)}::text[])`);
  const units = unitConds(q, sql`pu.path`);
  if (units.length) conds.push(sql`exists (select 1 from programs pg join org_units pu on pu.id = pg.owner_unit_id where pg.id = f.program_id and ${sql.join(units, sql` and `)})`);
  return sql`select r.id, 'feedback_responses' as kind, f.title || ' #' || left(r.id::text, 8) as title, ${shanghaiDate(sql`r.created_at`)} as date, 1 as weight, r.id::text as key
    from feedback_responses r join feedback_forms f on f.id = r.form_id where ${sql.join(conds, sql` and `)}`;
}

/** United-front contacts on the registry at the period's end (active), by category code. */
export function contactsSource(q: MetricQuery): Source {
  const conds: SQL[] = [sql`c.tenant_id = ${q.tenantId}`, sql`c.active`, sql`c.created_at < ${nextDay(q.to)}`, ...unitConds(q, sql`u.path`)];
  if (q.args.category)
    conds.push(sql`exists (select 1 from contact_category_links l join uf_categories k on k.id = l.category_id where l.contact_id = c.id and ${anyOf(sql`k.code`, q.args.category)})`);
  if (q.args.tag) conds.push(sql`c.tags && ${sql.param(q.args.tag)}::text[]`);
  return sql`select c.id, 'contacts' as kind, c.name as title, ${shanghaiDate(sql`c.created_at`)} as date, 1 as weight, c.id::text as key
    from contacts c join org_units u on u.id = c.office_id where ${sql.join(conds, sql` and `)}`;
}

/** Enterprises on the registry at the period's end (active), by type. */
export function enterprisesSource(q: MetricQuery): Source {
  const conds: SQL[] = [sql`e.tenant_id = ${q.tenantId}`, sql`e.active`, sql`e.created_at < ${nextDay(q.to)}`, ...unitConds(q, sql`u.path`)];
  if (q.args.enterprise_type) conds.push(anyOf(sql`e.type`, q.args.enterprise_type));
  return sql`select e.id, 'enterprises' as kind, e.name as title, ${shanghaiDate(sql`e.created_at`)} as date, 1 as weight, e.id::text as key
    from enterprises e join org_units u on u.id = e.office_id where ${sql.join(conds, sql` and `)}`;
}

/** Items of programs running in the period (key tasks, service projects…), by kind. */
export function programItemsSource(q: MetricQuery): Source {
  const conds: SQL[] = [sql`i.tenant_id = ${q.tenantId}`, sql`pg.starts_on <= ${q.to}::date`, sql`pg.ends_on >= ${q.from}::date`, ...unitConds(q, sql`u.path`)];
  if (q.args.kind) conds.push(anyOf(sql`i.kind`, q.args.kind));
  if (q.args.program) conds.push(sql`pg.id::text = any(${sql.param(q.args.program)}::text[])`);
  return sql`select i.id, 'program_items' as kind, i.title, coalesce(i.due_on::text, pg.starts_on::text) as date, 1 as weight, i.id::text as key
    from program_items i join programs pg on pg.id = i.program_id join org_units u on u.id = pg.owner_unit_id where ${sql.join(conds, sql` and `)}`;
}

/** Points entries of the period (the ledger's amounts), weighted by amount. */
export function pointsSource(q: MetricQuery): Source {
  const conds: SQL[] = [sql`e.tenant_id = ${q.tenantId}`, sql`e.period between ${q.from}::date and ${q.to}::date`, ...unitConds(q, sql`u.path`)];
  if (q.args.rule) conds.push(anyOf(sql`e.rule_code`, q.args.rule));
  return sql`select e.id, 'points_entries' as kind, p.name || '：' || e.rule_code as title, e.period::text as date, e.amount as weight, e.id::text as key
    from points_entries e join people p on p.id = e.person_id join org_units u on u.id = e.branch_id where ${sql.join(conds, sql` and `)}`;
}

export type EvidenceRow = { id: string; kind: string; title: string; date: string | null };

/**
 * The value and up to `limit` records of a source, computed from the same rows. A sum comes
 * from window aggregates over the rows the list is cut from (one scan); a distinct count
 * needs its own statement.
 */
export async function evaluateSource(db: Executor, source: Source, agg: Aggregate, limit: number): Promise<{ value: number; records: EvidenceRow[]; total: number }> {
  const recs = await db.execute<EvidenceRow & { value: number; total: number }>(
    sql`select s.id, s.kind, s.title, s.date, coalesce(sum(s.weight) over (), 0)::float8 as value, count(*) over ()::int as total
          from (${source}) s where s.weight <> 0 order by s.date nulls last, s.title, s.id limit ${limit}`,
  );
  const first = recs.rows[0];
  let value = Number(first?.value ?? 0);
  if (agg === 'distinct') {
    const r = await db.execute<{ value: number }>(sql`select count(distinct s.key)::float8 as value from (${source}) s where s.weight <> 0`);
    value = Number(r.rows[0]?.value ?? 0);
  }
  return { value, total: first?.total ?? 0, records: recs.rows.map((r) => ({ id: r.id, kind: r.kind, title: r.title, date: r.date })) };
}

/** The value of a source alone (no record list): one aggregate, for the dashboard's key figures. */
export async function valueOfSource(db: Executor, source: Source, agg: Aggregate): Promise<number> {
  const value = agg === 'distinct' ? sql`count(distinct s.key)` : sql`coalesce(sum(s.weight), 0)`;
  const r = await db.execute<{ value: number }>(sql`select ${value}::float8 as value from (${source}) s where s.weight <> 0`);
  return Number(r.rows[0]?.value ?? 0);
}

/** The values of several sources in one statement (valueOfSource each), in their order. */
export async function valuesOfSources(db: Executor, sources: { source: Source; aggregate: Aggregate }[]): Promise<number[]> {
  if (!sources.length) return [];
  const cols = sources.map(({ source, aggregate }, i) => {
    const value = aggregate === 'distinct' ? sql`count(distinct s.key)` : sql`coalesce(sum(s.weight), 0)`;
    return sql`(select ${value}::float8 from (${source}) s where s.weight <> 0) as ${sql.identifier(`v${i}`)}`;
  });
  const r = await db.execute<Record<string, number>>(sql`select ${sql.join(cols, sql`, `)}`);
  const row = r.rows[0] ?? {};
  return sources.map((_, i) => Number(row[`v${i}`] ?? 0));
}

export async function unitPathsOf(db: Executor, tenantId: string, ids: string[]): Promise<{ id: string; path: string }[]> {
  if (!ids.length) return [];
  const r = await db.execute<{ id: string; path: string }>(sql`select id, path from org_units where tenant_id = ${tenantId} and id = any(${sql.param(ids)}::uuid[])`);
  return r.rows;
}

/** Ids of a unit and the units under it (by path), for ledgers filtered by unit. */
export async function unitSubtreeIds(db: Executor, tenantId: string, path: string): Promise<string[]> {
  const r = await db.execute<{ id: string }>(sql`select id from org_units where tenant_id = ${tenantId} and path like ${likePrefix(path)}`);
  return r.rows.map((x) => x.id);
}

// ---------------------------------------------------------------- templates

export type TemplateRow = typeof reportTemplates.$inferSelect;

export async function listTemplates(db: Executor, tenantId: string): Promise<TemplateRow[]> {
  return db.select().from(reportTemplates).where(eq(reportTemplates.tenantId, tenantId)).orderBy(asc(reportTemplates.createdAt), sql`${reportTemplates.code} nulls last`, asc(reportTemplates.name));
}

export async function findTemplate(db: Executor, tenantId: string, id: string): Promise<TemplateRow | undefined> {
  const [r] = await db.select().from(reportTemplates).where(and(eq(reportTemplates.tenantId, tenantId), eq(reportTemplates.id, id)));
  return r;
}

export async function insertTemplate(db: Executor, row: typeof reportTemplates.$inferInsert): Promise<TemplateRow> {
  const [r] = await db.insert(reportTemplates).values(row).returning();
  if (!r) throw new Error('insert report template');
  return r;
}

/** Seeded templates by code: inserts what is missing, never overwrites. */
export async function insertMissingTemplates(db: Executor, rows: (typeof reportTemplates.$inferInsert)[]): Promise<void> {
  if (!rows.length) return;
  await db.insert(reportTemplates).values(rows).onConflictDoNothing({ target: [reportTemplates.tenantId, reportTemplates.code], where: sql`code is not null` });
}

/**
 * Brings a seeded template to its new body when it still holds a body shipped before (by
 * SHA-256), i.e. nobody edited it. Idempotent: once upgraded, no old hash matches.
 */
export async function upgradeUneditedTemplate(db: Executor, tenantId: string, code: string, body: string, previousHashes: string[]): Promise<void> {
  await db
    .update(reportTemplates)
    .set({ body, version: sql`${reportTemplates.version} + 1`, updatedAt: sql`now()` })
    .where(
      and(
        eq(reportTemplates.tenantId, tenantId),
        eq(reportTemplates.code, code),
        sql`encode(sha256(convert_to(${reportTemplates.body}, 'UTF8')), 'hex') = any(${sql.param(previousHashes)}::text[])`,
      ),
    );
}

export async function updateTemplateVersioned(db: Executor, tenantId: string, id: string, version: number, set: { name?: string; body?: string }): Promise<TemplateRow | undefined> {
  const [r] = await db
    .update(reportTemplates)
    .set({ ...set, version: sql`${reportTemplates.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(reportTemplates.tenantId, tenantId), eq(reportTemplates.id, id), eq(reportTemplates.version, version)))
    .returning();
  return r;
}

export async function deleteTemplate(db: Executor, tenantId: string, id: string): Promise<boolean> {
  const r = await db.delete(reportTemplates).where(and(eq(reportTemplates.tenantId, tenantId), eq(reportTemplates.id, id))).returning({ id: reportTemplates.id });
  return r.length > 0;
}

// ---------------------------------------------------------------- figure mappings

export type MappingRow = typeof reportFigureMappings.$inferSelect;

export async function listMappings(db: Executor, tenantId: string): Promise<MappingRow[]> {
  return db.select().from(reportFigureMappings).where(eq(reportFigureMappings.tenantId, tenantId));
}

export async function upsertMapping(db: Executor, row: typeof reportFigureMappings.$inferInsert): Promise<void> {
  await db
    .insert(reportFigureMappings)
    .values(row)
    .onConflictDoUpdate({
      target: [reportFigureMappings.tenantId, reportFigureMappings.phrase, reportFigureMappings.measureWord],
      set: { metric: row.metric, args: row.args, createdBy: row.createdBy, createdAt: sql`now()` },
    });
}

/** Names of the tenant's activity types, for matching the phrases of a hand-written report. */
export async function activityTypeNames(db: Executor, tenantId: string): Promise<{ code: string; nameZh: string }[]> {
  const r = await db.execute<{ code: string; nameZh: string }>(sql`select code, name_zh as "nameZh" from activity_types where tenant_id = ${tenantId}`);
  return r.rows;
}

/** Filters both case metrics take: category, requester type, and the requesting enterprise's type. */
function caseConds(q: MetricQuery): SQL[] {
  const conds: SQL[] = [];
  if (q.args.category) conds.push(anyOf(sql`c.category`, q.args.category));
  if (q.args.requester_type) conds.push(anyOf(sql`c.requester_type`, q.args.requester_type));
  if (q.args.enterprise_type)
    conds.push(sql`exists (select 1 from enterprises e where e.id = c.enterprise_id and e.tenant_id = c.tenant_id and ${anyOf(sql`e.type`, q.args.enterprise_type)})`);
  return conds;
}

/** Service cases (为统战成员/企业办实事) raised in the period, by category and requester type. */
export function casesRaisedSource(q: MetricQuery): Source {
  const conds: SQL[] = [sql`c.tenant_id = ${q.tenantId}`, sql`c.raised_on between ${q.from}::date and ${q.to}::date`, ...unitConds(q, sql`u.path`)];
  conds.push(...caseConds(q));
  return sql`select c.id, 'service_cases' as kind, left(c.problem, 100) as title, c.raised_on::text as date, 1 as weight, c.id::text as key
    from service_cases c join org_units u on u.id = c.office_id where ${sql.join(conds, sql` and `)}`;
}

/** Service cases resolved (closed as resolved) in the period. */
export function casesResolvedSource(q: MetricQuery): Source {
  const conds: SQL[] = [sql`c.tenant_id = ${q.tenantId}`, sql`c.status = 'resolved'`, sql`c.closed_on between ${q.from}::date and ${q.to}::date`, ...unitConds(q, sql`u.path`)];
  conds.push(...caseConds(q));
  return sql`select c.id, 'service_cases' as kind, left(c.problem, 100) as title, c.closed_on::text as date, 1 as weight, c.id::text as key
    from service_cases c join org_units u on u.id = c.office_id where ${sql.join(conds, sql` and `)}`;
}

/** Rules (制度) revised in the period: versions dated in it, counted per rule. */
export function rulesRevisedSource(q: MetricQuery): Source {
  const conds: SQL[] = [sql`v.tenant_id = ${q.tenantId}`, sql`v.revised_on between ${q.from}::date and ${q.to}::date`, ...unitConds(q, sql`u.path`)];
  return sql`select v.id, 'integrity_rule_versions' as kind, r.title || '（第' || v.version_no || '版）' as title, v.revised_on::text as date, 1 as weight, r.id::text as key
    from integrity_rule_versions v join integrity_rules r on r.id = v.rule_id join org_units u on u.id = r.office_id where ${sql.join(conds, sql` and `)}`;
}

/** Integrity risk points on the register at the period's end, by level. */
export function integrityRisksSource(q: MetricQuery): Source {
  const conds: SQL[] = [sql`k.tenant_id = ${q.tenantId}`, sql`k.created_at < ${nextDay(q.to)}`, ...unitConds(q, sql`u.path`)];
  if (q.args.level) conds.push(anyOf(sql`k.level`, q.args.level));
  return sql`select k.id, 'integrity_risks' as kind, left(k.risk, 100) as title, ${shanghaiDate(sql`k.created_at`)} as date, 1 as weight, k.id::text as key
    from integrity_risks k join org_units u on u.id = k.office_id where ${sql.join(conds, sql` and `)}`;
}

/** Publicity items published in the period, by channel and level adopted at. */
export function publicitySource(q: MetricQuery): Source {
  const conds: SQL[] = [sql`p.tenant_id = ${q.tenantId}`, sql`p.published_on between ${q.from}::date and ${q.to}::date`, ...unitConds(q, sql`u.path`)];
  if (q.args.channel) conds.push(anyOf(sql`p.channel`, q.args.channel));
  if (q.args.adopted_level) conds.push(anyOf(sql`p.adopted_level`, q.args.adopted_level));
  return sql`select p.id, 'publicity_items' as kind, p.title, p.published_on::text as date, 1 as weight, p.id::text as key
    from publicity_items p join org_units u on u.id = p.office_id where ${sql.join(conds, sql` and `)}`;
}

// ---------------------------------------------------------------- research (调研)

/** research topics' owning unit within the viewer's scope and the chosen units */
function topicUnitConds(q: MetricQuery, topic: SQL): SQL[] {
  const c = unitConds(q, sql`tu.path`);
  return c.length ? [sql`exists (select 1 from org_units tu where tu.id = ${topic}.office_id and ${sql.join(c, sql` and `)})`] : [];
}

/** Research topics whose own period overlaps the period (the research area's countTopics). */
export function researchTopicsSource(q: MetricQuery): Source {
  const conds: SQL[] = [sql`r.tenant_id = ${q.tenantId}`, sql`r.ends_on >= ${q.from}::date`, sql`r.starts_on <= ${q.to}::date`, ...topicUnitConds(q, sql`r`)];
  return sql`select r.id, 'research_topics' as kind, r.title, r.starts_on::text as date, 1 as weight, r.id::text as key
    from research_topics r where ${sql.join(conds, sql` and `)}`;
}

// the place a research visit went to, as the research area names it (placeName, else place)
const researchPlace = sql`coalesce(nullif(a.extra->>'placeName', ''), nullif(a.place, ''))`;
export const researchPlaceKinds = ['district', 'town', 'enterprise', 'village'] as const;

/**
 * Held (or recorded) activities of the period linked to a research topic in scope, each once
 * even when linked to two topics: the rows behind the research area's place and symposium
 * counts. Scope follows the topic's owning unit, as the research area counts.
 */
function researchActivities(q: MetricQuery, extra: SQL[]): SQL {
  const conds: SQL[] = [
    sql`a.tenant_id = ${q.tenantId}`,
    sql`a.status in ('held', 'recorded')`,
    sql`a.starts_at >= ${day(q.from)}`,
    sql`a.starts_at < ${nextDay(q.to)}`,
    sql`exists (select 1 from research_topic_activities l join research_topics r on r.id = l.topic_id
             where ${sql.join([sql`l.activity_id = a.id`, ...topicUnitConds(q, sql`r`)], sql` and `)})`,
    ...extra,
  ];
  return sql`from activities a join activity_types t on t.id = a.type_id where ${sql.join(conds, sql` and `)}`;
}

/**
 * Distinct places visited for research, by kind (place_kind, default all four); keyed by kind
 * and name, so two kinds together count what each counts alone.
 */
export function researchPlacesSource(q: MetricQuery): Source {
  const kinds = q.args.place_kind ?? [...researchPlaceKinds];
  const from = researchActivities(q, [anyOf(sql`(a.extra->>'placeKind')`, kinds), sql`${researchPlace} is not null`]);
  return sql`select a.id, 'activities' as kind, ${researchPlace} || '：' || a.topic as title, ${shanghaiDate(sql`a.starts_at`)} as date, 1 as weight,
      (a.extra->>'placeKind') || '|' || ${researchPlace} as key ${from}`;
}

/** Symposiums (座谈会/研讨会: activity types of the 'meeting' category) held for research topics. */
export function researchSymposiumsSource(q: MetricQuery): Source {
  const from = researchActivities(q, [sql`t.category = 'meeting'`]);
  return sql`select a.id, 'activities' as kind, a.topic as title, ${shanghaiDate(sql`a.starts_at`)} as date, 1 as weight, a.id::text as key ${from}`;
}

/** Suggestions (意见建议) received in the period for research topics in scope. */
export function researchSuggestionsSource(q: MetricQuery): Source {
  const conds: SQL[] = [sql`s.tenant_id = ${q.tenantId}`, sql`s.received_on between ${q.from}::date and ${q.to}::date`, ...topicUnitConds(q, sql`r`)];
  return sql`select s.id, 'research_suggestions' as kind, left(s.content, 100) as title, s.received_on::text as date, 1 as weight, s.id::text as key
    from research_suggestions s join research_topics r on r.id = s.topic_id where ${sql.join(conds, sql` and `)}`;
}

/** Activities held per month and type category, and per type, for the dashboard's charts. */
export async function activityBreakdown(db: Executor, q: MetricQuery) {
  const source = activitySource(q, { weight: 'one' });
  const trend = await db.execute<{ month: string; category: string; count: number }>(
    sql`select to_char(s.date::date, 'YYYY-MM') as month, t.category, count(*)::int as count
          from (${source}) s join activities a on a.id = s.id join activity_types t on t.id = a.type_id
         group by 1, 2 order by 1, 2`,
  );
  const byType = await db.execute<{ code: string; nameZh: string; nameEn: string; count: number }>(
    sql`select t.code, t.name_zh as "nameZh", t.name_en as "nameEn", count(*)::int as count
          from (${source}) s join activities a on a.id = s.id join activity_types t on t.id = a.type_id
         group by t.code, t.name_zh, t.name_en, t.sort_order order by count(*) desc, t.sort_order`,
  );
  return { trend: trend.rows, byType: byType.rows };
}

// ---------------------------------------------------------------- dashboard over activity_month_counts

/** unit path (col) within every one of these scopes and, when units were chosen, within one of them */
function pathConds(path: SQL, scopes: Scope[], unitPaths: string[]): SQL[] {
  const conds: SQL[] = [];
  for (const s of scopes) if (!s.all) conds.push(s.paths.length ? sql`${path} like any(${sql.param(s.paths.map(likePrefix))}::text[])` : sql`false`);
  if (unitPaths.length) conds.push(sql`${path} like any(${sql.param(unitPaths.map(likePrefix))}::text[])`);
  return conds;
}

export type MonthTypeTotal = { month: string; code: string; category: string; nameZh: string; nameEn: string; sortOrder: number; held: number; present: number };

/**
 * Held (or recorded) activities and their present people-times per Shanghai month × type,
 * for the units in scope, from activity_month_counts (the database keeps it with the
 * records; see docs/decisions/0013). Months from `fromMonth` to `toMonth` (YYYY-MM-01),
 * inclusive: the same rows activitySource counts for whole months.
 */
export async function activityMonthTotals(db: Executor, q: { tenantId: string; scope: Scope; unitPaths: string[]; fromMonth: string; toMonth: string }): Promise<MonthTypeTotal[]> {
  const units = pathConds(sql`u.path`, [q.scope], q.unitPaths);
  const conds = [sql`c.tenant_id = ${q.tenantId}`, sql`c.month between ${q.fromMonth}::date and ${q.toMonth}::date`, ...units];
  // the whole tenant reads the counts already summed over its units (activity_month_type_counts)
  const counts = units.length
    ? sql`select c.month, c.type_id, sum(c.held)::int as held, sum(c.present)::int as present
            from activity_month_counts c join org_units u on u.id = c.unit_id
           where ${sql.join(conds, sql` and `)}
           group by c.month, c.type_id`
    : sql`select c.month, c.type_id, c.held, c.present from activity_month_type_counts c where ${sql.join(conds, sql` and `)}`;
  const r = await db.execute<MonthTypeTotal>(sql`
    select to_char(s.month, 'YYYY-MM') as month, t.code, t.category, t.name_zh as "nameZh", t.name_en as "nameEn", t.sort_order as "sortOrder", s.held, s.present
      from (${counts}) s
      join activity_types t on t.id = s.type_id
     where s.held > 0 or s.present > 0`);
  return r.rows.map((x) => ({ ...x, held: Number(x.held), present: Number(x.present) }));
}

export type DutyTally = { ruleId: string; typeNameZh: string; typeNameEn: string; period: 'month' | 'quarter' | 'year'; met: number; missed: number };

/**
 * Duty rules' unit-periods met and missed, for the units in every scope (and the chosen
 * units): the duties area's calendar (duties.repo dutyCells) computed over activity_month_counts.
 * Same semantics: active units, active rules of the unit's type, valid held/recorded
 * activities of the rule's type counted per unit × Shanghai month and summed over the
 * period's months; periods (months, quarters, years of `years`) ending after `endsAfter` and
 * at or before `endsUntil`. A period is met when its count reaches the rule's minimum.
 */
export async function dutiesFromCounts(db: Executor, q: DutiesQuery): Promise<DutyTally[]> {
  if (!q.years.length) return [];
  const r = await db.execute<DutyTally & { sortOrder: number; code: string }>(dutiesFromCountsSql(q));
  return r.rows.map((x) => ({ ruleId: x.ruleId, typeNameZh: x.typeNameZh, typeNameEn: x.typeNameEn, period: x.period, met: Number(x.met), missed: Number(x.missed) }));
}

export type DutiesQuery = { tenantId: string; scopes: Scope[]; unitPaths: string[]; years: number[]; endsAfter: Date; endsUntil: Date };

/** The statement of dutiesFromCounts (the bench explains it). */
export function dutiesFromCountsSql(q: DutiesQuery): SQL {
  const unitConds = [sql`ou.tenant_id = ${q.tenantId}`, sql`ou.active`, ...pathConds(sql`ou.path`, q.scopes, q.unitPaths)];
  const first = Math.min(...q.years);
  const last = Math.max(...q.years);
  return sql`
    with u as (
      select ou.id, ou.type from org_units ou where ${sql.join(unitConds, sql` and `)}
    ), r as (
      select d.id, d.unit_type, d.type_id, d.period, d.min_count, t.name_zh, t.name_en, t.sort_order, t.code
        from duty_rules d join activity_types t on t.id = d.type_id
       where d.tenant_id = ${q.tenantId} and d.active and d.unit_type in (select distinct type from u)
    ), pp as (
      select p.period, make_date(y, p.m_from, 1) as m_start, (make_date(y, p.m_to, 1) + interval '1 month')::date as m_end
        from generate_series(${first}::int, ${last}::int) y
        cross join (
          select 'month'::text as period, m as m_from, m as m_to from generate_series(1, 12) m
          union all select 'quarter', 3 * q - 2, 3 * q from generate_series(1, 4) q
          union all select 'year', 1, 12
        ) p
       where y = any(${sql.param(q.years)}::int[])
         and (make_date(y, p.m_to, 1) + interval '1 month')::timestamp at time zone 'Asia/Shanghai' > ${q.endsAfter.toISOString()}::timestamptz
         and (make_date(y, p.m_to, 1) + interval '1 month')::timestamp at time zone 'Asia/Shanghai' <= ${q.endsUntil.toISOString()}::timestamptz
    ), m as (
      -- only the types some rule counts (a province year has ~125,000 unit × type × month rows)
      select c.unit_id, u.type as unit_type, c.type_id, c.month, c.valid
        from activity_month_counts c join u on u.id = c.unit_id
       where c.tenant_id = ${q.tenantId} and c.valid > 0 and c.type_id in (select r.type_id from r)
         and c.month >= make_date(${first}::int, 1, 1) and c.month < make_date(${last + 1}::int, 1, 1)
    ), done as (
      -- each month's count goes to the rule's period holding it (an equality join, not a range)
      select m.unit_id, r.id as rule_id,
             case r.period when 'month' then m.month when 'quarter' then date_trunc('quarter', m.month)::date else date_trunc('year', m.month)::date end as m_start,
             sum(m.valid)::int as n
        from m join r on r.type_id = m.type_id and r.unit_type = m.unit_type
       group by 1, 2, 3
    ), c as (
      select u.id as unit_id, r.id as rule_id, pp.m_start, coalesce(d.n, 0) as done
        from u
        join r on r.unit_type = u.type
        join pp on pp.period = r.period
        left join done d on d.unit_id = u.id and d.rule_id = r.id and d.m_start = pp.m_start
    )
    select r.id as "ruleId", r.name_zh as "typeNameZh", r.name_en as "typeNameEn", r.period,
           (count(*) filter (where c.done >= r.min_count))::int as met, (count(*) filter (where c.done < r.min_count))::int as missed,
           r.sort_order as "sortOrder", r.code
      from c join r on r.id = c.rule_id
     group by r.id, r.name_zh, r.name_en, r.period, r.sort_order, r.code
     order by r.sort_order, r.code, r.period`;
}

/** Rectification measures set in the period by status, in one statement (the metric rectification.measures per status). */
export async function measuresByStatus(db: Executor, q: MetricQuery): Promise<Map<string, number>> {
  const r = await db.execute<{ status: string; n: number }>(sql`select s.status, count(*)::int as n from (${measuresSource(q)}) x join rectification_measures s on s.id = x.id group by s.status`);
  return new Map(r.rows.map((x) => [x.status, Number(x.n)]));
}

/**
 * The dashboard's two record-based activity figures for the period and the one before, in one
 * statement over the field visits: distinct places (metric activities.places type=field_visit:
 * extra.placeName, else placeVisited, else place, else topic) and distinct registry enterprises
 * visited (metric enterprises.visited: linked to the visit, or named as its place). Set-based
 * joins instead of the metrics' per-visit lookups (which also build their evidence lists);
 * a test holds both to the metrics' values.
 */
export async function visitedBothPeriods(db: Executor, q: MetricQuery, previousFrom: string): Promise<{ current: { places: number; enterprises: number }; previous: { places: number; enterprises: number } }> {
  const conds: SQL[] = [
    sql`a.tenant_id = ${q.tenantId}`,
    sql`a.starts_at >= ${day(previousFrom)}`,
    sql`a.starts_at < ${nextDay(q.to)}`,
    sql`a.status in ('held', 'recorded')`,
    sql`t.code = 'field_visit'`,
  ];
  const units = unitConds(q, sql`u.path`);
  conds.push(...units);
  const r = await db.execute<{ cur: boolean; places: number; enterprises: number }>(sql`
    with v as materialized (
      select a.id, a.tenant_id, a.starts_at >= ${day(q.from)} as cur, ${placeOf} as place
        from activities a join activity_types t on t.id = a.type_id ${units.length ? sql`join org_units u on u.id = a.unit_id` : sql``}
       where ${sql.join(conds, sql` and `)}
    ), e as (
      select v.cur, ae.enterprise_id as id from v join activity_enterprises ae on ae.activity_id = v.id join enterprises e on e.id = ae.enterprise_id and e.tenant_id = v.tenant_id
      union
      select v.cur, e.id from v join enterprises e on e.tenant_id = v.tenant_id and e.name collate "zh-x-icu" = v.place
    )
    select p.cur, p.places, coalesce((select count(distinct e.id) from e where e.cur = p.cur), 0)::int as enterprises
      from (select cur, count(distinct place)::int as places from v group by cur) p`);
  const of = (cur: boolean) => {
    const x = r.rows.find((row) => row.cur === cur);
    return { places: Number(x?.places ?? 0), enterprises: Number(x?.enterprises ?? 0) };
  };
  return { current: of(true), previous: of(false) };
}
