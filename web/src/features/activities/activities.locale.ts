import type { Catalogue } from '../../app/locales/catalogue';

/** Activities: catalogue, planning, attendance, QR sign-in, minutes: the messages of this area (zh-CN is the source, en typed against it). */
const zh = {
  title: '活动与组织生活',
};

const en: Catalogue<typeof zh> = {
  title: 'Activities',
};

export const activitiesLocale = { zh, en };
