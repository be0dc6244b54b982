import type { RecommendationToMeasureRequest, RecommendationToProblemRequest, TopicDetail } from '@tongxin/contracts';
import { programLimits } from '@tongxin/contracts';
import type { Db } from '../platform/db/db';
import type { Actor } from '../platform/access';
import { createMeasureWithId, createProblem } from '../modules/rectification/rectification.service';
import { markRecommendationMeasure, markRecommendationProblem, recommendationForMeasure, recommendationForProblem } from '../modules/research/research.service';

/**
 * A recommendation of a research report becomes a problem of the rectification inventory
 * (source 'research'), and the recommendation keeps a link to it.
 *
 * The rectification service owns its transaction, so this runs in two: the problem is
 * created first, then the link is set only if the recommendation is still free. Two people
 * converting the same recommendation at once both pass the first check; the loser gets
 * INVALID_STATE and its problem stays in the inventory (visible, source 'research'), which
 * is safer than losing one.
 */
export async function raiseProblemFromRecommendation(db: Db, actor: Actor, recommendationId: string, input: RecommendationToProblemRequest): Promise<TopicDetail> {
  const rec = await recommendationForProblem(db, actor, recommendationId);
  const problem = await createProblem(db, actor, {
    source: 'research',
    categoryId: input.categoryId,
    title: input.title ?? rec.content.slice(0, 200),
    description: input.description ?? `${rec.content}\n（来自调研课题：${rec.topicTitle}）`.slice(0, 5000),
    foundOn: input.foundOn ?? new Date().toISOString().slice(0, 10),
    programId: input.programId ?? null,
  });
  return markRecommendationProblem(db, actor, recommendationId, problem.id);
}

/**
 * A recommendation becomes a measure (整改措施) of an existing rectification problem, and keeps a
 * link to it. Same two transactions as above: the rectification service checks its own
 * permission (rectification.write) and scope on the problem and writes the measure; the link is
 * set only if the recommendation is still free, else INVALID_STATE and the measure stays on
 * its problem (visible there, like the problem above).
 */
export async function raiseMeasureFromRecommendation(db: Db, actor: Actor, recommendationId: string, input: RecommendationToMeasureRequest): Promise<TopicDetail> {
  const rec = await recommendationForMeasure(db, actor, recommendationId);
  const { problemId, title, ...measure } = input;
  const { measureId } = await createMeasureWithId(db, actor, problemId, { ...measure, title: title ?? rec.content.slice(0, programLimits.measureTitleMax) });
  return markRecommendationMeasure(db, actor, recommendationId, measureId);
}
