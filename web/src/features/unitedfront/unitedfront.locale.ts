import type { Catalogue } from '../../app/locales/catalogue';

/** United-front work: the messages of this area (zh-CN is the source, en typed against it). */
const zh = {
  title: '统战工作',
};

const en: Catalogue<typeof zh> = {
  title: 'United front',
};

export const unitedFrontLocale = { zh, en };
