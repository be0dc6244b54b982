import { z } from 'zod';
import { limits } from './limits';

export const IdSchema = z.uuid();
export const IdParamsSchema = z.object({ id: IdSchema });
export const VersionSchema = z.number().int().min(1);
export const DateSchema = z.iso.date();

export const PageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(limits.pageSizeMax).default(limits.pageSizeDefault),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}

export const OkSchema = z.object({ ok: z.literal(true) });
