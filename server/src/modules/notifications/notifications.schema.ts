import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, timestamp, uuid, uniqueIndex } from 'drizzle-orm/pg-core';
import { tenants } from '../org/org.schema';
import { users } from '../auth/auth.schema';

/** In-app notifications (the bell). Other channels (email, webhooks) deliver the same rows. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** e.g. 'activity.reminder', 'duty.due', 'rectification.overdue' */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body'),
    /** an in-app path to open, e.g. '/activities/…' */
    link: text('link'),
    /** the same reminder is never sent twice: kind + subject + period */
    dedupeKey: text('dedupe_key'),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.createdAt),
    uniqueIndex('notifications_user_dedupe_idx').on(t.userId, t.dedupeKey).where(sql`${t.dedupeKey} is not null`),
    check('notifications_title_check', sql`length(${t.title}) between 1 and 200`),
    check('notifications_link_check', sql`${t.link} is null or ${t.link} ~ '^/[^/]'`),
  ],
);

/**
 * A user's own choice of channels: for now an email address for notifications by email.
 * One row per user, written by that user only; none means "in-app only".
 */
export const notificationSettings = pgTable(
  'notification_settings',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    email: text('email'),
    emailEnabled: boolean('email_enabled').notNull().default(false),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('notification_settings_email_check', sql`${t.email} is null or (length(${t.email}) <= 254 and ${t.email} ~ '^[^@[:space:]]+@[^@[:space:]]+[.][^@[:space:]]+$')`),
    check('notification_settings_enabled_check', sql`not ${t.emailEnabled} or ${t.email} is not null`),
    index('notification_settings_tenant_idx').on(t.tenantId),
  ],
);
