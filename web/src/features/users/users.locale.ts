import type { Catalogue } from '../../app/locales/catalogue';

/** User accounts and role grants: the messages of this area (zh-CN is the source, en typed against it). */
const zh = {
  title: '用户与权限',
};

const en: Catalogue<typeof zh> = {
  title: 'Users and roles',
};

export const usersLocale = { zh, en };
