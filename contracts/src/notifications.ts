// Request and response schemas of the notifications area, shared by the server and the web.
import { z } from 'zod';
import { IdSchema } from './common';
import { limits } from './limits';

export const NotificationSchema = z.object({
  id: IdSchema,
  kind: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  link: z.string().nullable(),
  readAt: z.string().nullable(),
  createdAt: z.string(),
});
export type AppNotification = z.infer<typeof NotificationSchema>;

export const NotificationListQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(limits.pageSizeMax).default(10),
  unread: z.enum(['true', 'false']).optional().transform((v) => (v === undefined ? undefined : v === 'true')),
});
export type NotificationListQuery = z.infer<typeof NotificationListQuerySchema>;

export const UnreadCountSchema = z.object({ unread: z.number().int() });

/** The private calendar (ICS) URL; the token is shown only here and stored as a hash. */
export const CalendarFeedSchema = z.object({ url: z.string(), path: z.string() });
export type CalendarFeed = z.infer<typeof CalendarFeedSchema>;

/** The user's own channels: email besides the bell, when the installation sends email. */
export const NotificationSettingsSchema = z.object({
  email: z.string().nullable(),
  emailEnabled: z.boolean(),
  /** false when the installation has no SMTP server configured: email cannot be turned on */
  emailAvailable: z.boolean(),
});
export type NotificationSettings = z.infer<typeof NotificationSettingsSchema>;

export const NotificationSettingsInputSchema = z
  .object({
    email: z
      .string()
      .trim()
      .max(254)
      .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'email')
      .nullable(),
    emailEnabled: z.boolean(),
  })
  .strict()
  .refine((v) => !v.emailEnabled || v.email !== null, { path: ['email'], message: 'required' });
export type NotificationSettingsInput = z.infer<typeof NotificationSettingsInputSchema>;
