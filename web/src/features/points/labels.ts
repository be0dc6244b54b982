import type { Entry } from '@tongxin/contracts';

/** Points with a sign and at most two decimals: +2, −2.5. */
export function signed(n: number): string {
  const s = Number.isInteger(n) ? String(Math.abs(n)) : Math.abs(n).toFixed(2).replace(/0$/, '');
  return n > 0 ? `+${s}` : n < 0 ? `−${s}` : '0';
}

export function formatTime(iso: string): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false })
    .format(new Date(iso))
    .replaceAll('/', '-');
}

/** What an entry is about: the activity, or the note of a manual entry or correction. */
export function entrySubject(e: Entry): string {
  return e.activityTopic ?? e.note ?? '';
}
