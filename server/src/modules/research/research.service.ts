import type {
  CreateSuggestionRequest,
  CreateTopicRequest,
  ResearchCounts,
  TopicDetail,
  TopicSummary,
  TopicsListQuery,
  UpdateTopicRequest,
} from '@tongxin/contracts';
import { researchReportTypes } from '@tongxin/contracts';
import type { Db, Executor } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { inTenant } from '../../platform/db/tenant';
import { inScope, requirePermission, type Actor, type Scope } from '../../platform/access';
import type { StoredFile } from '../../platform/files';
import { audit } from '../audit/audit.service';
import { findUnitsByIds } from '../org/org.repo';
import * as repo from './research.repo';

const today = () => new Date().toISOString().slice(0, 10);

// research is part of the department's united-front work: its page sits with the registry
const READ = 'unitedfront.read';
const WRITE = 'unitedfront.write';

/** Activity categories a topic's work is made of: field trips (visit) and symposiums (meeting). */
const linkableCategories = ['visit', 'meeting'];

function toSummary(r: repo.TopicRow): TopicSummary {
  return {
    id: r.id,
    officeId: r.officeId,
    officeName: r.officeName,
    title: r.title,
    leadPersonId: r.leadPersonId,
    leadName: r.leadName,
    startsOn: r.startsOn,
    endsOn: r.endsOn,
    activities: r.activities,
    symposiums: r.symposiums,
    suggestions: r.suggestions,
    recommendations: r.recommendations,
    hasReport: r.reportSha256 !== null,
    version: r.version,
  };
}

async function loadVisible(tx: Executor, actor: Actor, scope: Scope, id: string): Promise<repo.TopicRow> {
  const row = await repo.findTopic(tx, actor.tenantId, id);
  if (!row || !inScope(scope, row.officePath)) throw new AppError('NOT_FOUND');
  return row;
}

async function detailOf(tx: Executor, row: repo.TopicRow): Promise<TopicDetail> {
  const [members, acts, places, suggestions, recs] = [
    await repo.membersOf(tx, row.id),
    await repo.activitiesOf(tx, row.id),
    await repo.placesOf(tx, row.id),
    await repo.suggestionsOf(tx, row.id),
    await repo.recommendationsOf(tx, row.id),
  ];
  return {
    ...toSummary(row),
    plan: row.plan,
    members,
    activityList: acts.map((a) => ({
      ...a,
      startsAt: new Date(a.startsAt).toISOString(),
      placeKind: a.placeKind === 'district' || a.placeKind === 'town' || a.placeKind === 'enterprise' || a.placeKind === 'village' ? a.placeKind : null,
    })),
    places: places.map((p) => ({ kind: p.kind as TopicDetail['places'][number]['kind'], name: p.name })),
    suggestionList: suggestions,
    recommendationList: recs,
    report:
      row.reportSha256 && row.reportFilename && row.reportContentType && row.reportSize !== null && row.reportUploadedAt
        ? { filename: row.reportFilename, contentType: row.reportContentType, size: row.reportSize, uploadedAt: new Date(row.reportUploadedAt).toISOString() }
        : null,
  };
}

async function checkOffice(tx: Executor, actor: Actor, scope: Scope, officeId: string) {
  const [office] = await findUnitsByIds(tx, actor.tenantId, [officeId]);
  if (!office || !office.active) throw new AppError('VALIDATION_FAILED', [{ path: 'officeId', problem: 'not an active unit' }]);
  if (!inScope(scope, office.path)) throw new AppError('VALIDATION_FAILED', [{ path: 'officeId', problem: 'outside your scope' }]);
}

