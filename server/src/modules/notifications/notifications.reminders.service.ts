import type { Db } from '../../platform/db/db';
import { inTenant } from '../../platform/db/tenant';
import { notify } from './notifications.channels';
import { listTenantIds, participantsStartingBetween } from './notifications.repo';

const SHANGHAI_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** Shanghai midnight starting the day after `now`'s Shanghai date. */
export function shanghaiTomorrow(now: Date): { from: Date; to: Date } {
  const local = now.getTime() + SHANGHAI_MS;
  const from = new Date(Math.floor(local / DAY_MS) * DAY_MS + DAY_MS - SHANGHAI_MS);
  return { from, to: new Date(from.getTime() + DAY_MS) };
}

function formatShanghai(at: Date): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(at);
}

/**
 * Job: the day before an activity (Shanghai calendar), tell each expected participant who
 * has a user account. The dedupe key makes reruns (the job runs hourly) send nothing twice.
 * Returns how many notifications were new.
 */
export async function remindActivityParticipants(db: Db, now: Date): Promise<number> {
  const { from, to } = shanghaiTomorrow(now);
  let sent = 0;
  for (const tenantId of await listTenantIds(db)) {
    sent += await inTenant(db, tenantId, async (tx) => {
      const rows = await participantsStartingBetween(tx, tenantId, from, to);
      const inserted = await notify(
        tx,
        rows.map((r) => ({
          tenantId,
          userId: r.userId,
          kind: 'activity.reminder',
          title: `明日活动：${r.topic}`.slice(0, 200),
          body: `${formatShanghai(r.startsAt)}${r.place ? ` · ${r.place}` : ''}`,
          link: `/activities/${r.activityId}`,
          dedupeKey: `activity.reminder:${r.activityId}`,
        })),
      );
      return inserted.length;
    });
  }
  return sent;
}
