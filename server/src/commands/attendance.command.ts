import type { Tx } from '../platform/db/db';
import { assertEditable, syncActivity } from '../modules/points/points.service';

/**
 * What must happen around a change of an activity's attendance, across areas. The activities
 * service calls these inside its transaction.
 */

/**
 * Refuses (PERIOD_CLOSED) a change to a recorded activity (at startsAt) when a participant's
 * branch, or a branch its points were booked in, has closed that month (its points notice was
 * closed): a closed period's figures never change. Closing is per branch, so give the
 * activity's id for this early check; without it only the ledger sync (afterAttendanceChanged)
 * refuses, which it always does for a write into a closed month. Corrections then go in as
 * adjustments in the open period (points area).
 */
export async function assertActivityEditable(tx: Tx, tenantId: string, startsAt: Date, activityId?: string): Promise<void> {
  await assertEditable(tx, tenantId, startsAt, activityId);
}

/** After attendance of an activity was recorded or corrected: append the ledger's differences. */
export async function afterAttendanceChanged(tx: Tx, tenantId: string, activityId: string): Promise<void> {
  await syncActivity(tx, tenantId, activityId);
}
