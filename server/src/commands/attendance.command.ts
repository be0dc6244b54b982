import type { Tx } from '../platform/db/db';
import { assertEditable, syncActivity } from '../modules/points/points.service';

/**
 * What must happen around a change of an activity's attendance, across areas. The activities
 * service calls these inside its transaction.
 */

/**
 * Refuses (PERIOD_CLOSED) a change to an activity whose date falls in a quarter that a
 * branch of the tenant has closed (its points notice was closed): a closed period's figures
 * never change. Corrections then go in as adjustments in the open period (points area).
 */
export async function assertActivityEditable(tx: Tx, tenantId: string, startsAt: Date): Promise<void> {
  await assertEditable(tx, tenantId, startsAt);
}

/** After attendance of an activity was recorded or corrected: append the ledger's differences. */
export async function afterAttendanceChanged(tx: Tx, tenantId: string, activityId: string): Promise<void> {
  await syncActivity(tx, tenantId, activityId);
}
