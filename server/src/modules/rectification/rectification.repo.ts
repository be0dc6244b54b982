import { and, asc, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/db';
import { likeContains } from '../../platform/db/like';
import { orgUnits } from '../org/org.schema';
import { programs } from '../programs/programs.schema';
import { measureEvidence, measureProgress, problemCategories, problemClaims, problems, rectificationMeasures } from './rectification.schema';

export type CategoryRow = typeof problemCategories.$inferSelect;
export type ProblemRow = typeof problems.$inferSelect;
export type MeasureRow = typeof rectificationMeasures.$inferSelect;

// ---- categories ----

export async function listCategories(db: Executor, tenantId: string): Promise<CategoryRow[]> {
  return db.select().from(problemCategories).where(eq(problemCategories.tenantId, tenantId)).orderBy(asc(problemCategories.sortOrder), asc(problemCategories.code));
}

export async function findCategory(db: Executor, tenantId: string, id: string): Promise<CategoryRow | undefined> {
  const [r] = await db
    .select()
    .from(problemCategories)
    .where(and(eq(problemCategories.tenantId, tenantId), eq(problemCategories.id, id)));
  return r;
}

/** Inserts the categories whose code is missing; never touches what a tenant changed. */
export async function insertMissingCategories(db: Executor, rows: (typeof problemCategories.$inferInsert)[]) {
  if (rows.length === 0) return;
  await db.insert(problemCategories).values(rows).onConflictDoNothing({ target: [problemCategories.tenantId, problemCategories.code] });
}

export async function insertCategory(db: Executor, v: typeof problemCategories.$inferInsert): Promise<CategoryRow> {
  const [r] = await db.insert(problemCategories).values(v).returning();
  if (!r) throw new Error('category insert');
  return r;
}

export async function updateCategory(db: Executor, tenantId: string, id: string, set: Partial<typeof problemCategories.$inferInsert>) {
  const [r] = await db
    .update(problemCategories)
    .set(set)
    .where(and(eq(problemCategories.tenantId, tenantId), eq(problemCategories.id, id)))
    .returning();
  return r;
}

// ---- problems ----

export type ProblemFilter = {
  tenantId: string;
  today: string;
  soonUntil: string;
  status?: string | undefined;
  categoryId?: string | undefined;
  claimantId?: string | undefined;
  programId?: string | undefined;
  source?: string | undefined;
  due?: 'overdue' | 'soon' | undefined;
  q?: string | undefined;
};

/** An open measure past its deadline (long-term measures have no end, so are never overdue). */
const openMeasure = sql`m.verified_at is null and m.status <> 'long_term'`;

function problemWhere(f: ProblemFilter): SQL {
  const parts: SQL[] = [sql`p.tenant_id = ${f.tenantId}`];
  if (f.status) parts.push(sql`p.status = ${f.status}`);
  if (f.categoryId) parts.push(sql`p.category_id = ${f.categoryId}`);
  if (f.programId) parts.push(sql`p.program_id = ${f.programId}`);
  if (f.source) parts.push(sql`p.source = ${f.source}`);
  if (f.claimantId) parts.push(sql`exists (select 1 from problem_claims c where c.problem_id = p.id and c.user_id = ${f.claimantId})`);
  if (f.q) parts.push(sql`(p.title like ${likeContains(f.q)} or p.description like ${likeContains(f.q)})`);
  if (f.due === 'overdue') parts.push(sql`exists (select 1 from rectification_measures m where m.problem_id = p.id and ${openMeasure} and m.deadline < ${f.today})`);
  if (f.due === 'soon') {
    parts.push(sql`exists (select 1 from rectification_measures m where m.problem_id = p.id and ${openMeasure} and m.deadline between ${f.today} and ${f.soonUntil})`);
  }
  return sql.join(parts, sql` and `);
}

export type ProblemListRow = {
  id: string;
  number: number;
  title: string;
  description: string;
  source: string;
  sourceResponseId: string | null;
  categoryId: string;
  categoryName: string;
  programId: string | null;
  programTitle: string | null;
  programOwnerUserId: string | null;
  /** the program's owner unit: what write scopes are checked against */
  unitPath: string | null;
  foundOn: string;
  status: string;
  rectifiedAt: Date | null;
  measures: number;
  measuresClosed: number;
  overdue: number;
  soon: number;
  claimants: { id: string; name: string }[];
  version: number;
};

function problemSelect(f: { today: string; soonUntil: string }) {
  return sql`select p.id, p.number, p.title, p.description, p.source, p.source_response_id as "sourceResponseId", p.category_id as "categoryId",
      c.name_zh as "categoryName", p.program_id as "programId", pr.title as "programTitle", pr.owner_user_id as "programOwnerUserId",
      (select ou.path from org_units ou where ou.id = pr.owner_unit_id) as "unitPath",
      p.found_on::text as "foundOn", p.status, p.rectified_at as "rectifiedAt", p.version,
      (select count(*)::int from rectification_measures m where m.problem_id = p.id) as measures,
      (select count(*)::int from rectification_measures m where m.problem_id = p.id and m.verified_at is not null) as "measuresClosed",
      (select count(*)::int from rectification_measures m where m.problem_id = p.id and ${openMeasure} and m.deadline < ${f.today}) as overdue,
      (select count(*)::int from rectification_measures m where m.problem_id = p.id and ${openMeasure} and m.deadline between ${f.today} and ${f.soonUntil}) as soon,
      coalesce((select json_agg(json_build_object('id', u.id, 'name', u.display_name) order by cl.created_at)
        from problem_claims cl join users u on u.id = cl.user_id where cl.problem_id = p.id), '[]'::json) as claimants
    from problems p join problem_categories c on c.id = p.category_id left join programs pr on pr.id = p.program_id`;
}

export async function listProblems(db: Executor, f: ProblemFilter, page: number, pageSize: number) {
  const where = problemWhere(f);
  const rows = await db.execute<ProblemListRow>(sql`${problemSelect(f)} where ${where} order by p.number desc limit ${pageSize} offset ${(page - 1) * pageSize}`);
  const c = await db.execute<{ n: number }>(sql`select count(*)::int as n from problems p where ${where}`);
  return { rows: rows.rows, total: c.rows[0]?.n ?? 0 };
}

/** Every problem of the filter, oldest first: the ledger. */
export async function allProblems(db: Executor, f: ProblemFilter) {
  const rows = await db.execute<ProblemListRow>(sql`${problemSelect(f)} where ${problemWhere(f)} order by p.number`);
  return rows.rows;
}

export async function findProblem(db: Executor, f: { tenantId: string; today: string; soonUntil: string }, id: string): Promise<ProblemListRow | undefined> {
  const r = await db.execute<ProblemListRow>(sql`${problemSelect(f)} where p.tenant_id = ${f.tenantId} and p.id = ${id}`);
  return r.rows[0];
}

/**
 * The problem, locked, with the path of its program's owner unit: the unit that write scopes
 * are checked against (null without a program).
 */
export async function lockProblem(db: Executor, tenantId: string, id: string): Promise<(ProblemRow & { unitPath: string | null }) | undefined> {
  const [r] = await db
    .select({ ...getTableColumns(problems), unitPath: orgUnits.path })
    .from(problems)
    .leftJoin(programs, eq(programs.id, problems.programId))
    .leftJoin(orgUnits, eq(orgUnits.id, programs.ownerUnitId))
    .where(and(eq(problems.tenantId, tenantId), eq(problems.id, id)))
    .for('update', { of: problems });
  return r;
}

/** The owner-unit path of a program (null when there is no such program). */
export async function programUnitPath(db: Executor, tenantId: string, programId: string): Promise<string | null> {
  const [r] = await db
    .select({ path: orgUnits.path })
    .from(programs)
    .innerJoin(orgUnits, eq(orgUnits.id, programs.ownerUnitId))
    .where(and(eq(programs.tenantId, tenantId), eq(programs.id, programId)));
  return r?.path ?? null;
}

/** Inserts with the next running number of the tenant (serialised by an advisory lock). */
export async function insertProblem(db: Executor, v: Omit<typeof problems.$inferInsert, 'number'>): Promise<string> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext('problems:' || ${v.tenantId}))`);
  const n = await db.execute<{ n: number }>(sql`select coalesce(max(number), 0)::int + 1 as n from problems where tenant_id = ${v.tenantId}`);
  const [r] = await db
    .insert(problems)
    .values({ ...v, number: n.rows[0]?.n ?? 1 })
    .returning({ id: problems.id });
  if (!r) throw new Error('problem insert');
  return r.id;
}

export async function updateProblem(db: Executor, tenantId: string, id: string, version: number, set: Partial<typeof problems.$inferInsert>) {
  const r = await db
    .update(problems)
    .set({ ...set, version: sql`${problems.version} + 1` })
    .where(and(eq(problems.tenantId, tenantId), eq(problems.id, id), eq(problems.version, version)))
    .returning({ id: problems.id });
  return r.length === 1;
}

export async function setProblemStatus(db: Executor, id: string, status: 'open' | 'rectified') {
  await db
    .update(problems)
    .set({ status, rectifiedAt: status === 'rectified' ? new Date() : null, version: sql`${problems.version} + 1` })
    .where(eq(problems.id, id));
}

export async function problemIdsOfResponses(db: Executor, responseIds: string[]) {
  if (responseIds.length === 0) return [];
  const r = await db.execute<{ id: string; responseId: string }>(
    sql`select id, source_response_id as "responseId" from problems where source_response_id = any(${sql.param(responseIds)}::uuid[])`,
  );
  return r.rows;
}

// ---- claims ----

export async function insertClaim(db: Executor, v: typeof problemClaims.$inferInsert) {
  await db.insert(problemClaims).values(v).onConflictDoNothing();
}

export async function deleteClaim(db: Executor, problemId: string, userId: string) {
  const r = await db
    .delete(problemClaims)
    .where(and(eq(problemClaims.problemId, problemId), eq(problemClaims.userId, userId)))
    .returning({ userId: problemClaims.userId });
  return r.length === 1;
}

// ---- users ----

export async function findActiveUser(db: Executor, tenantId: string, id: string) {
  const r = await db.execute<{ id: string; name: string }>(sql`select id, display_name as name from users where tenant_id = ${tenantId} and id = ${id} and active`);
  return r.rows[0];
}

/** People who can own or claim: active users of the tenant linked to a person, leaders first. */
export async function listAssignees(db: Executor, tenantId: string) {
  const r = await db.execute<{ id: string; name: string }>(sql`select u.id, u.display_name as name from users u left join people p on p.id = u.person_id
    where u.tenant_id = ${tenantId} and u.active order by coalesce(p.is_leader, false) desc, u.display_name collate "zh-x-icu"`);
  return r.rows;
}

// ---- measures ----

export type MeasureListRow = MeasureRow & { ownerName: string; verifierName: string | null };

export async function measuresOf(db: Executor, problemIds: string[]): Promise<MeasureListRow[]> {
  if (problemIds.length === 0) return [];
  const r = await db.execute<MeasureListRow>(sql`select m.id, m.tenant_id as "tenantId", m.problem_id as "problemId", m.title, m.owner_user_id as "ownerUserId",
      m.deadline::text as deadline, m.status, m.immediate, m.percent, m.verified_by as "verifiedBy", m.verified_at as "verifiedAt",
      m.returned_reason as "returnedReason", m.version, m.created_at as "createdAt", o.display_name as "ownerName", v.display_name as "verifierName"
    from rectification_measures m join users o on o.id = m.owner_user_id left join users v on v.id = m.verified_by
    where m.problem_id = any(${sql.param(problemIds)}::uuid[]) order by m.created_at`);
  return r.rows;
}

export async function lockMeasure(db: Executor, tenantId: string, id: string): Promise<MeasureRow | undefined> {
  const [r] = await db
    .select()
    .from(rectificationMeasures)
    .where(and(eq(rectificationMeasures.tenantId, tenantId), eq(rectificationMeasures.id, id)))
    .for('update');
  return r;
}

export async function insertMeasure(db: Executor, v: typeof rectificationMeasures.$inferInsert): Promise<string> {
  const [r] = await db.insert(rectificationMeasures).values(v).returning({ id: rectificationMeasures.id });
  if (!r) throw new Error('measure insert');
  return r.id;
}

export async function updateMeasure(db: Executor, id: string, version: number | null, set: Partial<typeof rectificationMeasures.$inferInsert>) {
  const r = await db
    .update(rectificationMeasures)
    .set({ ...set, version: sql`${rectificationMeasures.version} + 1` })
    .where(and(eq(rectificationMeasures.id, id), version === null ? undefined : eq(rectificationMeasures.version, version)))
    .returning({ id: rectificationMeasures.id });
  return r.length === 1;
}

export async function openMeasureCount(db: Executor, problemId: string) {
  const r = await db.execute<{ total: number; open: number }>(
    sql`select count(*)::int as total, count(*) filter (where verified_at is null)::int as open from rectification_measures where problem_id = ${problemId}`,
  );
  return r.rows[0] ?? { total: 0, open: 0 };
}

export async function insertProgress(db: Executor, v: typeof measureProgress.$inferInsert): Promise<string> {
  const [r] = await db.insert(measureProgress).values(v).returning({ id: measureProgress.id });
  if (!r) throw new Error('progress insert');
  return r.id;
}

export async function progressOf(db: Executor, measureIds: string[]) {
  if (measureIds.length === 0) return [];
  const r = await db.execute<{ id: string; measureId: string; percent: number; note: string; by: string | null; createdAt: Date }>(sql`
    select g.id, g.measure_id as "measureId", g.percent, g.note, u.display_name as by, g.created_at as "createdAt"
    from measure_progress g left join users u on u.id = g.created_by
    where g.measure_id = any(${sql.param(measureIds)}::uuid[]) order by g.created_at`);
  return r.rows;
}

export async function insertEvidence(db: Executor, v: typeof measureEvidence.$inferInsert) {
  const [r] = await db.insert(measureEvidence).values(v).returning();
  if (!r) throw new Error('evidence insert');
  return r;
}

export async function evidenceOf(db: Executor, measureIds: string[]) {
  if (measureIds.length === 0) return [];
  return db
    .select()
    .from(measureEvidence)
    .where(sql`${measureEvidence.measureId} = any(${sql.param(measureIds)}::uuid[])`)
    .orderBy(asc(measureEvidence.createdAt));
}

export async function findEvidence(db: Executor, tenantId: string, id: string) {
  const [r] = await db
    .select()
    .from(measureEvidence)
    .where(and(eq(measureEvidence.tenantId, tenantId), eq(measureEvidence.id, id)));
  return r;
}

/** Open measures past their deadline, with who should hear of it: the owner and the program owner. */
export async function overdueMeasures(db: Executor, tenantId: string, today: string) {
  const r = await db.execute<{ id: string; title: string; deadline: string; problemId: string; problemTitle: string; ownerUserId: string; programOwnerUserId: string | null }>(sql`
    select m.id, m.title, m.deadline::text as deadline, p.id as "problemId", p.title as "problemTitle", m.owner_user_id as "ownerUserId",
      pr.owner_user_id as "programOwnerUserId"
    from rectification_measures m join problems p on p.id = m.problem_id left join programs pr on pr.id = p.program_id
    where m.tenant_id = ${tenantId} and m.verified_at is null and m.status <> 'long_term' and m.deadline < ${today}`);
  return r.rows;
}
