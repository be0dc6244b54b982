import { and, eq, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../platform/db/db';
import { feedbackFiles, feedbackForms, feedbackInvitations, feedbackResponses } from './feedback.schema';

export type FormRow = typeof feedbackForms.$inferSelect;
export type FormListRow = FormRow & { programTitle: string | null; responses: number; invited: number; invitedAnswered: number };

function formSelect() {
  return sql`select f.id, f.tenant_id as "tenantId", f.public_id as "publicId", f.program_id as "programId", f.title, f.description, f.mode,
      f.invite_only as "inviteOnly", f.status, f.fields, f.created_by as "createdBy", f.version, f.created_at as "createdAt", f.updated_at as "updatedAt",
      p.title as "programTitle",
      (select count(*)::int from feedback_responses r where r.form_id = f.id) as responses,
      (select count(*)::int from feedback_invitations i where i.form_id = f.id) as invited,
      (select count(*)::int from feedback_invitations i where i.form_id = f.id and i.used_at is not null) as "invitedAnswered"
    from feedback_forms f left join programs p on p.id = f.program_id`;
}

export async function listForms(db: Executor, tenantId: string, page: number, pageSize: number) {
  const rows = await db.execute<FormListRow>(sql`${formSelect()} where f.tenant_id = ${tenantId} order by f.created_at desc limit ${pageSize} offset ${(page - 1) * pageSize}`);
  const c = await db.execute<{ n: number }>(sql`select count(*)::int as n from feedback_forms where tenant_id = ${tenantId}`);
  return { rows: rows.rows, total: c.rows[0]?.n ?? 0 };
}

export async function findForm(db: Executor, tenantId: string, id: string): Promise<FormListRow | undefined> {
  const r = await db.execute<FormListRow>(sql`${formSelect()} where f.tenant_id = ${tenantId} and f.id = ${id}`);
  return r.rows[0];
}

export async function insertForm(db: Executor, v: typeof feedbackForms.$inferInsert): Promise<string> {
  const [r] = await db.insert(feedbackForms).values(v).returning({ id: feedbackForms.id });
  if (!r) throw new Error('form insert');
  return r.id;
}

export async function updateForm(db: Executor, tenantId: string, id: string, version: number, set: Partial<typeof feedbackForms.$inferInsert>) {
  const r = await db
    .update(feedbackForms)
    .set({ ...set, version: sql`${feedbackForms.version} + 1`, updatedAt: new Date() })
    .where(and(eq(feedbackForms.tenantId, tenantId), eq(feedbackForms.id, id), eq(feedbackForms.version, version)))
    .returning({ id: feedbackForms.id });
  return r.length === 1;
}

/**
 * The tenant of a public form, looked up as the owner (outside row-level security): the
 * public request has no session and so no tenant until the form names it.
 */
export async function tenantOfPublicForm(db: Db, publicId: string): Promise<string | undefined> {
  const r = await db.execute<{ tenantId: string }>(sql`select tenant_id as "tenantId" from feedback_forms where public_id = ${publicId}`);
  return r.rows[0]?.tenantId;
}

export async function findPublicForm(db: Executor, publicId: string): Promise<FormRow | undefined> {
  const [r] = await db.select().from(feedbackForms).where(eq(feedbackForms.publicId, publicId));
  return r;
}

// ---- invitations ----

export async function insertInvitations(db: Executor, rows: (typeof feedbackInvitations.$inferInsert)[]) {
  if (rows.length === 0) return [];
  // a target already invited keeps its invitation (and token): skipped here
  return db.insert(feedbackInvitations).values(rows).onConflictDoNothing().returning();
}

export type InvitationListRow = { id: string; unitId: string | null; personId: string | null; targetName: string; usedAt: Date | null };

export async function listInvitations(db: Executor, formId: string) {
  const r = await db.execute<InvitationListRow>(sql`select i.id, i.unit_id as "unitId", i.person_id as "personId",
      coalesce(u.name, p.name) as "targetName", i.used_at as "usedAt"
    from feedback_invitations i left join org_units u on u.id = i.unit_id left join people p on p.id = i.person_id
    where i.form_id = ${formId} order by i.created_at, coalesce(u.name, p.name)`);
  return r.rows;
}

/** Marks a token used, atomically: a second use of the same token finds no unused row. */
export async function useInvitation(db: Executor, formId: string, tokenHash: string): Promise<string | undefined> {
  const r = await db.execute<{ id: string }>(
    sql`update feedback_invitations set used_at = now() where form_id = ${formId} and token_hash = ${tokenHash} and used_at is null returning id`,
  );
  return r.rows[0]?.id;
}

export async function invitationExists(db: Executor, formId: string, tokenHash: string): Promise<boolean> {
  const r = await db.execute(sql`select 1 from feedback_invitations where form_id = ${formId} and token_hash = ${tokenHash}`);
  return r.rows.length > 0;
}

export async function countUnits(db: Executor, tenantId: string, ids: string[]) {
  if (ids.length === 0) return 0;
  const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from org_units where tenant_id = ${tenantId} and active and id = any(${sql.param(ids)}::uuid[])`);
  return r.rows[0]?.n ?? 0;
}

export async function countPeople(db: Executor, tenantId: string, ids: string[]) {
  if (ids.length === 0) return 0;
  const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from people where tenant_id = ${tenantId} and id = any(${sql.param(ids)}::uuid[])`);
  return r.rows[0]?.n ?? 0;
}

