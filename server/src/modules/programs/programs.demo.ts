import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/db';
import * as repo from './programs.repo';
import { insertForm } from '../feedback/feedback.repo';
import * as rect from '../rectification/rectification.repo';
import { defaultCategories } from '../rectification/rectification.service';

type Measure = { title: string; indicators?: { name: string; typeCodes: string[]; target: number }[]; manual?: string };
type Track = { title: string; measures: Measure[] };

/**
 * The reference report's "five actions" (五项行动) as example data: a program like any a
 * tenant builds through the UI, nothing in code depends on it.
 */
const fiveActions: Track[] = [
  {
    title: '实施思想政治引领行动，打造绝对忠诚的政治机关',
    measures: [
      { title: '抓实理想信念教育', indicators: [{ name: '党史学习教育现场教学', typeCodes: ['field_teaching'], target: 4 }] },
      { title: '夯实共同思想政治基础', indicators: [{ name: '党外人士培训班', typeCodes: ['training_class'], target: 16 }] },
      { title: '落实意识形态工作责任制', manual: '宣传阵地建设情况' },
    ],
  },
  {
    title: '实施理论武装提升行动，打造理论扎实的学习机关',
    measures: [
      { title: '召开会议集中学', indicators: [{ name: '机关集体学习会议', typeCodes: ['collective_study', 'central_group_study'], target: 20 }] },
      { title: '线上线下自主学', manual: '学习平台学习情况' },
      { title: '深入研讨交流学', indicators: [{ name: '学习交流研讨', typeCodes: ['symposium', 'central_group_study_extended'], target: 13 }] },
    ],
  },
  {
    title: '实施组织建设强化行动，打造基础牢固的先锋机关',
    measures: [
      { title: '发挥机关党委统筹作用', manual: '机关党委议事规则建立情况' },
      { title: '发挥党支部战斗堡垒作用', indicators: [{ name: '主题党日活动', typeCodes: ['theme_party_day'], target: 12 }] },
      { title: '发挥党小组载体作用', indicators: [{ name: '党小组集体学习', typeCodes: ['party_group_meeting'], target: 36 }] },
    ],
  },
  {
    title: '实施改作风提效能行动，打造担当作为的实干机关',
    measures: [
      { title: '坚持深入基层调研', indicators: [{ name: '走访调研', typeCodes: ['field_visit'], target: 10 }] },
      { title: '坚持为企纾困解难', manual: '走访企业、解决问题情况' },
      { title: '坚持服务中心大局', indicators: [{ name: '志愿服务', typeCodes: ['volunteer_service'], target: 10 }] },
    ],
  },
  {
    title: '实施廉政防线筑牢行动，打造风清气正的廉洁机关',
    measures: [
      { title: '强化主体责任', manual: '部务会研判党风廉政建设' },
      { title: '细化防控措施', manual: '制度修订完善（8 项）' },
      { title: '深化警示教育', indicators: [{ name: '警示教育', typeCodes: ['warning_education'], target: 5 }] },
    ],
  },
];

export async function seedDemoPrograms(tx: Tx, tenantId: string, rootUnitId: string) {
  const users = await tx.execute<{ id: string; username: string }>(sql`select id, username from users where tenant_id = ${tenantId} and username in ('party', 'leader', 'secretary1')`);
  const userOf = (name: string) => users.rows.find((u) => u.username === name)?.id ?? null;
  const leaders = await tx.execute<{ id: string }>(sql`select id from people where tenant_id = ${tenantId} and is_leader order by name limit 5`);
  const year = new Date().getFullYear();
  const programId = await repo.insertProgram(tx, {
    tenantId,
    title: '模范机关建设“五项行动”',
    description: '坚持党建引领，深入实施“五项行动”，扎实推进模范机关建设。',
    ownerUnitId: rootUnitId,
    ownerUserId: userOf('party'),
    startsOn: `${year}-01-01`,
    endsOn: `${year}-12-31`,
    createdBy: userOf('party'),
  });
  for (const [i, track] of fiveActions.entries()) {
    const trackId = await repo.insertItem(tx, { tenantId, programId, kind: '行动', title: track.title, sortOrder: i + 1, dueOn: `${year}-12-31` });
    const owner = leaders.rows[i % Math.max(1, leaders.rows.length)]?.id;
    if (owner) await repo.setItemOwners(tx, tenantId, trackId, [owner]);
    for (const [j, m] of track.measures.entries()) {
      const itemId = await repo.insertItem(tx, { tenantId, programId, parentId: trackId, kind: '举措', title: m.title, sortOrder: j + 1 });
      for (const ind of m.indicators ?? []) {
        await repo.insertIndicator(tx, { tenantId, itemId, name: ind.name, kind: 'computed', source: 'activities', query: { typeCodes: ind.typeCodes }, target: ind.target });
      }
      if (m.manual) await repo.insertIndicator(tx, { tenantId, itemId, name: m.manual, kind: 'manual' });
    }
  }
  await insertForm(tx, {
    tenantId,
    publicId: randomBytes(16).toString('base64url'),
    programId,
    title: '模范机关建设征求意见表',
    description: '请对部机关作风建设、服务效能提出意见建议（可匿名）。',
    mode: 'anonymous',
    status: 'open',
    fields: [
      { key: 'opinion', label: '意见建议', kind: 'text', required: true, long: true },
      { key: 'aspect', label: '涉及方面', kind: 'choice', required: false, options: ['思想政治', '理论学习', '组织建设', '作风效能', '廉政建设'] },
      { key: 'score', label: '总体满意度', kind: 'rating', required: false },
    ],
    createdBy: userOf('party'),
  });
  const cats = await rect.listCategories(tx, tenantId);
  const catId = (code: string) => cats.find((c) => c.code === code)?.id ?? cats[0]?.id;
  const work = catId(defaultCategories[0]?.code ?? '');
  const leader = userOf('leader');
  const secretary = userOf('secretary1');
  if (!work || !leader || !secretary) return;
  const problemId = await rect.insertProblem(tx, {
    tenantId,
    programId,
    source: 'self_inspection',
    categoryId: work,
    title: '深入基层调研不够经常',
    description: '班子成员联系基层党支部、下沉调研的频次和深度不够。',
    foundOn: `${year}-01-15`,
    createdBy: userOf('party'),
  });
  await rect.insertClaim(tx, { tenantId, problemId, userId: leader });
  await rect.insertMeasure(tx, { tenantId, problemId, title: '每名班子成员联系 1 个村党组织，每季度走访一次', ownerUserId: secretary, deadline: `${year}-12-31`, status: 'in_progress', percent: 40 });
}
