import { errorMessages, type ErrorCode } from '@tongxin/contracts';

export type Lang = 'zh-CN' | 'en';

/** zh-CN unless the client prefers English. */
export function langOf(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh-CN';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}

export function messageOf(code: ErrorCode, lang: Lang): string {
  return errorMessages[lang][code];
}