// ---- responses ----

export async function insertResponse(db: Executor, v: typeof feedbackResponses.$inferInsert): Promise<string> {
  const [r] = await db.insert(feedbackResponses).values(v).returning({ id: feedbackResponses.id });
  if (!r) throw new Error('response insert');
  return r.id;
}

/**
 * Inserts answers only if the form is open at the version they were checked against, in one
 * statement (tenant and form come from the form row): all or none. Returns the rows inserted.
 */
export async function insertResponsesIfOpen(
  db: Executor,
  formId: string,
  version: number,
  rows: { answers: Record<string, unknown>; respondentName: string | null; respondentContact: string | null }[],
): Promise<number> {
  const json = JSON.stringify(rows.map((r) => ({ n: r.respondentName, c: r.respondentContact, a: r.answers })));
  const r = await db.execute<{ id: string }>(sql`insert into feedback_responses (tenant_id, form_id, respondent_name, respondent_contact, answers)
    select f.tenant_id, f.id, x.n, x.c, x.a
    from feedback_forms f cross join jsonb_to_recordset(${json}::jsonb) as x(n text, c text, a jsonb)
    where f.id = ${formId} and f.status = 'open' and f.version = ${version}
    returning id`);
  return r.rows.length;
}

export async function setResponseAnswers(db: Executor, id: string, answers: Record<string, unknown>) {
  await db.update(feedbackResponses).set({ answers }).where(eq(feedbackResponses.id, id));
}

export async function insertFile(db: Executor, v: typeof feedbackFiles.$inferInsert) {
  const [r] = await db.insert(feedbackFiles).values(v).returning({ id: feedbackFiles.id });
  if (!r) throw new Error('file insert');
  return r.id;
}

export type ResponseListRow = {
  id: string;
  formId: string;
  respondentName: string | null;
  respondentContact: string | null;
  invitationTarget: string | null;
  answers: Record<string, unknown>;
  createdAt: Date;
};

const responseSelect = sql`select r.id, r.form_id as "formId", r.respondent_name as "respondentName", r.respondent_contact as "respondentContact",
    (select coalesce(u.name, p.name) from feedback_invitations i left join org_units u on u.id = i.unit_id left join people p on p.id = i.person_id
      where i.id = r.invitation_id) as "invitationTarget",
    r.answers, r.created_at as "createdAt"
  from feedback_responses r`;

export async function listResponses(db: Executor, formId: string, page: number, pageSize: number) {
  const rows = await db.execute<ResponseListRow>(sql`${responseSelect} where r.form_id = ${formId} order by r.created_at desc, r.id limit ${pageSize} offset ${(page - 1) * pageSize}`);
  const c = await db.execute<{ n: number }>(sql`select count(*)::int as n from feedback_responses where form_id = ${formId}`);
  return { rows: rows.rows, total: c.rows[0]?.n ?? 0 };
}

/** Responses of a form in a stable order, a batch at a time: the export streams them. */
export async function responsesBatch(db: Executor, formId: string, offset: number, limit: number) {
  const r = await db.execute<ResponseListRow>(sql`${responseSelect} where r.form_id = ${formId} order by r.created_at, r.id limit ${limit} offset ${offset}`);
  return r.rows;
}

export async function findResponse(db: Executor, tenantId: string, id: string) {
  const r = await db.execute<{ id: string; formId: string; programId: string | null }>(sql`select r.id, r.form_id as "formId", f.program_id as "programId"
    from feedback_responses r join feedback_forms f on f.id = r.form_id where r.tenant_id = ${tenantId} and r.id = ${id}`);
  return r.rows[0];
}

export async function findFile(db: Executor, tenantId: string, id: string) {
  const [r] = await db
    .select()
    .from(feedbackFiles)
    .where(and(eq(feedbackFiles.tenantId, tenantId), eq(feedbackFiles.id, id)));
  return r;
}

export async function countResponses(db: Executor, formId: string) {
  const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from feedback_responses where form_id = ${formId}`);
  return r.rows[0]?.n ?? 0;
}
