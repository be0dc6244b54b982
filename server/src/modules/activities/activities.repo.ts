import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/db';
import type { Scope } from '../../platform/access';
import { likeContains, likePrefix } from '../../platform/db/like';
import type { TenantRunner } from '../../platform/db/tenant';
import { programItems, programs } from '../programs/programs.schema';
import { enterprises } from '../enterprises/enterprises.schema';
import { activities, activityAttachments, activityEnterprises, activityProgramItems, activitySessions, activityTypes } from './activities.schema';

export type ActivityTypeRow = typeof activityTypes.$inferSelect;
export type ActivityTypeInsert = typeof activityTypes.$inferInsert;
export type ActivityInsert = typeof activities.$inferInsert;
export type AttachmentRow = typeof activityAttachments.$inferSelect;

// ---- catalogue ----

export async function insertMissingTypes(db: Executor, rows: ActivityTypeInsert[]): Promise<void> {
  if (rows.length === 0) return;
  // by code: a type the tenant already has (renamed, retired, re-fielded) stays as it is
  await db.insert(activityTypes).values(rows).onConflictDoNothing({ target: [activityTypes.tenantId, activityTypes.code] });
}

export async function listTypes(db: Executor, tenantId: string, includeInactive: boolean): Promise<ActivityTypeRow[]> {
  const conds = [eq(activityTypes.tenantId, tenantId)];
  if (!includeInactive) conds.push(eq(activityTypes.active, true));
  return db
    .select()
    .from(activityTypes)
    .where(and(...conds))
    .orderBy(activityTypes.sortOrder, activityTypes.code);
}

export async function findType(db: Executor, tenantId: string, id: string): Promise<ActivityTypeRow | undefined> {
  const [r] = await db.select().from(activityTypes).where(and(eq(activityTypes.tenantId, tenantId), eq(activityTypes.id, id)));
  return r;
}

export async function insertType(db: Executor, row: ActivityTypeInsert): Promise<ActivityTypeRow> {
  const [r] = await db.insert(activityTypes).values(row).returning();
  if (!r) throw new Error('insert activity type');
  return r;
}