/** The lead and members must be active people of the tenant; the lead is not also a member. */
async function checkPeople(tx: Executor, actor: Actor, leadPersonId: string, memberIds: string[]) {
  const found = await repo.existingPeople(tx, actor.tenantId, [leadPersonId, ...memberIds]);
  if (!found.has(leadPersonId)) throw new AppError('VALIDATION_FAILED', [{ path: 'leadPersonId', problem: 'unknown person' }]);
  const unknown = memberIds.findIndex((id) => !found.has(id));
  if (unknown >= 0) throw new AppError('VALIDATION_FAILED', [{ path: `memberIds.${unknown}`, problem: 'unknown person' }]);
  return memberIds.filter((id) => id !== leadPersonId);
}

export async function createTopic(db: Db, actor: Actor, input: CreateTopicRequest): Promise<TopicDetail> {
  const scope = requirePermission(actor, WRITE);
  return inTenant(db, actor.tenantId, async (tx) => {
    await checkOffice(tx, actor, scope, input.officeId);
    const members = await checkPeople(tx, actor, input.leadPersonId, input.memberIds);
    const id = await repo.insertTopic(tx, {
      tenantId: actor.tenantId,
      officeId: input.officeId,
      title: input.title,
      leadPersonId: input.leadPersonId,
      plan: input.plan || null,
      startsOn: input.startsOn,
      endsOn: input.endsOn,
    });
    await repo.replaceMembers(tx, actor.tenantId, id, members);
    await audit(tx, actor, 'research.topic.create', { type: 'research_topic', id }, { title: input.title });
    return detailOf(tx, await loadVisible(tx, actor, scope, id));
  });
}

export async function updateTopic(db: Db, actor: Actor, id: string, input: UpdateTopicRequest): Promise<TopicDetail> {
  const scope = requirePermission(actor, WRITE);
  return inTenant(db, actor.tenantId, async (tx) => {
    const before = await loadVisible(tx, actor, scope, id);
    if (before.version !== input.version) throw new AppError('STALE_VERSION');
    if (input.officeId) await checkOffice(tx, actor, scope, input.officeId);
    const startsOn = input.startsOn ?? before.startsOn;
    const endsOn = input.endsOn ?? before.endsOn;
    if (endsOn < startsOn) throw new AppError('VALIDATION_FAILED', [{ path: 'endsOn', problem: 'ends before it starts' }]);
    const lead = input.leadPersonId ?? before.leadPersonId;
    const memberIds = input.memberIds ?? (await repo.membersOf(tx, id)).map((m) => m.personId);
    const members = input.leadPersonId || input.memberIds ? await checkPeople(tx, actor, lead, memberIds) : memberIds;
    const set: Partial<repo.TopicInsert> = { startsOn, endsOn, leadPersonId: lead };
    if (input.officeId) set.officeId = input.officeId;
    if (input.title) set.title = input.title;
    if (input.plan !== undefined) set.plan = input.plan || null;
    if (!(await repo.updateTopicVersioned(tx, actor.tenantId, id, input.version, set))) throw new AppError('STALE_VERSION');
    if (input.leadPersonId || input.memberIds) await repo.replaceMembers(tx, actor.tenantId, id, members);
    await audit(tx, actor, 'research.topic.update', { type: 'research_topic', id });
    return detailOf(tx, await loadVisible(tx, actor, scope, id));
  });
}

export async function listTopics(db: Db, actor: Actor, q: TopicsListQuery) {
  const scope = requirePermission(actor, READ);
  return inTenant(db, actor.tenantId, async (tx) => {
    const { rows, total } = await repo.listTopics(tx, { tenantId: actor.tenantId, scope, q: q.q || undefined, from: q.from, to: q.to }, q.page, q.pageSize);
    return { items: rows.map(toSummary), total, page: q.page, pageSize: q.pageSize };
  });
}

export async function getTopic(db: Db, actor: Actor, id: string): Promise<TopicDetail> {
  const scope = requirePermission(actor, READ);
  return inTenant(db, actor.tenantId, async (tx) => detailOf(tx, await loadVisible(tx, actor, scope, id)));
}

