import { randomBytes } from 'node:crypto';
import type { Tx } from '../../platform/db/db';
import * as repo from './activities.repo';

/**
 * Demo records of the united-front side of activities: a training class for contacts of the
 * registry with two sessions (one trainee missed the second and did not complete), and a visit
 * to the Taiwan-funded enterprise with its chairman. Runs after the united-front demo (it links
 * its contacts and enterprises by name); does nothing when they are missing.
 */
export async function seedActivitiesUnitedFrontDemo(tx: Tx, tenantId: string): Promise<void> {
  const offices = await repo.idsByName(tx, tenantId, 'office', ['党派工作科', '经济联络科']);
  const contacts = await repo.idsByName(tx, tenantId, 'contact', ['林清远', '陈慧敏', '黄志诚', '王建台']);
  const enterprises = await repo.idsByName(tx, tenantId, 'enterprise', ['闽台精密机械有限公司']);
  const types = new Map((await repo.listTypes(tx, tenantId, false)).map((t) => [t.code, t.id]));
  const partyOffice = offices.get('党派工作科');
  const economyOffice = offices.get('经济联络科');
  const trainingType = types.get('training_class');
  const visitType = types.get('field_visit');
  const taiwanFirm = enterprises.get('闽台精密机械有限公司');
  if (!partyOffice || !economyOffice || !trainingType || !visitType || !taiwanFirm) return;

  const cls = await repo.insertActivity(tx, {
    tenantId,
    typeId: trainingType,
    unitId: partyOffice,
    topic: '民主党派骨干成员培训班',
    place: '市社会主义学院',
    startsAt: new Date('2026-04-14T09:00:00+08:00'),
    endsAt: new Date('2026-04-15T17:00:00+08:00'),
    status: 'recorded',
    extra: { hours: 12 },
    signinSecret: randomBytes(32).toString('hex'),
  });
  const trainees = ['林清远', '陈慧敏', '黄志诚'].flatMap((n) => {
    const id = contacts.get(n);
    return id ? [{ contactId: id, role: 'participant' }] : [];
  });
  await repo.upsertContactParticipants(tx, tenantId, cls, trainees, null);
  const roster = await repo.listParticipants(tx, cls);
  const s1 = await repo.insertSession(tx, { tenantId, activityId: cls, topic: '开班式与多党合作制度专题', startsAt: new Date('2026-04-14T09:00:00+08:00'), endsAt: new Date('2026-04-14T12:00:00+08:00') });
  const s2 = await repo.insertSession(tx, { tenantId, activityId: cls, topic: '参政议政能力提升', startsAt: new Date('2026-04-15T09:00:00+08:00'), endsAt: new Date('2026-04-15T12:00:00+08:00') });
  await repo.setSessionAttendance(tx, tenantId, cls, s1, roster.map((p) => ({ participantId: p.id, present: true })), null);
  await repo.setSessionAttendance(tx, tenantId, cls, s2, roster.map((p) => ({ participantId: p.id, present: p.name !== '黄志诚' })), null);
  await repo.recomputeCompletion(tx, cls, true);

  const visit = await repo.insertActivity(tx, {
    tenantId,
    typeId: visitType,
    unitId: economyOffice,
    topic: '走访台资企业了解用工需求',
    startsAt: new Date('2026-03-10T14:30:00+08:00'),
    endsAt: new Date('2026-03-10T16:30:00+08:00'),
    status: 'held',
    extra: { placeKind: 'enterprise', placeName: '闽台精密机械有限公司' },
    signinSecret: randomBytes(32).toString('hex'),
  });
  await repo.replaceEnterprises(tx, tenantId, visit, [taiwanFirm]);
  const chairman = contacts.get('王建台');
  if (chairman) await repo.upsertContactParticipants(tx, tenantId, visit, [{ contactId: chairman, role: 'participant' }], null);
}
