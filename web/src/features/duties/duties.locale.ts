import type { Catalogue } from '../../app/locales/catalogue';

/** Duties calendar, notifications (bell), calendar feed: the messages of this area (zh-CN is the source, en typed against it). */
const zh = {
  title: '组织生活提醒',
};

const en: Catalogue<typeof zh> = {
  title: 'Duties and reminders',
};

export const dutiesLocale = { zh, en };
