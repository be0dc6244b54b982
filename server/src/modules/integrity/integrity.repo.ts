import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/db';
import type { Scope } from '../../platform/access';
import { likeContains, likePrefix } from '../../platform/db/like';
import { integrityRisks, integrityRules, integrityRuleVersions } from './integrity.schema';

export type RiskRow = typeof integrityRisks.$inferSelect & { officeName: string; officePath: string; ownerName: string };

function scoped(tenantId: string, scope: Scope, col: SQL): SQL {
  if (scope.all) return sql`true`;
  if (!scope.paths.length) return sql`false`;
  return sql`${col} = any(array(select u.id from org_units u where u.tenant_id = ${tenantId} and u.path like any(${sql.param(scope.paths.map(likePrefix))}::text[])))`;
}

const selectRisk = sql`
  select r.id, r.tenant_id as "tenantId", r.office_id as "officeId", r.duty, r.risk, r.level, r.controls,
         r.owner_person_id as "ownerPersonId", r.review_due_on as "reviewDueOn", r.last_reviewed_on as "lastReviewedOn",
         r.reviews_done as "reviewsDone", r.version, r.created_at as "createdAt", r.updated_at as "updatedAt",
         o.name as "officeName", o.path as "officePath", p.name as "ownerName"
    from integrity_risks r join org_units o on o.id = r.office_id join people p on p.id = r.owner_person_id`;

export async function listRisks(db: Executor, f: { tenantId: string; scope: Scope; level?: string | undefined; overdueOn?: string | undefined; notOverdueOn?: string | undefined }, page: number, pageSize: number) {
  const conds: SQL[] = [sql`r.tenant_id = ${f.tenantId}`, scoped(f.tenantId, f.scope, sql`r.office_id`)];
  if (f.level) conds.push(sql`r.level = ${f.level}`);
  if (f.overdueOn) conds.push(sql`r.review_due_on < ${f.overdueOn}`);
  if (f.notOverdueOn) conds.push(sql`r.review_due_on >= ${f.notOverdueOn}`);
  const where = sql.join(conds, sql` and `);
  const r = await db.execute<RiskRow & { total: number }>(
    sql`select x.*, count(*) over ()::int as total from (${selectRisk} where ${where}) x order by x."reviewDueOn", x.id limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  return { rows: r.rows, total: r.rows[0]?.total ?? 0 };
}

export async function findRisk(db: Executor, tenantId: string, id: string): Promise<RiskRow | undefined> {
  const r = await db.execute<RiskRow>(sql`${selectRisk} where r.tenant_id = ${tenantId} and r.id = ${id}`);
  return r.rows[0];
}

export async function insertRisk(db: Executor, row: typeof integrityRisks.$inferInsert): Promise<string> {
  const [r] = await db.insert(integrityRisks).values(row).returning({ id: integrityRisks.id });
  if (!r) throw new Error('risk');
  return r.id;
}

export async function recordReview(db: Executor, tenantId: string, id: string, version: number, reviewedOn: string, nextDueOn: string): Promise<boolean> {
  const r = await db
    .update(integrityRisks)
    .set({ lastReviewedOn: reviewedOn, reviewDueOn: nextDueOn, reviewsDone: sql`${integrityRisks.reviewsDone} + 1`, version: sql`${integrityRisks.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(integrityRisks.tenantId, tenantId), eq(integrityRisks.id, id), eq(integrityRisks.version, version)))
    .returning({ id: integrityRisks.id });
  return r.length === 1;
}

// ---- rules ----

export type RuleRow = typeof integrityRules.$inferSelect & { officePath: string };

export async function findRule(db: Executor, tenantId: string, id: string): Promise<RuleRow | undefined> {
  const r = await db.execute<RuleRow>(sql`
    select r.id, r.tenant_id as "tenantId", r.office_id as "officeId", r.title, r.current_version as "currentVersion", r.version,
           r.created_at as "createdAt", o.path as "officePath"
      from integrity_rules r join org_units o on o.id = r.office_id where r.tenant_id = ${tenantId} and r.id = ${id}`);
  return r.rows[0];
}

