import type { Dayjs } from 'dayjs';
import type { auditResults } from '@tongxin/contracts';
import type { Query } from '../../app/api';

export type AuditResult = (typeof auditResults)[number];

/** A RangePicker's value: either end may be open. */
export type TimeRange = [Dayjs | null, Dayjs | null] | null | undefined;

/** The filter form's values. */
export interface AuditFilterValues {
  range?: TimeRange;
  actor?: string;
  action?: string;
  result?: AuditResult;
  targetId?: string;
}

/**
 * The picked range as the API's `from` (inclusive) and `to` (exclusive), ISO 8601 with the
 * browser's UTC offset. The picker works in minutes, so the end minute is included whole:
 * 10:00–10:05 means from 10:00:00 up to, not including, 10:06:00.
 */
export function rangeToQuery(range: TimeRange): { from?: string; to?: string } {
  const [start, end] = range ?? [null, null];
  const out: { from?: string; to?: string } = {};
  if (start) out.from = start.second(0).millisecond(0).format();
  if (end) out.to = end.second(0).millisecond(0).add(1, 'minute').format();
  return out;
}

/** The list's and the export's query string (paging is added by the list). */
export function auditFiltersQuery(v: AuditFilterValues): Query {
  return {
    ...rangeToQuery(v.range),
    actor: v.actor?.trim() || undefined,
    action: v.action?.trim() || undefined,
    result: v.result,
    targetId: v.targetId?.trim() || undefined,
  };
}
