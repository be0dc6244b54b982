import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { orgUnits, tenants } from '../org/org.schema';

/** An item published or submitted (宣传/信息): channel, date, link, and the level that adopted it. */
export const publicityItems = pgTable(
  'publicity_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    officeId: uuid('office_id').notNull().references(() => orgUnits.id),
    title: text('title').notNull(),
    channel: text('channel').notNull(),
    /** newspaper or website name, column… */
    outlet: text('outlet'),
    publishedOn: date('published_on', { mode: 'string' }).notNull(),
    link: text('link'),
    adoptedLevel: text('adopted_level'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('publicity_items_title_check', sql`length(${t.title}) between 1 and 200`),
    check('publicity_items_channel_check', sql`${t.channel} in ('newspaper','website','wechat','report_to_higher','other')`),
    check('publicity_items_level_check', sql`${t.adoptedLevel} is null or ${t.adoptedLevel} in ('district','city','provincial','national')`),
    check('publicity_items_link_check', sql`${t.link} is null or ${t.link} ~ '^https?://'`),
    index('publicity_items_tenant_date_idx').on(t.tenantId, t.publishedOn),
  ],
);