export async function listRules(db: Executor, tenantId: string, scope: Scope) {
  const r = await db.execute<{ id: string }>(sql`select r.id from integrity_rules r where r.tenant_id = ${tenantId} and ${scoped(tenantId, scope, sql`r.office_id`)} order by r.title`);
  return r.rows.map((x) => x.id);
}

export async function ruleVersions(db: Executor, ruleId: string) {
  return db
    .select({ versionNo: integrityRuleVersions.versionNo, revisedOn: integrityRuleVersions.revisedOn, summary: integrityRuleVersions.summary })
    .from(integrityRuleVersions)
    .where(eq(integrityRuleVersions.ruleId, ruleId))
    .orderBy(asc(integrityRuleVersions.versionNo));
}

export async function insertRule(db: Executor, row: typeof integrityRules.$inferInsert): Promise<string> {
  const [r] = await db.insert(integrityRules).values(row).returning({ id: integrityRules.id });
  if (!r) throw new Error('rule');
  return r.id;
}

export async function insertRuleVersion(db: Executor, row: typeof integrityRuleVersions.$inferInsert): Promise<void> {
  await db.insert(integrityRuleVersions).values(row);
}

export async function bumpRule(db: Executor, tenantId: string, id: string, version: number, currentVersion: number): Promise<boolean> {
  const r = await db
    .update(integrityRules)
    .set({ currentVersion, version: sql`${integrityRules.version} + 1` })
    .where(and(eq(integrityRules.tenantId, tenantId), eq(integrityRules.id, id), eq(integrityRules.version, version)))
    .returning({ id: integrityRules.id });
  return r.length === 1;
}

/** Rules revised (version ≥ 2) within a period: the report's "制度修订" count. */
export async function countRevisedRules(db: Executor, tenantId: string, scope: Scope, from: string, to: string): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`
    select count(distinct v.rule_id)::int as n from integrity_rule_versions v join integrity_rules r on r.id = v.rule_id
     where v.tenant_id = ${tenantId} and v.version_no >= 2 and v.revised_on between ${from} and ${to} and ${scoped(tenantId, scope, sql`r.office_id`)}`);
  return r.rows[0]?.n ?? 0;
}

export async function updateRiskVersioned(db: Executor, tenantId: string, id: string, version: number, set: Partial<typeof integrityRisks.$inferInsert>): Promise<boolean> {
  const r = await db
    .update(integrityRisks)
    .set({ ...set, version: sql`${integrityRisks.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(integrityRisks.tenantId, tenantId), eq(integrityRisks.id, id), eq(integrityRisks.version, version)))
    .returning({ id: integrityRisks.id });
  return r.length === 1;
}

/** Active people of the scope by a name fragment (or these ids): the owner and lead pickers. */
export async function personOptions(db: Executor, tenantId: string, scope: Scope, q: string | undefined, ids: string[]) {
  // a person is in scope through their office or their branch (a Party committee sees its branches' members)
  const conds: SQL[] = [sql`p.tenant_id = ${tenantId}`, sql`p.active`, sql`(${scoped(tenantId, scope, sql`p.office_id`)} or ${scoped(tenantId, scope, sql`p.branch_id`)})`];
  if (ids.length) conds.push(sql`p.id = any(${sql.param(ids)}::uuid[])`);
  else if (q) conds.push(sql`p.name like ${likeContains(q)}`);
  const r = await db.execute<{ id: string; name: string; officeName: string | null }>(sql`
    select p.id, p.name, o.name as "officeName" from people p left join org_units o on o.id = p.office_id
     where ${sql.join(conds, sql` and `)} order by p.name collate "zh-x-icu", p.id limit 20`);
  return r.rows;
}
