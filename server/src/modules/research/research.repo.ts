import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/db';
import type { Scope } from '../../platform/access';
import { likeContains, likePrefix } from '../../platform/db/like';
import { researchRecommendations, researchSuggestions, researchTopicActivities, researchTopicMembers, researchTopics } from './research.schema';

export type TopicInsert = typeof researchTopics.$inferInsert;
export type TopicRow = typeof researchTopics.$inferSelect & {
  officeName: string;
  officePath: string;
  leadName: string;
  activities: number;
  symposiums: number;
  suggestions: number;
  recommendations: number;
};

function scoped(tenantId: string, scope: Scope, col: SQL): SQL {
  if (scope.all) return sql`true`;
  if (!scope.paths.length) return sql`false`;
  return sql`${col} = any(array(select u.id from org_units u where u.tenant_id = ${tenantId} and u.path like any(${sql.param(scope.paths.map(likePrefix))}::text[])))`;
}

// a symposium is an activity of the catalogue's 'meeting' category (座谈会/研讨会)
const isSymposium = sql`t.category = 'meeting'`;

const selectTopic = sql`
  select r.id, r.tenant_id as "tenantId", r.office_id as "officeId", r.title, r.lead_person_id as "leadPersonId", r.plan,
         r.starts_on as "startsOn", r.ends_on as "endsOn", r.report_sha256 as "reportSha256", r.report_filename as "reportFilename",
         r.report_content_type as "reportContentType", r.report_size::float8 as "reportSize", r.report_uploaded_at as "reportUploadedAt",
         r.report_uploaded_by as "reportUploadedBy", r.version, r.created_at as "createdAt", r.updated_at as "updatedAt",
         o.name as "officeName", o.path as "officePath", p.name as "leadName",
         (select count(*)::int from research_topic_activities l where l.topic_id = r.id) as activities,
         (select count(*)::int from research_topic_activities l join activities a on a.id = l.activity_id join activity_types t on t.id = a.type_id
           where l.topic_id = r.id and ${isSymposium}) as symposiums,
         (select count(*)::int from research_suggestions s where s.topic_id = r.id) as suggestions,
         (select count(*)::int from research_recommendations c where c.topic_id = r.id) as recommendations
    from research_topics r join org_units o on o.id = r.office_id join people p on p.id = r.lead_person_id`;

export type TopicsFilter = { tenantId: string; scope: Scope; q?: string | undefined; from?: string | undefined; to?: string | undefined };

export async function listTopics(db: Executor, f: TopicsFilter, page: number, pageSize: number) {
  const conds: SQL[] = [sql`r.tenant_id = ${f.tenantId}`, scoped(f.tenantId, f.scope, sql`r.office_id`)];
  if (f.q) conds.push(sql`r.title like ${likeContains(f.q)}`);
  if (f.from) conds.push(sql`r.ends_on >= ${f.from}`);
  if (f.to) conds.push(sql`r.starts_on <= ${f.to}`);
  const r = await db.execute<TopicRow & { total: number }>(
    sql`select x.*, count(*) over ()::int as total from (${selectTopic} where ${sql.join(conds, sql` and `)}) x
        order by x."startsOn" desc, x.id limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  return { rows: r.rows, total: r.rows[0]?.total ?? 0 };
}

export async function findTopic(db: Executor, tenantId: string, id: string): Promise<TopicRow | undefined> {
  const r = await db.execute<TopicRow>(sql`${selectTopic} where r.tenant_id = ${tenantId} and r.id = ${id}`);
  return r.rows[0];
}

export async function insertTopic(db: Executor, row: TopicInsert): Promise<string> {
  const [r] = await db.insert(researchTopics).values(row).returning({ id: researchTopics.id });
  if (!r) throw new Error('topic');
  return r.id;
}

export async function updateTopicVersioned(db: Executor, tenantId: string, id: string, version: number, set: Partial<TopicInsert>): Promise<boolean> {
  const r = await db
    .update(researchTopics)
    .set({ ...set, version: sql`${researchTopics.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(researchTopics.tenantId, tenantId), eq(researchTopics.id, id), eq(researchTopics.version, version)))
    .returning({ id: researchTopics.id });
  return r.length === 1;
}

