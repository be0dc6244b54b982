import type { Executor } from '../../platform/db/db';
import { insertNotifications, type NotificationInsert, type NotificationRow } from './notifications.repo';

/**
 * A way of telling a user. The in-app channel is the notifications table itself (the bell),
 * so every notification is first stored; other channels then deliver the stored row.
 *
 * Email and webhook channels are not built yet. To add one, implement `deliver` (it must be
 * idempotent per `notification.id`, since a job may be retried) and add it to `extraChannels`;
 * the user's address or the tenant's webhook URL comes from that channel's own settings.
 */
export interface NotificationChannel {
  readonly name: string;
  deliver(notification: NotificationRow): Promise<void>;
}

/** Channels besides in-app. Empty for now: email and webhooks are an interface only. */
export const extraChannels: NotificationChannel[] = [];

/**
 * Stores notifications (in-app delivery), skipping any whose dedupe key the user already
 * has, then hands the new ones to the other channels. Returns how many were new.
 */
export async function notify(db: Executor, rows: NotificationInsert[], channels: NotificationChannel[] = extraChannels): Promise<NotificationRow[]> {
  const inserted = await insertNotifications(db, rows);
  for (const ch of channels) for (const n of inserted) await ch.deliver(n);
  return inserted;
}