/**
 * Links a field trip or a symposium to the topic ("link an activity"). The activity must be
 * the tenant's (row-level security hides the others: a foreign id is unknown) and of a
 * visit or meeting type; linking twice is a DUPLICATE.
 */
export async function linkActivity(db: Db, actor: Actor, id: string, activityId: string): Promise<TopicDetail> {
  const scope = requirePermission(actor, WRITE);
  return inTenant(db, actor.tenantId, async (tx) => {
    const topic = await loadVisible(tx, actor, scope, id);
    const a = await repo.findActivityForLink(tx, actor.tenantId, activityId);
    if (!a) throw new AppError('VALIDATION_FAILED', [{ path: 'activityId', problem: 'unknown activity' }]);
    if (!linkableCategories.includes(a.category)) throw new AppError('VALIDATION_FAILED', [{ path: 'activityId', problem: 'not a field visit or a symposium' }]);
    if (!(await repo.linkActivity(tx, actor.tenantId, id, activityId))) throw new AppError('DUPLICATE', [{ path: 'activityId', problem: 'already linked' }]);
    await audit(tx, actor, 'research.activity.link', { type: 'research_topic', id }, { activityId });
    return detailOf(tx, topic);
  });
}

export async function unlinkActivity(db: Db, actor: Actor, id: string, activityId: string): Promise<TopicDetail> {
  const scope = requirePermission(actor, WRITE);
  return inTenant(db, actor.tenantId, async (tx) => {
    const topic = await loadVisible(tx, actor, scope, id);
    if (!(await repo.unlinkActivity(tx, actor.tenantId, id, activityId))) throw new AppError('NOT_FOUND');
    await audit(tx, actor, 'research.activity.unlink', { type: 'research_topic', id }, { activityId });
    return detailOf(tx, await loadVisible(tx, actor, scope, topic.id));
  });
}

export async function addSuggestion(db: Db, actor: Actor, id: string, input: CreateSuggestionRequest): Promise<TopicDetail> {
  const scope = requirePermission(actor, WRITE);
  if (input.receivedOn > today()) throw new AppError('VALIDATION_FAILED', [{ path: 'receivedOn', problem: 'in the future' }]);
  return inTenant(db, actor.tenantId, async (tx) => {
    const topic = await loadVisible(tx, actor, scope, id);
    if (input.activityId && !(await repo.isLinked(tx, id, input.activityId))) {
      throw new AppError('VALIDATION_FAILED', [{ path: 'activityId', problem: 'not an activity of this topic' }]);
    }
    const sid = await repo.insertSuggestion(tx, {
      tenantId: actor.tenantId,
      topicId: id,
      content: input.content,
      source: input.source || null,
      activityId: input.activityId ?? null,
      receivedOn: input.receivedOn,
      createdBy: actor.userId,
    });
    await audit(tx, actor, 'research.suggestion.create', { type: 'research_suggestion', id: sid }, { topicId: id });
    return detailOf(tx, await loadVisible(tx, actor, scope, topic.id));
  });
}

export async function addRecommendation(db: Db, actor: Actor, id: string, content: string): Promise<TopicDetail> {
  const scope = requirePermission(actor, WRITE);
  return inTenant(db, actor.tenantId, async (tx) => {
    await loadVisible(tx, actor, scope, id);
    const rid = await repo.insertRecommendation(tx, { tenantId: actor.tenantId, topicId: id, content, createdBy: actor.userId });
    await audit(tx, actor, 'research.recommendation.create', { type: 'research_recommendation', id: rid }, { topicId: id });
    return detailOf(tx, await loadVisible(tx, actor, scope, id));
  });
}