export async function replaceMembers(db: Executor, tenantId: string, topicId: string, personIds: string[]): Promise<void> {
  await db.delete(researchTopicMembers).where(and(eq(researchTopicMembers.tenantId, tenantId), eq(researchTopicMembers.topicId, topicId)));
  if (personIds.length) await db.insert(researchTopicMembers).values(personIds.map((personId) => ({ tenantId, topicId, personId })));
}

export async function membersOf(db: Executor, topicId: string) {
  const r = await db.execute<{ personId: string; name: string }>(
    sql`select m.person_id as "personId", p.name from research_topic_members m join people p on p.id = m.person_id where m.topic_id = ${topicId} order by p.name, p.id`,
  );
  return r.rows;
}

/** The tenant's people among these ids (row-level security hides the others'). */
export async function existingPeople(db: Executor, tenantId: string, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const r = await db.execute<{ id: string }>(sql`select id from people where tenant_id = ${tenantId} and active and id = any(${sql.param(ids)}::uuid[])`);
  return new Set(r.rows.map((x) => x.id));
}

// ---- activities of a topic ----

export type LinkableActivity = { id: string; category: string; unitPath: string };

export async function findActivityForLink(db: Executor, tenantId: string, id: string): Promise<LinkableActivity | undefined> {
  const r = await db.execute<LinkableActivity>(sql`
    select a.id, t.category, u.path as "unitPath" from activities a join activity_types t on t.id = a.type_id join org_units u on u.id = a.unit_id
     where a.tenant_id = ${tenantId} and a.id = ${id}`);
  return r.rows[0];
}

/** Links an activity; false when it already was. */
export async function linkActivity(db: Executor, tenantId: string, topicId: string, activityId: string): Promise<boolean> {
  const r = await db.insert(researchTopicActivities).values({ tenantId, topicId, activityId }).onConflictDoNothing().returning({ id: researchTopicActivities.activityId });
  return r.length === 1;
}

export async function unlinkActivity(db: Executor, tenantId: string, topicId: string, activityId: string): Promise<boolean> {
  const r = await db
    .delete(researchTopicActivities)
    .where(and(eq(researchTopicActivities.tenantId, tenantId), eq(researchTopicActivities.topicId, topicId), eq(researchTopicActivities.activityId, activityId)))
    .returning({ id: researchTopicActivities.activityId });
  return r.length === 1;
}

export async function isLinked(db: Executor, topicId: string, activityId: string): Promise<boolean> {
  const r = await db.execute(sql`select 1 from research_topic_activities where topic_id = ${topicId} and activity_id = ${activityId}`);
  return r.rows.length === 1;
}

export async function activitiesOf(db: Executor, topicId: string) {
  const r = await db.execute<{
    id: string;
    topic: string;
    typeCode: string;
    typeNameZh: string;
    typeNameEn: string;
    startsAt: Date | string;
    status: string;
    place: string | null;
    placeKind: string | null;
    placeName: string | null;
  }>(sql`
    select a.id, a.topic, t.code as "typeCode", t.name_zh as "typeNameZh", t.name_en as "typeNameEn", a.starts_at as "startsAt", a.status, a.place,
           nullif(a.extra->>'placeKind', '') as "placeKind", nullif(a.extra->>'placeName', '') as "placeName"
      from research_topic_activities l join activities a on a.id = l.activity_id join activity_types t on t.id = a.type_id
     where l.topic_id = ${topicId} order by a.starts_at, a.id`);
  return r.rows;
}

// the place a visit went to: the field visit's named place, else the activity's place
const placeName = sql`coalesce(nullif(a.extra->>'placeName', ''), nullif(a.place, ''))`;
const held = sql`a.status in ('held','recorded')`;