export async function updateTypeVersioned(db: Executor, tenantId: string, id: string, version: number, set: Partial<ActivityTypeInsert>): Promise<ActivityTypeRow | undefined> {
  const [r] = await db
    .update(activityTypes)
    .set({ ...set, version: sql`${activityTypes.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(activityTypes.tenantId, tenantId), eq(activityTypes.id, id), eq(activityTypes.version, version)))
    .returning();
  return r;
}

// ---- activities ----

/** An activity as services read it: with its type's rules and its unit's name and path. */
export type ActivityRow = {
  id: string;
  tenantId: string;
  typeId: string;
  unitId: string;
  topic: string;
  content: string | null;
  place: string | null;
  startsAt: Date;
  endsAt: Date;
  status: string;
  cancelReason: string | null;
  extra: Record<string, unknown>;
  minutesHtml: string | null;
  quorumEligible: number | null;
  quorumPresent: number | null;
  valid: boolean;
  signinSecret: string;
  requiredSessions: number | null;
  version: number;
  category: string;
  typeNameZh: string;
  typeNameEn: string;
  quorumRule: string;
  takesAttendance: boolean;
  typeFields: unknown;
  unitName: string;
  unitPath: string;
  expected: number;
  present: number;
};

const selectActivity = sql`
  select a.id, a.tenant_id as "tenantId", a.type_id as "typeId", a.unit_id as "unitId", a.topic, a.content, a.place,
         a.starts_at as "startsAt", a.ends_at as "endsAt", a.status, a.cancel_reason as "cancelReason", a.extra,
         a.minutes_html as "minutesHtml", a.quorum_eligible as "quorumEligible", a.quorum_present as "quorumPresent",
         a.valid, a.signin_secret as "signinSecret", a.required_sessions as "requiredSessions", a.version, t.category,
         t.name_zh as "typeNameZh", t.name_en as "typeNameEn", t.quorum_rule as "quorumRule",
         t.takes_attendance as "takesAttendance", t.fields as "typeFields",
         u.name as "unitName", u.path as "unitPath",
         (select count(*)::int from activity_participants ap where ap.activity_id = a.id) as expected,
         (select count(*)::int from activity_participants ap where ap.activity_id = a.id and ap.attendance = 'present') as present`;
const fromActivity = sql`
    from activities a
    join activity_types t on t.id = a.type_id
    join org_units u on u.id = a.unit_id`;

/** node-postgres returns timestamps of raw queries as Date already; jsonb as objects. */
export async function findActivity(db: Executor, tenantId: string, id: string, forUpdate = false): Promise<ActivityRow | undefined> {
  const r = await db.execute<ActivityRow>(sql`${selectActivity} ${fromActivity} where a.tenant_id = ${tenantId} and a.id = ${id} ${forUpdate ? sql`for update of a` : sql``}`);
  return r.rows[0] ? normalise(r.rows[0]) : undefined;
}

function normalise(r: ActivityRow): ActivityRow {
  return { ...r, startsAt: new Date(r.startsAt), endsAt: new Date(r.endsAt) };
}

export type ActivityFilter = {
  tenantId: string;
  scope: Scope;
  /** the viewer's person: they also see activities they take part in */
  viewerPersonId: string | null;
  unitPath?: string | undefined;
  typeId?: string | undefined;
  personId?: string | undefined;
  status?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
};

function whereOf(f: ActivityFilter): SQL {
  const conds: SQL[] = [sql`a.tenant_id = ${f.tenantId}`];
  if (!f.scope.all) {
    const inScope = f.scope.paths.length ? sql`u.path like any(${sql.param(f.scope.paths.map(likePrefix))}::text[])` : sql`false`;
    const mine = f.viewerPersonId
      ? sql`exists (select 1 from activity_participants me where me.activity_id = a.id and me.person_id = ${f.viewerPersonId})`
      : sql`false`;
    conds.push(sql`(${inScope} or ${mine})`);
  }
  if (f.unitPath) conds.push(sql`u.path like ${likePrefix(f.unitPath)}`);
  if (f.typeId) conds.push(sql`a.type_id = ${f.typeId}`);
  if (f.status) conds.push(sql`a.status = ${f.status}`);
  if (f.personId) conds.push(sql`exists (select 1 from activity_participants pp where pp.activity_id = a.id and pp.person_id = ${f.personId})`);
  // days are days in China, whatever the server's zone
  if (f.from) conds.push(sql`a.starts_at >= (${f.from}::date::timestamp at time zone 'Asia/Shanghai')`);
  if (f.to) conds.push(sql`a.starts_at < ((${f.to}::date + 1)::timestamp at time zone 'Asia/Shanghai')`);
  if (f.q) conds.push(sql`a.topic like ${likeContains(f.q)}`);
  return sql.join(conds, sql` and `);
}

export async function listActivities(db: Executor, f: ActivityFilter, page: number, pageSize: number) {
  const r = await db.execute<ActivityRow & { total: number }>(
    sql`${selectActivity}, count(*) over ()::int as total ${fromActivity} where ${whereOf(f)} order by a.starts_at desc, a.id limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  let total = r.rows[0]?.total ?? 0;
  if (r.rows.length === 0 && page > 1) {
    const c = await db.execute<{ n: number }>(sql`select count(*)::int as n from activities a join org_units u on u.id = a.unit_id where ${whereOf(f)}`);
    total = c.rows[0]?.n ?? 0;
  }
  return { rows: r.rows.map(normalise), total };
}

/** Every matching activity in list order, batch by batch (keyset on start time and id), for the ledger export. */
export async function* iterateActivities(run: TenantRunner, f: ActivityFilter, batch = 1000): AsyncGenerator<ActivityRow[]> {
  let after: { startsAt: Date; id: string } | undefined;
  for (;;) {
    const keyset = after ? sql`and (a.starts_at, a.id) < (${after.startsAt.toISOString()}::timestamptz, ${after.id}::uuid)` : sql``;
    const r = await run((ex) => ex.execute<ActivityRow>(sql`${selectActivity} ${fromActivity} where ${whereOf(f)} ${keyset} order by a.starts_at desc, a.id desc limit ${batch}`));
    const rows = r.rows.map(normalise);
    const last = rows[rows.length - 1];
    if (!last) return;
    yield rows;
    if (rows.length < batch) return;
    after = { startsAt: last.startsAt, id: last.id };
  }
}

export async function insertActivity(db: Executor, row: ActivityInsert): Promise<string> {
  const [r] = await db.insert(activities).values(row).returning({ id: activities.id });
  if (!r) throw new Error('insert activity');
  return r.id;
}

export async function updateActivityVersioned(db: Executor, tenantId: string, id: string, version: number, set: Partial<ActivityInsert>): Promise<boolean> {
  const r = await db
    .update(activities)
    .set({ ...set, version: sql`${activities.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(activities.tenantId, tenantId), eq(activities.id, id), eq(activities.version, version)))
    .returning({ id: activities.id });
  return r.length === 1;
}

// ---- participants ----

/** Active people whose office, branch or Party group is one of these units (members, not the subtree). */
export async function membersOfUnits(db: Executor, tenantId: string, unitIds: string[]): Promise<string[]> {
  if (unitIds.length === 0) return [];
  const ids = sql.param(unitIds);
  const r = await db.execute<{ id: string }>(sql`
    select p.id from people p
     where p.tenant_id = ${tenantId} and p.active
       and (p.office_id = any(${ids}::uuid[]) or p.branch_id = any(${ids}::uuid[]) or p.group_id = any(${ids}::uuid[]))`);
  return r.rows.map((x) => x.id);
}

/**
 * Adds people with a role, in one statement, with their Party status, committee membership
 * and branch as they are now. An existing participant keeps their attendance; a speaker or
 * host role given again replaces a plain participant's. Returns how many of the people exist.
 */
export async function upsertParticipants(db: Executor, tenantId: string, activityId: string, rows: { personId: string; role: string }[], userId: string): Promise<number> {
  if (rows.length === 0) return 0;
  const r = await db.execute<{ n: number }>(sql`
    with input as (select * from unnest(${sql.param(rows.map((x) => x.personId))}::uuid[], ${sql.param(rows.map((x) => x.role))}::text[]) as i(person_id, role)),
    ins as (
      insert into activity_participants (tenant_id, activity_id, person_id, role, party_status, committee_member, branch_id, updated_by)
      select ${tenantId}, ${activityId}, p.id, i.role, p.party_status, p.committee_role is not null, p.branch_id, ${userId}
        from input i join people p on p.id = i.person_id and p.tenant_id = ${tenantId}
      on conflict (activity_id, person_id) do update
        set role = case when excluded.role = 'participant' then activity_participants.role else excluded.role end
      returning 1)
    select count(*)::int as n from ins`);
  return r.rows[0]?.n ?? 0;
}

/**
 * Adds contacts of the registry (people outside the Party): party status 'none', no branch.
 * Only the tenant's active contacts are taken; returns how many were (the caller compares).
 */
export async function upsertContactParticipants(db: Executor, tenantId: string, activityId: string, rows: { contactId: string; role: string }[], userId: string | null): Promise<number> {
  if (rows.length === 0) return 0;
  const r = await db.execute<{ n: number }>(sql`
    with input as (select * from unnest(${sql.param(rows.map((x) => x.contactId))}::uuid[], ${sql.param(rows.map((x) => x.role))}::text[]) as i(contact_id, role)),
    ins as (
      insert into activity_participants (tenant_id, activity_id, contact_id, role, party_status, committee_member, branch_id, updated_by)
      select ${tenantId}, ${activityId}, c.id, i.role, 'none', false, null, ${userId}
        from input i join contacts c on c.id = i.contact_id and c.tenant_id = ${tenantId} and c.active
      on conflict (activity_id, contact_id) do update
        set role = case when excluded.role = 'participant' then activity_participants.role else excluded.role end
      returning 1)
    select count(*)::int as n from ins`);
  return r.rows[0]?.n ?? 0;
}

/** Removes a participant by their person id or, for a contact, the contact id (uuids never collide). */
export async function deleteParticipant(db: Executor, activityId: string, ref: string): Promise<boolean> {
  const r = await db.execute(sql`delete from activity_participants where activity_id = ${activityId} and (person_id = ${ref} or contact_id = ${ref})`);
  return (r.rowCount ?? 0) > 0;
}

export type ParticipantRow = {
  id: string;
  personId: string | null;
  contactId: string | null;
  categories: string[];
  name: string;
  unitName: string | null;
  role: string;
  attendance: string;
  signedInAt: Date | null;
  signInMethod: string | null;
  leaveReason: string | null;
  leaveStatus: string | null;
  partyStatus: string;
  committeeMember: boolean;
};

// a participant is a person (office, branch) or a contact (organisation, categories)
const selectParticipant = sql`
  select ap.id, ap.person_id as "personId", ap.contact_id as "contactId", coalesce(p.name, c.name) as name,
         coalesce(b.name, o.name, c.organisation) as "unitName", ap.role, ap.attendance,
         case when ap.contact_id is null then '{}'::text[]
              else array(select k.name from contact_category_links l join uf_categories k on k.id = l.category_id
                          where l.contact_id = ap.contact_id order by k.sort_order, k.name) end as categories,
         ap.signed_in_at as "signedInAt", ap.sign_in_method as "signInMethod", ap.leave_reason as "leaveReason",
         ap.leave_status as "leaveStatus", ap.party_status as "partyStatus", ap.committee_member as "committeeMember"
    from activity_participants ap
    left join people p on p.id = ap.person_id
    left join org_units o on o.id = p.office_id
    left join contacts c on c.id = ap.contact_id
    left join org_units b on b.id = ap.branch_id`;

export async function listParticipants(db: Executor, activityId: string): Promise<ParticipantRow[]> {
  const r = await db.execute<ParticipantRow>(
    sql`${selectParticipant} where ap.activity_id = ${activityId}
        order by case ap.role when 'host' then 0 when 'speaker' then 1 else 2 end, coalesce(p.name, c.name) collate "zh-x-icu", ap.id`,
  );
  return r.rows;
}

export async function findParticipant(db: Executor, activityId: string, personId: string, forUpdate = false): Promise<ParticipantRow | undefined> {
  const r = await db.execute<ParticipantRow>(
    sql`${selectParticipant} where ap.activity_id = ${activityId} and ap.person_id = ${personId} ${forUpdate ? sql`for update of ap` : sql``}`,
  );
  return r.rows[0];
}

/**
 * Sets attendance of many participants in one statement; each is named by its person id or,
 * for a contact, its contact id (ref). A leave set by the organiser counts as approved;
 * presence set by hand is a manual sign-in at this moment unless the participant had already
 * signed in. Returns the refs updated (those who are participants).
 */
export async function setAttendance(
  db: Executor,
  activityId: string,
  items: { ref: string; attendance: string; leaveReason: string | null }[],
  userId: string,
): Promise<string[]> {
  const r = await db.execute<{ ref: string }>(sql`
    update activity_participants ap
       set attendance = i.attendance,
           signed_in_at = case when i.attendance = 'present' then coalesce(ap.signed_in_at, now()) end,
           sign_in_method = case when i.attendance = 'present' then coalesce(ap.sign_in_method, 'manual') end,
           leave_status = case when i.attendance = 'leave' then 'approved'
                               when ap.leave_status = 'approved' then null else ap.leave_status end,
           leave_reason = case when i.attendance = 'leave' then coalesce(i.leave_reason, ap.leave_reason, '—')
                               when ap.leave_status = 'approved' then null else ap.leave_reason end,
           updated_by = ${userId},
           updated_at = now()
      from unnest(${sql.param(items.map((x) => x.ref))}::uuid[], ${sql.param(items.map((x) => x.attendance))}::text[],
                  ${sql.param(items.map((x) => x.leaveReason))}::text[]) as i(ref, attendance, leave_reason)
     where ap.activity_id = ${activityId} and coalesce(ap.person_id, ap.contact_id) = i.ref
     returning i.ref as "ref"`);
  return r.rows.map((x) => x.ref);
}

export async function setLeave(db: Executor, activityId: string, personId: string, leaveStatus: string, reason: string | null, attendance: string, userId: string): Promise<void> {
  await db.execute(sql`
    update activity_participants
       set leave_status = ${leaveStatus}, leave_reason = coalesce(${reason}, leave_reason), attendance = ${attendance},
           signed_in_at = null, sign_in_method = null, updated_by = ${userId}, updated_at = now()
     where activity_id = ${activityId} and person_id = ${personId}`);
}

/** Marks a QR sign-in unless the person is already present; false when they were. */
export async function signInByQr(db: Executor, activityId: string, personId: string, userId: string): Promise<boolean> {
  const r = await db.execute(sql`
    update activity_participants
       set attendance = 'present', signed_in_at = now(), sign_in_method = 'qr', updated_by = ${userId}, updated_at = now(),
           leave_status = case when leave_status = 'requested' then null else leave_status end,
           leave_reason = case when leave_status = 'requested' then null else leave_reason end
     where activity_id = ${activityId} and person_id = ${personId} and attendance <> 'present'`);
  return (r.rowCount ?? 0) === 1;
}

/** At recording: whoever is still unknown did not come. */
export async function pendingToAbsent(db: Executor, activityId: string): Promise<void> {
  await db.execute(sql`update activity_participants set attendance = 'absent', updated_at = now() where activity_id = ${activityId} and attendance = 'pending'`);
}

function eligibleNow(rule: string): SQL {
  return rule === 'committee' ? sql`p.committee_role is not null` : sql`p.party_status = 'full'`;
}

/**
 * At recording: the snapshots take the people as they are at this moment, and every member
 * the quorum counts (full members or committee of the organising branch) who is not yet
 * listed is added as absent, so the denominator is held in the participant rows from now on.
 */
export async function snapshotForQuorum(db: Executor, tenantId: string, activityId: string, unitId: string, rule: string): Promise<void> {
  await db.execute(sql`
    update activity_participants ap
       set party_status = p.party_status, committee_member = p.committee_role is not null, branch_id = p.branch_id
      from people p
     where ap.activity_id = ${activityId} and p.id = ap.person_id`);
  if (rule === 'none') return;
  await db.execute(sql`
    insert into activity_participants (tenant_id, activity_id, person_id, role, attendance, party_status, committee_member, branch_id)
    select ${tenantId}, ${activityId}, p.id, 'participant', 'absent', p.party_status, p.committee_role is not null, p.branch_id
      from people p
     where p.tenant_id = ${tenantId} and p.branch_id = ${unitId} and p.active and ${eligibleNow(rule)}
    on conflict (activity_id, person_id) do nothing`);
}

/**
 * Recomputes the quorum in one statement. Before recording it counts the branch as it is
 * now (people table); once recorded it counts the snapshots taken at recording, so a later
 * change of someone's status does not rewrite a past meeting's validity.
 */
export type Quorum = { quorumEligible: number | null; quorumPresent: number | null; valid: boolean };

export async function recomputeQuorum(db: Executor, tenantId: string, activityId: string, rule: string, recorded: boolean): Promise<Quorum> {
  if (rule === 'none') {
    await db.execute(sql`update activities set quorum_eligible = null, quorum_present = null, valid = true where id = ${activityId}`);
    return { quorumEligible: null, quorumPresent: null, valid: true };
  }
  const snap = rule === 'committee' ? sql`ap.committee_member` : sql`ap.party_status = 'full'`;
  const counts = recorded
    ? sql`select count(*)::int as eligible, count(*) filter (where ap.attendance = 'present')::int as present
            from activity_participants ap where ap.activity_id = a.id and ap.branch_id = a.unit_id and ${snap}`
    : sql`select count(*)::int as eligible,
                 count(*) filter (where exists (select 1 from activity_participants ap
                                                 where ap.activity_id = a.id and ap.person_id = p.id and ap.attendance = 'present'))::int as present
            from people p where p.tenant_id = ${tenantId} and p.branch_id = a.unit_id and p.active and ${eligibleNow(rule)}`;
  // more than half: exactly half is not enough
  const r = await db.execute<Quorum>(sql`
    with a as (select id, unit_id from activities where id = ${activityId}),
         c as (select x.eligible, x.present from a, lateral (${counts}) x)
    update activities set quorum_eligible = c.eligible, quorum_present = c.present, valid = c.present * 2 > c.eligible
      from c
     where activities.id = ${activityId}
    returning quorum_eligible as "quorumEligible", quorum_present as "quorumPresent", valid`);
  return r.rows[0] ?? { quorumEligible: null, quorumPresent: null, valid: false };
}

// ---- attachments ----

export async function insertAttachment(db: Executor, row: typeof activityAttachments.$inferInsert): Promise<AttachmentRow> {
  const [r] = await db.insert(activityAttachments).values(row).returning();
  if (!r) throw new Error('insert attachment');
  return r;
}

export async function listAttachments(db: Executor, activityId: string): Promise<AttachmentRow[]> {
  return db.select().from(activityAttachments).where(eq(activityAttachments.activityId, activityId)).orderBy(activityAttachments.createdAt);
}

export async function findAttachment(db: Executor, activityId: string, id: string): Promise<AttachmentRow | undefined> {
  const [r] = await db.select().from(activityAttachments).where(and(eq(activityAttachments.activityId, activityId), eq(activityAttachments.id, id)));
  return r;
}

export async function deleteAttachment(db: Executor, activityId: string, id: string): Promise<boolean> {
  const r = await db.delete(activityAttachments).where(and(eq(activityAttachments.activityId, activityId), eq(activityAttachments.id, id))).returning({ id: activityAttachments.id });
  return r.length === 1;
}

// ---- program measures ----

/** Which of these ids are program items of the tenant (RLS hides the others too). */
export async function existingProgramItems(db: Executor, tenantId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: programItems.id })
    .from(programItems)
    .where(and(eq(programItems.tenantId, tenantId), inArray(programItems.id, ids)));
  return new Set(rows.map((r) => r.id));
}

/** Replaces the activity's links with exactly these items. */
export async function replaceProgramItems(db: Executor, tenantId: string, activityId: string, itemIds: string[]): Promise<void> {
  await db.delete(activityProgramItems).where(eq(activityProgramItems.activityId, activityId));
  if (itemIds.length > 0) await db.insert(activityProgramItems).values(itemIds.map((itemId) => ({ tenantId, activityId, itemId })));
}

export type LinkedProgramItemRow = { id: string; title: string; programId: string; programTitle: string };

export async function listProgramItems(db: Executor, activityId: string): Promise<LinkedProgramItemRow[]> {
  return db
    .select({ id: programItems.id, title: programItems.title, programId: programs.id, programTitle: programs.title })
    .from(activityProgramItems)
    .innerJoin(programItems, eq(programItems.id, activityProgramItems.itemId))
    .innerJoin(programs, eq(programs.id, programItems.programId))
    .where(eq(activityProgramItems.activityId, activityId))
    .orderBy(programs.title, programItems.sortOrder, programItems.title);
}

// ---- visited enterprises ----

/** Which of these ids are enterprises of the tenant (RLS hides the others too). */
export async function existingEnterprises(db: Executor, tenantId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: enterprises.id })
    .from(enterprises)
    .where(and(eq(enterprises.tenantId, tenantId), inArray(enterprises.id, ids)));
  return new Set(rows.map((r) => r.id));
}

export async function replaceEnterprises(db: Executor, tenantId: string, activityId: string, ids: string[]): Promise<void> {
  await db.delete(activityEnterprises).where(eq(activityEnterprises.activityId, activityId));
  if (ids.length > 0) await db.insert(activityEnterprises).values(ids.map((enterpriseId) => ({ tenantId, activityId, enterpriseId })));
}

export async function listEnterprises(db: Executor, activityId: string): Promise<{ id: string; name: string; type: string }[]> {
  return db
    .select({ id: enterprises.id, name: enterprises.name, type: enterprises.type })
    .from(activityEnterprises)
    .innerJoin(enterprises, eq(enterprises.id, activityEnterprises.enterpriseId))
    .where(eq(activityEnterprises.activityId, activityId))
    .orderBy(enterprises.name);
}

// ---- training sessions ----

export type SessionRow = { id: string; startsAt: Date; endsAt: Date; topic: string; presentIds: string[]; takenIds: string[] };

export async function listSessions(db: Executor, activityId: string): Promise<SessionRow[]> {
  const r = await db.execute<SessionRow>(sql`
    select s.id, s.starts_at as "startsAt", s.ends_at as "endsAt", s.topic,
           coalesce(array_agg(sa.participant_id) filter (where sa.present), '{}') as "presentIds",
           coalesce(array_agg(sa.participant_id) filter (where sa.participant_id is not null), '{}') as "takenIds"
      from activity_sessions s left join activity_session_attendance sa on sa.session_id = s.id
     where s.activity_id = ${activityId}
     group by s.id
     order by s.starts_at, s.id`);
  return r.rows.map((x) => ({ ...x, startsAt: new Date(x.startsAt), endsAt: new Date(x.endsAt) }));
}

export async function countSessions(db: Executor, activityId: string): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from activity_sessions where activity_id = ${activityId}`);
  return r.rows[0]?.n ?? 0;
}

export async function insertSession(db: Executor, row: typeof activitySessions.$inferInsert): Promise<string> {
  const [r] = await db.insert(activitySessions).values(row).returning({ id: activitySessions.id });
  if (!r) throw new Error('insert session');
  return r.id;
}

export async function deleteSession(db: Executor, activityId: string, sessionId: string): Promise<boolean> {
  const r = await db
    .delete(activitySessions)
    .where(and(eq(activitySessions.activityId, activityId), eq(activitySessions.id, sessionId)))
    .returning({ id: activitySessions.id });
  return r.length === 1;
}

export async function sessionExists(db: Executor, activityId: string, sessionId: string): Promise<boolean> {
  const r = await db.select({ id: activitySessions.id }).from(activitySessions).where(and(eq(activitySessions.activityId, activityId), eq(activitySessions.id, sessionId)));
  return r.length === 1;
}

/**
 * Records who of the roster was at a session, in one statement; only rows of this
 * activity's participants are written. Returns the participant ids written.
 */
export async function setSessionAttendance(
  db: Executor,
  tenantId: string,
  activityId: string,
  sessionId: string,
  items: { participantId: string; present: boolean }[],
  userId: string | null,
): Promise<string[]> {
  const r = await db.execute<{ participantId: string }>(sql`
    insert into activity_session_attendance (tenant_id, session_id, participant_id, present, updated_by)
    select ${tenantId}, ${sessionId}, ap.id, i.present, ${userId}
      from unnest(${sql.param(items.map((x) => x.participantId))}::uuid[], ${sql.param(items.map((x) => x.present))}::boolean[]) as i(participant_id, present)
      join activity_participants ap on ap.id = i.participant_id and ap.activity_id = ${activityId}
    on conflict (session_id, participant_id) do update set present = excluded.present, updated_by = excluded.updated_by, updated_at = now()
    returning participant_id as "participantId"`);
  return r.rows.map((x) => x.participantId);
}

/**
 * A training class's attendance follows its sessions: a trainee who attended at least the
 * required number of sessions (all of them when the class sets none) completed the class and
 * is present; the others are pending (absent once the class is recorded), except an approved
 * leave, which stays. Nothing changes while the class has no session (attendance is then
 * taken by hand as for any activity). Returns the number of rows changed.
 */
export async function recomputeCompletion(db: Executor, activityId: string, recorded: boolean): Promise<number> {
  const r = await db.execute(sql`
    with a as (select a.id, (select count(*)::int from activity_sessions s where s.activity_id = a.id) as n, a.required_sessions
                 from activities a where a.id = ${activityId}),
         k as (select ap.id, (select count(*)::int from activity_session_attendance sa where sa.participant_id = ap.id and sa.present) as attended,
                      ap.leave_status
                 from activity_participants ap where ap.activity_id = ${activityId}),
         w as (select k.id,
                      case when k.attended >= coalesce(a.required_sessions, a.n) then 'present'
                           when k.leave_status = 'approved' then 'leave'
                           else ${recorded ? 'absent' : 'pending'} end as attendance
                 from k, a where a.n > 0)
    update activity_participants ap
       set attendance = w.attendance,
           signed_in_at = case when w.attendance = 'present' then coalesce(ap.signed_in_at, now()) end,
           sign_in_method = case when w.attendance = 'present' then coalesce(ap.sign_in_method, 'manual') end,
           leave_status = case when w.attendance = 'present' and ap.leave_status = 'approved' then null else ap.leave_status end,
           leave_reason = case when w.attendance = 'present' and ap.leave_status = 'approved' then null else ap.leave_reason end,
           updated_at = now()
      from w
     where ap.id = w.id and ap.attendance is distinct from w.attendance`);
  return r.rowCount ?? 0;
}

// ---- demo ----

/** Ids by name of the tenant's offices, contacts and enterprises (the demo seed links its records by name). */
export async function idsByName(db: Executor, tenantId: string, kind: 'office' | 'contact' | 'enterprise', names: string[]): Promise<Map<string, string>> {
  const table = kind === 'office' ? sql`org_units` : kind === 'contact' ? sql`contacts` : sql`enterprises`;
  const r = await db.execute<{ id: string; name: string }>(sql`select id, name from ${table} where tenant_id = ${tenantId} and name = any(${sql.param(names)}::text[])`);
  return new Map(r.rows.map((x) => [x.name, x.id]));
}
