import type PgBoss from 'pg-boss';
import type { NotificationChannel } from './notifications.channels';

/** A job of a delivery queue: the notification to read back and deliver. */
export type DeliveryJob = { tenantId: string; notificationId: string };

export type DeliveryOutcome = { status: 'sent'; detail: string } | { status: 'skipped'; reason: string };

export type QueuedChannelOptions = {
  /** the channel's name in logs, e.g. 'webhook' */
  name: string;
  /** its pg-boss queue, e.g. 'notification-webhook' */
  queue: string;
  retryLimit: number;
  retryDelaySeconds: number;
  /** delivers one notification; throws on failure so pg-boss retries the job */
  deliver: (job: DeliveryJob) => Promise<DeliveryOutcome>;
  log: (message: string) => void;
  timeoutMs: number;
  pollingIntervalSeconds?: number;
};

/**
 * A channel that delivers through a pg-boss queue, one job per notification:
 * - `deliver` (the channel side) runs in the transaction that stored the notification, so
 *   it only queues; the job reads the row back once committed (a rolled-back one is never
 *   found, so never sent). The job id is the notification id: handing a row over twice
 *   queues one job. A batch is queued in one statement.
 * - the worker retries a failed attempt with exponential backoff; every failure is logged
 *   with its number, the last one saying it is given up. The in-app notification stays.
 */
export async function startQueuedChannel(boss: PgBoss, o: QueuedChannelOptions): Promise<NotificationChannel> {
  await boss.createQueue(o.queue);
  await boss.work<DeliveryJob>(o.queue, { includeMetadata: true, pollingIntervalSeconds: o.pollingIntervalSeconds ?? 2 }, async (jobs) => {
    for (const job of jobs) {
      try {
        // a skip (no address, recipient deactivated) is the ordinary case for email: not logged
        await o.deliver(job.data);
      } catch (e) {
        const last = job.retryCount >= job.retryLimit;
        o.log(
          `${o.name}: notification ${job.data.notificationId} attempt ${job.retryCount + 1}/${job.retryLimit + 1} failed: ${describeFailure(e, o.timeoutMs)}${last ? '; given up' : '; will retry'}`,
        );
        throw e;
      }
    }
  });
  return {
    name: o.name,
    deliver: async (rows) => {
      // one statement for the whole batch; an id already queued is skipped (ON CONFLICT DO NOTHING)
      await boss.insert(
        rows.map((n) => ({
          id: n.id,
          name: o.queue,
          data: { tenantId: n.tenantId, notificationId: n.id } satisfies DeliveryJob,
          // a moment for the storing transaction to commit; if it has not, the retry finds it
          startAfter: '2 seconds',
          retryLimit: o.retryLimit,
          retryDelay: o.retryDelaySeconds,
          retryBackoff: true,
        })),
      );
    },
  };
}

/** A log line's reason: fetch reports a refused connection as "fetch failed" with the cause inside. */
function describeFailure(e: unknown, timeoutMs: number): string {
  if (!(e instanceof Error)) return String(e);
  if (e.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  const cause = e.cause instanceof Error ? `: ${e.cause.message}` : '';
  return `${e.message}${cause}`;
}
