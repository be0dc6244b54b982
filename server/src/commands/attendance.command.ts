import type { Tx } from '../platform/db/db';

/**
 * What must happen around a change of an activity's attendance, across areas. The activities
 * service calls these inside its transaction; the points area fills them in (issue 5).
 */

/** Refuses (PERIOD_CLOSED) a change to an activity whose date falls in a closed points period. */
export async function assertActivityEditable(_tx: Tx, _tenantId: string, _startsAt: Date): Promise<void> {
  // no period can be closed until the points area exists
}

/** After attendance of an activity was recorded or corrected: bring derived ledgers up to date. */
export async function afterAttendanceChanged(_tx: Tx, _tenantId: string, _activityId: string): Promise<void> {
  // the points ledger hooks in here
}
