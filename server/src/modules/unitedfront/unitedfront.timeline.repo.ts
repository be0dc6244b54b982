import { sql, type SQL } from 'drizzle-orm';
import type { TimelineEntry } from '@tongxin/contracts';
import type { Executor } from '../../platform/db/db';

export type TimelineSubject = 'contact' | 'enterprise';

/**
 * One source of timeline entries: a SELECT of (at, kind, title, actor_name, ref_type,
 * ref_id) over the records linked to the subject, or null when it has none for this kind of
 * subject. The timeline is the UNION ALL of every source, newest first, so another area
 * (training rosters, visits, service cases) plugs in by adding one source to this list.
 */
export type TimelineSource = (subject: TimelineSubject, tenantId: string, id: string) => SQL | null;

/** When the record itself was registered. */
const registered: TimelineSource = (subject, tenantId, id) =>
  subject === 'contact'
    ? sql`select c.created_at as at, 'contact.created' as kind, c.name as title, null::text as actor_name, 'contact' as ref_type, c.id::text as ref_id
            from contacts c where c.tenant_id = ${tenantId} and c.id = ${id}`
    : sql`select e.created_at as at, 'enterprise.created' as kind, e.name as title, null::text as actor_name, 'enterprise' as ref_type, e.id::text as ref_id
            from enterprises e where e.tenant_id = ${tenantId} and e.id = ${id}`;

/** Changes recorded in the audit trail (not reveals or exports: who looked is for the audit admin). */
const changes: TimelineSource = (subject, tenantId, id) => {
  const actions = subject === 'contact' ? ['contacts.update', 'contacts.merge', 'contacts.deactivate', 'contacts.reactivate'] : ['enterprises.update', 'enterprises.deactivate', 'enterprises.reactivate'];
  return sql`select a.at, a.action as kind, coalesce((select string_agg(f, ',') from jsonb_array_elements_text(case when jsonb_typeof(a.details->'fields') = 'array' then a.details->'fields' else '[]'::jsonb end) f), '') as title, a.actor_name, null::text as ref_type, null::text as ref_id
               from audit_log a
              where a.tenant_id = ${tenantId} and a.target_id = ${id} and a.action = any(${sql.param(actions)}::text[]) and a.result = 'ok'`;
};

/** The enterprises a contact is linked to, and the contacts of an enterprise. */
const enterpriseLinks: TimelineSource = (subject, tenantId, id) =>
  subject === 'contact'
    ? sql`select l.created_at as at, 'enterprise.linked' as kind, e.name as title, null::text as actor_name, 'enterprise' as ref_type, e.id::text as ref_id
            from enterprise_contacts l join enterprises e on e.id = l.enterprise_id
           where l.tenant_id = ${tenantId} and l.contact_id = ${id}`
    : sql`select l.created_at as at, 'contact.linked' as kind, c.name as title, null::text as actor_name, 'contact' as ref_type, c.id::text as ref_id
            from enterprise_contacts l join contacts c on c.id = l.contact_id
           where l.tenant_id = ${tenantId} and l.enterprise_id = ${id}`;

/** Problems the subject raised (service cases), and each one's closing. */
const serviceCases: TimelineSource = (subject, tenantId, id) => {
  const col = subject === 'contact' ? sql`s.contact_id` : sql`s.enterprise_id`;
  return sql`select s.created_at as at, 'case.raised' as kind, s.problem as title, null::text as actor_name, 'service_case' as ref_type, s.id::text as ref_id
               from service_cases s where s.tenant_id = ${tenantId} and ${col} = ${id}
             union all
             select f.at, 'case.' || f.status, s.problem, f.by_name, 'service_case', s.id::text
               from service_case_followups f join service_cases s on s.id = f.case_id
              where s.tenant_id = ${tenantId} and ${col} = ${id} and f.status is not null`;
};

/**
 * Activities: a contact's trainings, visits and other activities they took part in (not
 * cancelled; a training counts once the class is held, as completed or not); an enterprise's
 * visits (the visit names it). Kinds: activity.training_completed / activity.training /
 * activity.visit / activity.other.
 */
const activitiesOf: TimelineSource = (subject, tenantId, id) =>
  subject === 'contact'
    ? sql`select a.starts_at as at,
                 case when t.category = 'training' then case when ap.attendance = 'present' then 'activity.training_completed' else 'activity.training' end
                      when t.category = 'visit' then 'activity.visit' else 'activity.other' end as kind,
                 a.topic as title, null::text as actor_name, 'activity' as ref_type, a.id::text as ref_id
            from activity_participants ap join activities a on a.id = ap.activity_id join activity_types t on t.id = a.type_id
           where ap.tenant_id = ${tenantId} and ap.contact_id = ${id} and a.status <> 'cancelled'`
    : sql`select a.starts_at as at, 'activity.visit' as kind, a.topic as title, null::text as actor_name, 'activity' as ref_type, a.id::text as ref_id
            from activity_enterprises ae join activities a on a.id = ae.activity_id
           where ae.tenant_id = ${tenantId} and ae.enterprise_id = ${id} and a.status <> 'cancelled'`;

/** Later: feedback — one entry each. */
const sources: TimelineSource[] = [registered, changes, enterpriseLinks, serviceCases, activitiesOf];

export async function timeline(db: Executor, tenantId: string, subject: TimelineSubject, id: string, limit = 200): Promise<TimelineEntry[]> {
  const parts = sources.map((s) => s(subject, tenantId, id)).filter((s): s is SQL => s !== null);
  const r = await db.execute<{ at: Date | string; kind: string; title: string; actor_name: string | null; ref_type: string | null; ref_id: string | null }>(
    sql`select * from (${sql.join(parts, sql` union all `)}) t order by t.at desc, t.kind limit ${limit}`,
  );
  return r.rows.map((x) => ({ at: new Date(x.at).toISOString(), kind: x.kind, title: x.title, actorName: x.actor_name, refType: x.ref_type, refId: x.ref_id }));
}
