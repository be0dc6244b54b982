import type { CreateActivityTypeRequest, FieldDef } from '@tongxin/contracts';
import type { Tx } from '../../platform/db/db';
import { insertMissingTypes } from './activities.repo';

type DefaultType = Omit<CreateActivityTypeRequest, 'fields' | 'unitTypes' | 'takesAttendance' | 'countsPersonTimes' | 'quorumRule' | 'sortOrder'> &
  Partial<Pick<CreateActivityTypeRequest, 'unitTypes' | 'takesAttendance' | 'countsPersonTimes' | 'quorumRule'>> & { fields?: FieldDef[] };

const hours: FieldDef = { key: 'hours', labelZh: '时长（小时）', labelEn: 'Hours', kind: 'number', required: true };

/**
 * The domain's activity types (docs/domain.md, Activities). Codes are stable: the duties
 * calendar's default rules and reports refer to them. A tenant may rename or retire them.
 */
export const defaultActivityTypes: DefaultType[] = [
  { code: 'branch_general_meeting', nameZh: '支部党员大会', nameEn: 'Branch general meeting', category: 'organisational_life', unitTypes: ['branch'], quorumRule: 'voting_members' },
  { code: 'branch_committee_meeting', nameZh: '支部委员会会议', nameEn: 'Branch committee meeting', category: 'organisational_life', unitTypes: ['branch'], quorumRule: 'committee' },
  { code: 'party_group_meeting', nameZh: '党小组会', nameEn: 'Party group meeting', category: 'organisational_life', unitTypes: ['party_group'] },
  { code: 'party_lecture', nameZh: '党课', nameEn: 'Party lecture', category: 'organisational_life', unitTypes: ['branch', 'party_committee', 'party_group'] },
  { code: 'theme_party_day', nameZh: '主题党日', nameEn: 'Theme Party day', category: 'organisational_life', unitTypes: ['branch', 'party_committee'] },
  { code: 'organisational_life_meeting', nameZh: '组织生活会', nameEn: 'Organisational life meeting', category: 'organisational_life', unitTypes: ['branch', 'party_committee'] },
  { code: 'member_appraisal', nameZh: '民主评议党员', nameEn: 'Democratic appraisal of members', category: 'organisational_life', unitTypes: ['branch'] },
  { code: 'central_group_study', nameZh: '理论学习中心组学习', nameEn: 'Central group study', category: 'study', unitTypes: ['department', 'party_committee'] },
  { code: 'central_group_study_extended', nameZh: '理论学习中心组学习（扩大）', nameEn: 'Central group study (extended)', category: 'study', unitTypes: ['department', 'party_committee'] },
  { code: 'collective_study', nameZh: '集体学习', nameEn: 'Collective study', category: 'study' },
  {
    code: 'field_teaching',
    nameZh: '现场教学',
    nameEn: 'On-site teaching',
    category: 'education',
    fields: [{ key: 'placeVisited', labelZh: '教学地点', labelEn: 'Place visited', kind: 'text', required: true }],
  },
  { code: 'warning_education', nameZh: '警示教育', nameEn: 'Warning education', category: 'education' },
  {
    code: 'training_class',
    nameZh: '培训班',
    nameEn: 'Training class',
    category: 'training',
    // the trainees' categories come from the contacts on the roster; a stated category stays optional
    fields: [{ key: 'traineeCategory', labelZh: '学员类别', labelEn: 'Trainee category', kind: 'text', required: false }, hours],
  },
  { code: 'symposium', nameZh: '座谈会/研讨会', nameEn: 'Symposium', category: 'meeting' },
  {
    code: 'field_visit',
    nameZh: '走访调研',
    nameEn: 'Field visit',
    category: 'visit',
    fields: [
      {
        key: 'placeKind',
        labelZh: '走访对象类型',
        labelEn: 'Kind of place',
        kind: 'select',
        required: true,
        options: [
          { value: 'district', labelZh: '区', labelEn: 'District' },
          { value: 'town', labelZh: '镇（街道）', labelEn: 'Town' },
          { value: 'enterprise', labelZh: '企业', labelEn: 'Enterprise' },
          { value: 'village', labelZh: '村（社区）', labelEn: 'Village' },
        ],
      },
      { key: 'placeName', labelZh: '走访对象名称', labelEn: 'Place name', kind: 'text', required: true },
    ],
  },
  { code: 'volunteer_service', nameZh: '志愿服务', nameEn: 'Volunteer service', category: 'volunteer', fields: [hours] },
];

/** Inserts the default types a tenant lacks (by code); never touches one it has. */
export async function seedActivityTypes(tx: Tx, tenantId: string): Promise<void> {
  await insertMissingTypes(
    tx,
    defaultActivityTypes.map((t, i) => ({
      tenantId,
      code: t.code,
      nameZh: t.nameZh,
      nameEn: t.nameEn,
      category: t.category,
      unitTypes: t.unitTypes ?? [],
      takesAttendance: t.takesAttendance ?? true,
      countsPersonTimes: t.countsPersonTimes ?? true,
      quorumRule: t.quorumRule ?? 'none',
      fields: t.fields ?? [],
      sortOrder: (i + 1) * 10,
    })),
  );
}
