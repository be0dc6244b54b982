import { createHash } from 'node:crypto';
import type { Tx } from '../../platform/db/db';
import { insertMissingTemplates, upgradeUneditedTemplate } from './reports.repo';

/**
 * The templates every tenant starts with. The first has the shape of the reference report a
 * department writes by hand (docs: reference/model-organ-report): five tracks, three measures
 * each, every figure a placeholder. Codes are stable; a tenant edits the text freely.
 * Layout conventions the DOCX export reads: the first line is the title; a line starting
 * 一、 is a level-1 heading; （一） starts a level-2 heading (up to its first 。); 1. and (1)
 * are levels 3 and 4.
 */
export const defaultTemplates: { code: string; name: string; body: string }[] = [
  {
    code: 'model_organ',
    name: '模范机关建设工作总结',
    body: `模范机关建设工作总结
近年来，部机关坚持党建引领，主动服务大局，深入实施“五项行动”，扎实推进模范机关建设，现将有关情况总结如下。
一、实施思想政治引领行动，打造绝对忠诚的政治机关
（一）抓实理想信念教育。坚持每月召开理论学习中心组学习会、支部和党小组学习会，全年召开理论学习中心组学习会{{activities.count type=central_group_study}}次，开展现场教学{{activities.count type=field_teaching}}次，走访教学点{{activities.places type=field_teaching}}个。
（二）夯实共同思想政治基础。共举办培训班{{training.classes}}期，培训党外人士{{training.trainees party=none}}人次，不断凝聚思想共识，增进政治认同。
（三）落实意识形态工作责任制。加强意识形态阵地建设和管理，刊发宣传信息{{publicity.items}}条，联系服务统战成员{{unitedfront.contacts}}名，引导统战成员正面发声。
二、实施理论武装提升行动，打造理论扎实的学习机关
（一）召开会议集中学。共召开机关集体学习会议{{activities.count type=collective_study}}次，其中组织党史集中学习{{activities.count type=collective_study topic=党史}}次。
（二）线上线下自主学。机关党员干部利用线上学习平台自主学习，参加学习{{activities.people_times type=collective_study party=member}}人次。
（三）深入研讨交流学。开展学习交流研讨{{activities.count type=symposium}}次，召开理论学习中心组（扩大）会议{{activities.count type=central_group_study_extended}}次。
三、实施组织建设强化行动，打造基础牢固的先锋机关
（一）发挥机关党委统筹作用。向部务会议汇报党建工作{{activities.count topic=汇报党建}}次，召开党委委员会议{{activities.count type=branch_committee_meeting}}次，研究推进机关党建重点工作{{programs.items kind=key_task}}项。
（二）发挥党支部战斗堡垒作用。每月开展主题党日活动，全年{{activities.count type=theme_party_day}}次，实施“我为统战成员办实事”项目{{programs.items kind=service_project}}个。
（三）发挥党小组载体作用。坚持每月一次集体学习，召开党小组会{{activities.count type=party_group_meeting}}次。
四、实施改作风提效能行动，打造担当作为的实干机关
（一）坚持深入基层调研。走访调研联系村{{activities.count type=field_visit place_kind=village}}次，帮助协调解决问题{{problems.rectified source=research}}个。
（二）坚持为企纾困解难。实地走访民营企业{{enterprises.visited enterprise_type=private}}家，发放调查问卷{{feedback.responses}}份；走访台资企业{{enterprises.visited enterprise_type=taiwan_funded}}家，协调有关部门解决问题{{cases.resolved enterprise_type=taiwan_funded}}个。
（三）坚持服务中心大局。组织{{cases.raised category=项目签约 enterprise_type=taiwan_funded}}个台资、{{cases.raised category=项目签约 enterprise_type=overseas_chinese_funded}}个侨资项目参加签约活动。组织志愿服务{{activities.count type=volunteer_service}}次，参与志愿服务{{activities.people_times type=volunteer_service}}人次。
五、实施廉政防线筑牢行动，打造风清气正的廉洁机关
（一）强化主体责任。部务会先后{{activities.count topic=党风廉政}}次分析研判党风廉政建设重点工作。
（二）细化防控措施。全面排查廉政风险点，排查廉政风险点{{integrity.risks}}个，修订完善制度{{integrity.rules_revised}}项。
（三）深化警示教育。组织集中学习违纪违法案例，开展警示教育{{activities.count type=warning_education}}次。
通过扎实推进模范机关建设，实现党建工作与统战业务同频共振、互融共进。`,
  },
  {
    code: 'theme_education',
    name: '主题教育工作总结',
    body: `主题教育工作总结
按照主题教育部署要求，坚持学思用贯通、知信行统一，把理论学习、调查研究、检视问题、整改整治有机融合，现将有关情况总结如下。
一、理论学习
（一）集中学习。召开理论学习中心组学习会{{activities.count type=central_group_study,central_group_study_extended}}次，组织集体学习{{activities.count type=collective_study}}次，讲授专题党课{{activities.count type=party_lecture}}次。
（二）学习覆盖。党员参加学习{{activities.people_times type=central_group_study,collective_study,party_lecture party=member}}人次。
二、调查研究
（一）走访调研。开展走访调研{{activities.count type=field_visit}}次，走访基层点位{{activities.places type=field_visit}}个，召开座谈会{{activities.count type=symposium}}场。
（二）成果转化。通过调研发现问题{{problems.found source=research}}个。
三、检视问题
（一）征求意见。发放征求意见表{{feedback.responses}}份，共检视问题{{problems.found}}个。
（二）专题组织生活会。召开专题组织生活会{{activities.count type=organisational_life_meeting}}次。
四、整改整治
（一）整改措施。制定整改措施{{rectification.measures}}项。
（二）整改成效。已整改到位问题{{problems.rectified}}个。`,
  },
];

/**
 * SHA-256 (hex, of the UTF-8 body) of every body a seeded template was shipped with before.
 * A tenant's template still holding one of them was never edited: the seeder brings it to
 * the current body. An edited template is the tenant's own and is never touched.
 */
export const previousBodies: Record<string, string[]> = {
  model_organ: [
    '4b988de9b9dc7cc64135acfae17171767f5207939226a78bd84076c8bb60a2af',
    // before the projects signed (cases category 项目签约) and the Taiwan-funded enterprises' problems solved
    'a183313e646934f498617e9f8f74cbdd181ac89b943782dad11c5b29c888c6c1',
  ],
};

export const bodyHash = (body: string) => createHash('sha256').update(body, 'utf8').digest('hex');

export async function seedReportTemplates(tx: Tx, tenantId: string): Promise<void> {
  await insertMissingTemplates(
    tx,
    defaultTemplates.map((t) => ({ tenantId, code: t.code, name: t.name, body: t.body })),
  );
  for (const t of defaultTemplates) {
    const old = previousBodies[t.code];
    if (old?.length) await upgradeUneditedTemplate(tx, tenantId, t.code, t.body, old);
  }
}