/** Distinct places (by kind) of the topic's held activities. */
export async function placesOf(db: Executor, topicId: string) {
  const r = await db.execute<{ kind: string; name: string }>(sql`
    select distinct a.extra->>'placeKind' as kind, ${placeName} as name
      from research_topic_activities l join activities a on a.id = l.activity_id
     where l.topic_id = ${topicId} and ${held} and a.extra->>'placeKind' in ('district','town','enterprise','village') and ${placeName} is not null
     order by 1, 2`);
  return r.rows;
}

// ---- suggestions and recommendations ----

export async function insertSuggestion(db: Executor, row: typeof researchSuggestions.$inferInsert): Promise<string> {
  const [r] = await db.insert(researchSuggestions).values(row).returning({ id: researchSuggestions.id });
  if (!r) throw new Error('suggestion');
  return r.id;
}

export async function suggestionsOf(db: Executor, topicId: string) {
  return db
    .select({ id: researchSuggestions.id, content: researchSuggestions.content, source: researchSuggestions.source, activityId: researchSuggestions.activityId, receivedOn: researchSuggestions.receivedOn })
    .from(researchSuggestions)
    .where(eq(researchSuggestions.topicId, topicId))
    .orderBy(researchSuggestions.receivedOn, researchSuggestions.createdAt);
}

export async function findSuggestion(db: Executor, tenantId: string, id: string) {
  const [r] = await db
    .select()
    .from(researchSuggestions)
    .where(and(eq(researchSuggestions.tenantId, tenantId), eq(researchSuggestions.id, id)));
  return r;
}

export async function deleteSuggestion(db: Executor, tenantId: string, id: string): Promise<boolean> {
  const r = await db
    .delete(researchSuggestions)
    .where(and(eq(researchSuggestions.tenantId, tenantId), eq(researchSuggestions.id, id)))
    .returning({ id: researchSuggestions.id });
  return r.length === 1;
}

export async function insertRecommendation(db: Executor, row: typeof researchRecommendations.$inferInsert): Promise<string> {
  const [r] = await db.insert(researchRecommendations).values(row).returning({ id: researchRecommendations.id });
  if (!r) throw new Error('recommendation');
  return r.id;
}

export async function recommendationsOf(db: Executor, topicId: string) {
  const r = await db.execute<{
    id: string;
    content: string;
    problemId: string | null;
    problemNumber: number | null;
    measureId: string | null;
    measureTitle: string | null;
    measureProblemId: string | null;
    measureProblemNumber: number | null;
  }>(sql`
    select c.id, c.content, c.problem_id as "problemId", p.number as "problemNumber",
           c.measure_id as "measureId", m.title as "measureTitle", m.problem_id as "measureProblemId", mp.number as "measureProblemNumber"
      from research_recommendations c
      left join problems p on p.id = c.problem_id
      left join rectification_measures m on m.id = c.measure_id
      left join problems mp on mp.id = m.problem_id
     where c.topic_id = ${topicId} order by c.created_at, c.id`);
  return r.rows;
}

export async function findRecommendation(db: Executor, tenantId: string, id: string) {
  const [r] = await db
    .select()
    .from(researchRecommendations)
    .where(and(eq(researchRecommendations.tenantId, tenantId), eq(researchRecommendations.id, id)));
  return r;
}

/** Marks the recommendation as having become this problem; false if it already became a problem or a measure. */
export async function setRecommendationProblem(db: Executor, tenantId: string, id: string, problemId: string): Promise<boolean> {
  const r = await db
    .update(researchRecommendations)
    .set({ problemId })
    .where(and(eq(researchRecommendations.tenantId, tenantId), eq(researchRecommendations.id, id), isNull(researchRecommendations.problemId), isNull(researchRecommendations.measureId)))
    .returning({ id: researchRecommendations.id });
  return r.length === 1;
}

/** Marks the recommendation as having become this measure; false if it already became a problem or a measure. */
export async function setRecommendationMeasure(db: Executor, tenantId: string, id: string, measureId: string): Promise<boolean> {
  const r = await db
    .update(researchRecommendations)
    .set({ measureId })
    .where(and(eq(researchRecommendations.tenantId, tenantId), eq(researchRecommendations.id, id), isNull(researchRecommendations.problemId), isNull(researchRecommendations.measureId)))
    .returning({ id: researchRecommendations.id });
  return r.length === 1;
}

