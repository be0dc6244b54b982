import type { Permission } from '@tongxin/contracts';

/** Built-in roles every tenant starts with; tenants may add their own rows to `roles`. */
export const builtinRoles: { code: string; name: string; permissions: Permission[] }[] = [
  {
    code: 'sys_admin',
    name: '系统管理员',
    permissions: ['org.read', 'org.write', 'people.read', 'people.write', 'people.import', 'people.export', 'users.manage'],
  },
  { code: 'security_admin', name: '安全管理员', permissions: ['security.manage'] },
  { code: 'audit_admin', name: '审计管理员', permissions: ['audit.read'] },
  { code: 'dept_leader', name: '部领导', permissions: ['org.read', 'people.read', 'people.export'] },
  {
    code: 'party_staff',
    name: '机关党委工作人员',
    permissions: ['org.read', 'org.write', 'people.read', 'people.write', 'people.reveal', 'people.import', 'people.export'],
  },
  { code: 'branch_secretary', name: '支部书记', permissions: ['org.read', 'people.read', 'people.write', 'people.reveal'] },
  { code: 'office_staff', name: '科室工作人员', permissions: ['org.read', 'people.read'] },
  { code: 'member', name: '党员', permissions: ['org.read'] },
];
