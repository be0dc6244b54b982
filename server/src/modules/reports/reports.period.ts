import type { Period } from '@tongxin/contracts';

/** Inclusive calendar days in Asia/Shanghai; SQL turns them into instants (see reports.repo.ts). */
export type DateRange = { from: string; to: string };

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

function monthRange(y: number, m1: number, m2: number): DateRange {
  return { from: `${y}-${pad(m1)}-01`, to: `${y}-${pad(m2)}-${pad(lastDay(y, m2))}` };
}

export function rangeOf(p: Period): DateRange {
  switch (p.kind) {
    case 'year':
      return monthRange(p.year, 1, 12);
    case 'quarter':
      return monthRange(p.year, p.quarter * 3 - 2, p.quarter * 3);
    case 'month':
      return monthRange(p.year, p.month, p.month);
    case 'range':
      return { from: p.from, to: p.to };
  }
}

function validDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * A placeholder's `period=` value, against the summary's own period:
 * year | quarter | month (the calendar one holding the summary's start), previous_year,
 * 2021, 2021-Q3, 2021-05, or 2021-01-01..2021-06-30. Returns an error message when bad.
 */
export function resolvePeriodArg(value: string, ctx: DateRange): DateRange | string {
  const [y, m] = ctx.from.split('-').map(Number) as [number, number];
  if (value === 'year') return monthRange(y, 1, 12);
  if (value === 'previous_year') return monthRange(y - 1, 1, 12);
  if (value === 'quarter') {
    const q = Math.ceil(m / 3);
    return monthRange(y, q * 3 - 2, q * 3);
  }
  if (value === 'month') return monthRange(y, m, m);
  let r: RegExpExecArray | null;
  if ((r = /^(\d{4})$/.exec(value))) return monthRange(Number(r[1]), 1, 12);
  if ((r = /^(\d{4})-Q([1-4])$/.exec(value))) return monthRange(Number(r[1]), Number(r[2]) * 3 - 2, Number(r[2]) * 3);
  if ((r = /^(\d{4})-(\d{2})$/.exec(value)) && Number(r[2]) >= 1 && Number(r[2]) <= 12) return monthRange(Number(r[1]), Number(r[2]), Number(r[2]));
  if ((r = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(value)) && r[1] && r[2] && validDate(r[1]) && validDate(r[2]) && r[1] <= r[2]) return { from: r[1], to: r[2] };
  return `bad period '${value}' (year, quarter, month, previous_year, 2021, 2021-Q3, 2021-05 or 2021-01-01..2021-06-30)`;
}