/** Deletes a recommendation not converted (to a problem or a measure); false if it is (or is gone). */
export async function deleteFreeRecommendation(db: Executor, tenantId: string, id: string): Promise<boolean> {
  const r = await db
    .delete(researchRecommendations)
    .where(and(eq(researchRecommendations.tenantId, tenantId), eq(researchRecommendations.id, id), isNull(researchRecommendations.problemId), isNull(researchRecommendations.measureId)))
    .returning({ id: researchRecommendations.id });
  return r.length === 1;
}

// ---- figures of a period (for the reports area's metrics) ----

export type PeriodFilter = { tenantId: string; scope: Scope; from: string; to: string };

const day = (d: string) => sql`(${d}::date::timestamp at time zone 'Asia/Shanghai')`;
const nextDay = (d: string) => sql`((${d}::date + 1)::timestamp at time zone 'Asia/Shanghai')`;

/** Topics whose period overlaps [from, to]. */
export async function countTopics(db: Executor, f: PeriodFilter): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from research_topics r
     where r.tenant_id = ${f.tenantId} and r.ends_on >= ${f.from} and r.starts_on <= ${f.to} and ${scoped(f.tenantId, f.scope, sql`r.office_id`)}`);
  return r.rows[0]?.n ?? 0;
}

/** Held activities of topics (each counted once even when linked to two topics) in [from, to]. */
function linkedHeld(f: PeriodFilter, extra: SQL): SQL {
  return sql`
    select distinct a.id, a.extra, a.place, t.category from activities a join activity_types t on t.id = a.type_id
     where a.tenant_id = ${f.tenantId} and ${held} and a.starts_at >= ${day(f.from)} and a.starts_at < ${nextDay(f.to)} and ${extra}
       and exists (select 1 from research_topic_activities l join research_topics r on r.id = l.topic_id
                    where l.activity_id = a.id and ${scoped(f.tenantId, f.scope, sql`r.office_id`)})`;
}

/** Distinct places of a kind (district, town…) visited by research activities in [from, to], by name. */
export async function countDistinctPlacesVisited(db: Executor, f: PeriodFilter, kind: 'district' | 'town' | 'enterprise' | 'village'): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`
    select count(distinct ${placeName})::int as n from (${linkedHeld(f, sql`a.extra->>'placeKind' = ${kind}`)}) a`);
  return r.rows[0]?.n ?? 0;
}

/** Symposiums (座谈会) held for research topics in [from, to]. */
export async function countSymposiums(db: Executor, f: PeriodFilter): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from (${linkedHeld(f, isSymposium)}) a`);
  return r.rows[0]?.n ?? 0;
}

/** Suggestions (意见建议) received for research topics in [from, to]. */
export async function countSuggestions(db: Executor, f: PeriodFilter): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from research_suggestions s join research_topics r on r.id = s.topic_id
     where s.tenant_id = ${f.tenantId} and s.received_on between ${f.from} and ${f.to} and ${scoped(f.tenantId, f.scope, sql`r.office_id`)}`);
  return r.rows[0]?.n ?? 0;
}

// ---- demo ----

/** The demo's material: the department's leaders (first first) and its held field visits. */
export async function demoMaterial(db: Executor, tenantId: string) {
  const leaders = await db.execute<{ id: string }>(sql`select id from people where tenant_id = ${tenantId} and is_leader and active order by created_at, id limit 3`);
  const visits = await db.execute<{ id: string }>(sql`
    select a.id from activities a join activity_types t on t.id = a.type_id
     where a.tenant_id = ${tenantId} and t.category in ('visit','meeting') and a.status in ('held','recorded') order by a.starts_at, a.id limit 6`);
  return { leaderIds: leaders.rows.map((r) => r.id), activityIds: visits.rows.map((r) => r.id) };
}
