import type { Db } from '../../platform/db/db';
import { inTenant } from '../../platform/db/tenant';
import { notify } from '../notifications/notifications.channels';
import { listTenantIds } from '../notifications/notifications.repo';
import * as repo from './rectification.repo';
import { dueWindow } from './rectification.service';

/**
 * Overdue measures: their owners and the program's owner hear of it (in the app and on the configured channels). A job
 * handler taking (db, now), for a daily schedule. Each measure is announced once per
 * deadline (the dedupe key names it), so running twice a day sends nothing new, and a
 * new deadline that passes again is announced again. Returns the notifications created.
 */
export async function notifyOverdueMeasures(db: Db, now: Date): Promise<number> {
  const { today } = dueWindow(now);
  let created = 0;
  for (const tenantId of await listTenantIds(db)) {
    created += await inTenant(db, tenantId, async (tx) => {
      const rows = await repo.overdueMeasures(tx, tenantId, today);
      const notes = rows.flatMap((m) =>
        [...new Set([m.ownerUserId, m.programOwnerUserId].filter((u): u is string => u !== null))].map((userId) => ({
          tenantId,
          userId,
          kind: 'rectification.overdue',
          title: `整改措施已逾期：${m.title}`.slice(0, 200),
          body: `问题“${m.problemTitle}”的整改措施应于 ${m.deadline} 完成，尚未销号。`,
          link: `/programs/problems/${m.problemId}`,
          dedupeKey: `rectification.overdue:${m.id}:${m.deadline}`,
        })),
      );
      // through notify(), so the webhook and email channels hear of it too, not only the bell
      return (await notify(tx, notes)).length;
    });
  }
  return created;
}
