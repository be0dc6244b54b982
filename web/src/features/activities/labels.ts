import type { ActivityStatus } from '@tongxin/contracts';

export const statusColors: Record<ActivityStatus, string> = { planned: 'blue', held: 'orange', recorded: 'green', cancelled: 'default' };
export const attendanceColors: Record<string, string> = { pending: 'default', present: 'green', leave: 'gold', absent: 'red' };

/** 2026-05-04 14:30 in the browser's zone (users are in China; the server stores UTC). */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
