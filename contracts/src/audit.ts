import { z } from 'zod';
import { limits } from './limits';

export const auditResults = ['ok', 'denied', 'failed'] as const;

export const AuditQuerySchema = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  actor: z.string().trim().max(limits.usernameMax).optional(),
  /** prefix match: `people.` finds every people action */
  action: z.string().trim().max(64).optional(),
  result: z.enum(auditResults).optional(),
  targetId: z.string().trim().max(64).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(limits.pageSizeMax).default(limits.pageSizeDefault),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;
export const AuditExportQuerySchema = AuditQuerySchema.omit({ page: true, pageSize: true });

export const AuditEntrySchema = z.object({
  id: z.number().int(),
  at: z.iso.datetime({ offset: true }),
  actorName: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  result: z.enum(auditResults),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditVerifySchema = z.object({
  checked: z.number().int(),
  breaks: z.array(z.object({ id: z.number().int(), reason: z.enum(['hash_mismatch', 'prev_link_broken']) })),
  /** earlier entries moved to signed archive files (`tongxin audit-archive`); the chain continues from each */
  archives: z.array(
    z.object({
      entries: z.number().int(),
      before: z.iso.datetime({ offset: true }),
      archivedAt: z.iso.datetime({ offset: true }),
      fileName: z.string(),
      fileSha256: z.string(),
    }),
  ),
});