/** Deletes a suggestion of a topic (one entered by mistake). */
export async function deleteSuggestion(db: Db, actor: Actor, suggestionId: string): Promise<TopicDetail> {
  const scope = requirePermission(actor, WRITE);
  return inTenant(db, actor.tenantId, async (tx) => {
    const sug = await repo.findSuggestion(tx, actor.tenantId, suggestionId);
    if (!sug) throw new AppError('NOT_FOUND');
    await loadVisible(tx, actor, scope, sug.topicId);
    if (!(await repo.deleteSuggestion(tx, actor.tenantId, suggestionId))) throw new AppError('NOT_FOUND');
    // what was said, kept in the audit trail since the row is gone
    await audit(tx, actor, 'research.suggestion.delete', { type: 'research_suggestion', id: suggestionId }, { topicId: sug.topicId, content: sug.content, receivedOn: sug.receivedOn });
    return detailOf(tx, await loadVisible(tx, actor, scope, sug.topicId));
  });
}

/**
 * Deletes a recommendation of a topic. One already converted into a problem or a measure stays
 * (INVALID_STATE): the rectification work links back to it. The delete itself re-checks, so a
 * conversion finishing meanwhile wins.
 */
export async function deleteRecommendation(db: Db, actor: Actor, recommendationId: string): Promise<TopicDetail> {
  const scope = requirePermission(actor, WRITE);
  return inTenant(db, actor.tenantId, async (tx) => {
    const rec = await repo.findRecommendation(tx, actor.tenantId, recommendationId);
    if (!rec) throw new AppError('NOT_FOUND');
    await loadVisible(tx, actor, scope, rec.topicId);
    if (rec.problemId || rec.measureId || !(await repo.deleteFreeRecommendation(tx, actor.tenantId, recommendationId))) {
      throw new AppError('INVALID_STATE', [{ path: 'recommendationId', problem: 'converted into a problem or a measure' }]);
    }
    await audit(tx, actor, 'research.recommendation.delete', { type: 'research_recommendation', id: recommendationId }, { topicId: rec.topicId, content: rec.content });
    return detailOf(tx, await loadVisible(tx, actor, scope, rec.topicId));
  });
}

/** Checks before the report's bytes are read: the topic exists and the actor may write it. */
export async function assertCanUploadReport(db: Db, actor: Actor, id: string): Promise<void> {
  const scope = requirePermission(actor, WRITE);
  await inTenant(db, actor.tenantId, (tx) => loadVisible(tx, actor, scope, id));
}

/** Sets (or replaces) the final report (调研报告): a PDF or DOCX already in the file store. */
export async function setReport(db: Db, actor: Actor, id: string, filename: string, stored: StoredFile): Promise<TopicDetail> {
  const scope = requirePermission(actor, WRITE);
  if (!(researchReportTypes as readonly string[]).includes(stored.contentType)) throw new AppError('UNSUPPORTED_FILE');
  const safeName = (filename.replaceAll('\\', '/').split('/').pop() ?? '').replace(/\p{Cc}/gu, '').slice(0, 255) || 'report';
  return inTenant(db, actor.tenantId, async (tx) => {
    const before = await loadVisible(tx, actor, scope, id);
    const ok = await repo.updateTopicVersioned(tx, actor.tenantId, id, before.version, {
      reportSha256: stored.sha256,
      reportFilename: safeName,
      reportContentType: stored.contentType,
      reportSize: stored.size,
      reportUploadedAt: new Date(),
      reportUploadedBy: actor.userId,
    });
    if (!ok) throw new AppError('STALE_VERSION');
    await audit(tx, actor, 'research.report.upload', { type: 'research_topic', id }, { filename: safeName, sha256: stored.sha256, size: stored.size });
    return detailOf(tx, await loadVisible(tx, actor, scope, id));
  });
}

export async function findReport(db: Db, actor: Actor, id: string) {
  const scope = requirePermission(actor, READ);
  const row = await inTenant(db, actor.tenantId, (tx) => loadVisible(tx, actor, scope, id));
  if (!row.reportSha256 || !row.reportFilename || !row.reportContentType) throw new AppError('NOT_FOUND');
  return { sha256: row.reportSha256, filename: row.reportFilename, contentType: row.reportContentType };
}

