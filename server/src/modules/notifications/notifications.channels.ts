import type { Executor } from '../../platform/db/db';
import { insertNotifications, type NotificationInsert, type NotificationRow } from './notifications.repo';

/**
 * A way of telling a user. The in-app channel is the notifications table itself (the bell),
 * so every notification is first stored; other channels then deliver the stored row.
 *
 * `deliver` runs inside the transaction that stored the rows, so it must only hand them
 * on (e.g. queue a job per row that reads it back once committed) and be idempotent per
 * `notification.id`. The webhook channel (notifications.webhook.service.ts) is one; email
 * is not built: users have no address on record yet.
 */
export interface NotificationChannel {
  readonly name: string;
  /** the rows one `notify` call stored (one reminder run of a tenant: possibly many), in one go */
  deliver(notifications: NotificationRow[]): Promise<void>;
}

/** Channels besides in-app, set once at start-up from the configuration (empty in tests and without WEBHOOK_URL). */
let extraChannels: NotificationChannel[] = [];
let logFailure: (message: string) => void = (m) => console.warn(m);

export function setExtraChannels(channels: NotificationChannel[], log: (message: string) => void = logFailure): void {
  extraChannels = channels;
  logFailure = log;
}

/**
 * Stores notifications (in-app delivery), skipping any whose dedupe key the user already
 * has, then hands the new ones to the other channels. A channel that fails is logged and
 * passed over: the in-app notification is kept whatever happens to the others. Returns
 * the rows that were new.
 */
export async function notify(db: Executor, rows: NotificationInsert[], channels: NotificationChannel[] = extraChannels): Promise<NotificationRow[]> {
  const inserted = await insertNotifications(db, rows);
  if (inserted.length === 0) return inserted;
  for (const ch of channels) {
    try {
      await ch.deliver(inserted);
    } catch (e) {
      logFailure(`notifications: channel ${ch.name} could not take ${inserted.length} notification(s) (${inserted[0]?.id ?? ''}…): ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return inserted;
}
