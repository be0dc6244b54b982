import type { ReactNode } from 'react';
import {
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  CalendarOutlined,
  FlagOutlined,
  IdcardOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  TeamOutlined,
  TrophyOutlined,
  UserOutlined,
  SolutionOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import type { Permission } from '@tongxin/contracts';
import type { Messages } from './locales/zh-CN';

type MenuKey = keyof Messages['menu'];

export interface AreaPage {
  path: string;
  label: MenuKey;
  icon: ReactNode;
  /** required to see the menu item and open the page (one of them, when several); none = every signed-in user */
  permission?: Permission | readonly Permission[];
  /** not built yet: the route shows a "coming soon" page */
  placeholder?: boolean;
}

export interface AreaGroup {
  label: MenuKey;
  icon: ReactNode;
  children: AreaPage[];
}

export type AreaEntry = AreaPage | AreaGroup;

export function isGroup(e: AreaEntry): e is AreaGroup {
  return 'children' in e;
}

/** The side menu, in order. */
export const areas: AreaEntry[] = [
  {
    label: 'orgPeople',
    icon: <TeamOutlined />,
    children: [
      { path: '/org', label: 'org', icon: <ApartmentOutlined />, permission: 'org.read' },
      { path: '/people', label: 'people', icon: <UserOutlined />, permission: 'people.read' },
    ],
  },
  { path: '/activities', label: 'activities', icon: <CalendarOutlined />, permission: 'activities.read' },
  { path: '/activity-types', label: 'activityTypes', icon: <UnorderedListOutlined />, permission: 'activities.catalog' },
  { path: '/duties', label: 'duties', icon: <ScheduleOutlined />, permission: 'activities.read' },
  // members (activities.read) have "my points"; the other tabs follow points.read. The three
  // administrators hold neither, so their home stays their own page
  { path: '/points', label: 'points', icon: <TrophyOutlined />, permission: ['points.read', 'activities.read'] },
  { path: '/programs', label: 'programs', icon: <FlagOutlined />, permission: 'programs.read' },
  { path: '/united-front', label: 'unitedFront', icon: <SolutionOutlined />, permission: 'unitedfront.read' },
  { path: '/reports', label: 'reports', icon: <BarChartOutlined />, permission: 'reports.read' },
  { path: '/security', label: 'security', icon: <SafetyCertificateOutlined />, permission: 'security.manage' },
  // the system administrator manages accounts, the security administrator grants roles (after
  // the policy page, which stays the security administrator's home)
  { path: '/users', label: 'users', icon: <IdcardOutlined />, permission: ['users.manage', 'security.manage'] },
  { path: '/audit', label: 'audit', icon: <AuditOutlined />, permission: 'audit.read' },
];

export function allPages(): AreaPage[] {
  return areas.flatMap((e) => (isGroup(e) ? e.children : [e]));
}

export function visiblePages(permissions: readonly Permission[]): AreaPage[] {
  return allPages().filter((p) => allows(permissions, p.permission));
}

/** Whether a user with `permissions` may see a page that requires `required`. */
export function allows(permissions: readonly Permission[], required: AreaPage['permission']): boolean {
  if (!required) return true;
  return typeof required === 'string' ? permissions.includes(required) : required.some((p) => permissions.includes(p));
}