/**
 * A recommendation the actor may convert (into a problem or a measure), with its topic's title.
 * One already converted, to either, is INVALID_STATE: it becomes one or the other, once.
 */
async function convertibleRecommendation(db: Db, actor: Actor, recommendationId: string) {
  const scope = requirePermission(actor, WRITE);
  return inTenant(db, actor.tenantId, async (tx) => {
    const rec = await repo.findRecommendation(tx, actor.tenantId, recommendationId);
    if (!rec) throw new AppError('NOT_FOUND');
    const topic = await loadVisible(tx, actor, scope, rec.topicId);
    if (rec.problemId) throw new AppError('INVALID_STATE', [{ path: 'recommendationId', problem: 'already a problem' }]);
    if (rec.measureId) throw new AppError('INVALID_STATE', [{ path: 'recommendationId', problem: 'already a measure' }]);
    return { id: rec.id, content: rec.content, topicId: topic.id, topicTitle: topic.title };
  });
}

/** A recommendation the actor may turn into a problem, with its topic's title. */
export const recommendationForProblem = convertibleRecommendation;
/** A recommendation the actor may turn into a measure, with its topic's title. */
export const recommendationForMeasure = convertibleRecommendation;

/** Records that the recommendation became a problem or a measure; a concurrent conversion loses (INVALID_STATE). */
async function markRecommendation(db: Db, actor: Actor, recommendationId: string, to: { problemId: string } | { measureId: string }): Promise<TopicDetail> {
  const scope = requirePermission(actor, WRITE);
  return inTenant(db, actor.tenantId, async (tx) => {
    const rec = await repo.findRecommendation(tx, actor.tenantId, recommendationId);
    if (!rec) throw new AppError('NOT_FOUND');
    const ok =
      'problemId' in to
        ? await repo.setRecommendationProblem(tx, actor.tenantId, recommendationId, to.problemId)
        : await repo.setRecommendationMeasure(tx, actor.tenantId, recommendationId, to.measureId);
    if (!ok) throw new AppError('INVALID_STATE', [{ path: 'recommendationId', problem: 'already converted' }]);
    const action = 'problemId' in to ? 'research.recommendation.problem' : 'research.recommendation.measure';
    await audit(tx, actor, action, { type: 'research_recommendation', id: recommendationId }, to);
    return detailOf(tx, await loadVisible(tx, actor, scope, rec.topicId));
  });
}

/** Records that the recommendation became this problem; a concurrent conversion loses (INVALID_STATE). */
export async function markRecommendationProblem(db: Db, actor: Actor, recommendationId: string, problemId: string): Promise<TopicDetail> {
  return markRecommendation(db, actor, recommendationId, { problemId });
}

/** Records that the recommendation became this measure; a concurrent conversion loses (INVALID_STATE). */
export async function markRecommendationMeasure(db: Db, actor: Actor, recommendationId: string, measureId: string): Promise<TopicDetail> {
  return markRecommendation(db, actor, recommendationId, { measureId });
}

/** The research figures of a period (topics, districts and towns visited, symposiums, suggestions). */
export async function researchCounts(db: Db, actor: Actor, from: string, to: string): Promise<ResearchCounts> {
  const scope = requirePermission(actor, READ);
  if (to < from) throw new AppError('VALIDATION_FAILED', [{ path: 'to', problem: 'before from' }]);
  return inTenant(db, actor.tenantId, async (tx) => {
    const f = { tenantId: actor.tenantId, scope, from, to };
    return {
      topics: await repo.countTopics(tx, f),
      districts: await repo.countDistinctPlacesVisited(tx, f, 'district'),
      towns: await repo.countDistinctPlacesVisited(tx, f, 'town'),
      symposiums: await repo.countSymposiums(tx, f),
      suggestions: await repo.countSuggestions(tx, f),
    };
  });
}
