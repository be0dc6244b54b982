import type { Catalogue } from '../../app/locales/catalogue';

/** Member points: the messages of this area (zh-CN is the source, en typed against it). */
const zh = {
  title: '党员积分',
};

const en: Catalogue<typeof zh> = {
  title: 'Member points',
};

export const pointsLocale = { zh, en };
