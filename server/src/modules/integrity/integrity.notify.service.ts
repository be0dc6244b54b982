import type { Db } from '../../platform/db/db';
import { inTenant } from '../../platform/db/tenant';
import { notify } from '../notifications/notifications.channels';
import { listTenantIds, overdueRiskReviews } from '../notifications/notifications.repo';

/** The Shanghai calendar date of an instant, as YYYY-MM-DD. */
export function shanghaiDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * Job (daily): owners of integrity risk points whose review date has passed hear of it in
 * the app, every day until the review is recorded (recording it moves the review date on).
 * The dedupe key names the point and the Shanghai day, so a rerun on the same day sends
 * nothing new. Returns the notifications created.
 */
export async function notifyOverdueRiskReviews(db: Db, now: Date): Promise<number> {
  const today = shanghaiDate(now);
  let created = 0;
  for (const tenantId of await listTenantIds(db)) {
    created += await inTenant(db, tenantId, async (tx) => {
      const rows = await overdueRiskReviews(tx, tenantId, today);
      const notes = rows.map((r) => ({
        tenantId,
        userId: r.userId,
        kind: 'integrity.review_overdue',
        title: `廉政风险点复核已逾期：${r.duty}`.slice(0, 200),
        body: `${r.officeName}的风险点“${r.risk}”应于 ${r.reviewDueOn} 前复核，尚未复核。`.slice(0, 2000),
        // the united-front page (its integrity tab: the page may honour ?tab=)
        link: '/united-front?tab=integrity',
        dedupeKey: `integrity.review_overdue:${r.riskId}:${today}`,
      }));
      return (await notify(tx, notes)).length;
    });
  }
  return created;
}
