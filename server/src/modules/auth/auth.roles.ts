import type { Permission } from '@tongxin/contracts';

const readWork: Permission[] = ['activities.read', 'points.read', 'programs.read', 'feedback.read', 'rectification.read', 'unitedfront.read', 'reports.read'];

/**
 * Built-in roles every tenant starts with; tenants may add their own rows to `roles`.
 * Migrations that add permissions extend the stored rows of these codes too (see 0011).
 */
export const builtinRoles: { code: string; name: string; permissions: Permission[] }[] = [
  {
    code: 'sys_admin',
    name: '系统管理员',
    permissions: ['org.read', 'org.write', 'people.read', 'people.write', 'people.import', 'people.export', 'users.manage', 'activities.catalog'],
  },
  { code: 'security_admin', name: '安全管理员', permissions: ['security.manage'] },
  { code: 'audit_admin', name: '审计管理员', permissions: ['audit.read'] },
  {
    code: 'dept_leader',
    name: '部领导',
    permissions: ['org.read', 'people.read', 'people.export', ...readWork, 'rectification.write', 'rectification.verify', 'reports.write'],
  },
  {
    code: 'party_staff',
    name: '机关党委工作人员',
    permissions: [
      'org.read',
      'org.write',
      'people.read',
      'people.write',
      'people.reveal',
      'people.import',
      'people.export',
      ...readWork,
      'activities.write',
      'activities.catalog',
      'points.manage',
      'points.approve',
      'points.rules',
      'programs.write',
      'feedback.manage',
      'rectification.write',
      'rectification.verify',
      'unitedfront.write',
      'unitedfront.import',
      'unitedfront.export',
      'unitedfront.reveal',
      'reports.write',
    ],
  },
  {
    code: 'branch_secretary',
    name: '支部书记',
    permissions: ['org.read', 'people.read', 'people.write', 'people.reveal', ...readWork, 'activities.write', 'points.manage', 'rectification.write'],
  },
  {
    code: 'office_staff',
    name: '科室工作人员',
    permissions: ['org.read', 'people.read', ...readWork, 'activities.write', 'programs.write', 'feedback.manage', 'rectification.write', 'unitedfront.write'],
  },
  {
    // united-front staff: the contacts registry and enterprises across the department; they
    // also run training classes for people outside the Party and visit enterprises (activities),
    // and turn their research recommendations into rectification measures (rectification.write)
    code: 'uf_staff',
    name: '统战工作人员',
    permissions: ['org.read', ...readWork, 'activities.write', 'rectification.write', 'unitedfront.write', 'unitedfront.import', 'unitedfront.export', 'unitedfront.reveal'],
  },
  {
    // 党小组组长: granted on the group's unit; plans the group's meetings and hears of its duties
    code: 'group_leader',
    name: '党小组组长',
    permissions: ['org.read', 'people.read', 'activities.read', 'activities.write'],
  },
  { code: 'member', name: '党员', permissions: ['org.read', 'activities.read'] },
];
