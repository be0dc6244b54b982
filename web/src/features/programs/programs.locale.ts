import type { Catalogue } from '../../app/locales/catalogue';

/** Programs, feedback, problems and rectification: the messages of this area (zh-CN is the source, en typed against it). */
const zh = {
  title: '方案与整改',
};

const en: Catalogue<typeof zh> = {
  title: 'Programs and rectification',
};

export const programsLocale = { zh, en };
