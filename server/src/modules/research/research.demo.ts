import type { Tx } from '../../platform/db/db';
import { listUnits } from '../org/org.repo';
import { insertRisk, insertRule, insertRuleVersion } from '../integrity/integrity.repo';
import { insertItem } from '../publicity/publicity.repo';
import * as repo from './research.repo';

/**
 * The demo department's research topic (with the held visits and symposiums already seeded,
 * a suggestion and a recommendation), integrity risk points and rules, and publicity items,
 * so the united-front page's research, integrity and publicity tabs open on real-looking data.
 * Runs after the activities demo; adds nothing when the department has no leaders.
 */
export async function seedResearchIntegrityPublicityDemo(tx: Tx, tenantId: string): Promise<void> {
  const units = await listUnits(tx, tenantId, false);
  const office = (name: string) => units.find((u) => u.name === name)?.id;
  const { leaderIds, activityIds } = await repo.demoMaterial(tx, tenantId);
  const [lead, second, third] = leaderIds;
  const economy = office('经济联络科');
  const general = office('办公室');
  const publicity = office('宣传研究室');
  if (!lead || !economy || !general || !publicity) return;

  const topicId = await repo.insertTopic(tx, {
    tenantId,
    officeId: economy,
    title: '持续优化营商环境，构建亲清新型政商关系',
    leadPersonId: lead,
    plan: '一、走访民营企业和台资企业；二、召开企业家座谈会；三、发放调查问卷；四、形成调研报告并推动问题整改。',
    startsOn: '2026-03-01',
    endsOn: '2026-10-31',
  });
  await repo.replaceMembers(tx, tenantId, topicId, [second, third].filter((x): x is string => !!x));
  for (const id of activityIds) await repo.linkActivity(tx, tenantId, topicId, id);
  await repo.insertSuggestion(tx, { tenantId, topicId, content: '涉企审批事项较多，希望推行“一窗受理”', source: '民营企业家', receivedOn: '2026-05-12' });
  await repo.insertSuggestion(tx, { tenantId, topicId, content: '台资企业用工季节性紧张，希望搭建招聘对接平台', source: '市台协', receivedOn: '2026-06-03' });
  await repo.insertRecommendation(tx, { tenantId, topicId, content: '建立涉企问题首问负责制和限时办结制度' });

  const owner = second ?? lead;
  await insertRisk(tx, { tenantId, officeId: general, duty: '公务接待', risk: '超标准、超范围接待', level: 'high', controls: '事前审批、接待清单、公函制度', ownerPersonId: owner, reviewDueOn: '2026-12-31' });
  await insertRisk(tx, { tenantId, officeId: economy, duty: '服务企业', risk: '接受企业宴请或礼品礼金', level: 'medium', controls: '亲清政商交往负面清单、定期廉政提醒', ownerPersonId: lead, reviewDueOn: '2026-09-30' });
  for (const [title, adopted, revised] of [
    ['差旅费管理办法', '2019-03-01', '2026-03-15'],
    ['公务用车使用管理规定', '2018-06-01', '2026-04-20'],
    ['会议费管理办法', '2020-01-10', null],
  ] as const) {
    const ruleId = await insertRule(tx, { tenantId, officeId: general, title, currentVersion: revised ? 2 : 1 });
    await insertRuleVersion(tx, { tenantId, ruleId, versionNo: 1, revisedOn: adopted, summary: '首次制定' });
    if (revised) await insertRuleVersion(tx, { tenantId, ruleId, versionNo: 2, revisedOn: revised, summary: '按厉行节约要求修订完善' });
  }

  for (const [title, channel, outlet, publishedOn, adoptedLevel] of [
    ['多党合作服务发展大局', 'newspaper', '日报“统战之声”专栏', '2026-04-08', null],
    ['我市开展“贴心服务助台企”专项行动', 'website', '统战网', '2026-05-20', null],
    ['同心志愿服务队走进社区', 'wechat', '统战微信公众号', '2026-06-11', null],
    ['我市构建亲清新型政商关系的做法', 'report_to_higher', '报送省委统战部', '2026-07-02', 'provincial'],
  ] as const) {
    await insertItem(tx, { tenantId, officeId: publicity, title, channel, outlet, publishedOn, adoptedLevel });
  }
}
