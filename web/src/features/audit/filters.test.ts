import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import { AuditExportQuerySchema, AuditQuerySchema } from '@tongxin/contracts';
import { auditFiltersQuery, rangeToQuery } from './filters';

const isoWithOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

describe('rangeToQuery', () => {
  it('sends local minutes as ISO with the offset, the end minute included (exclusive `to`)', () => {
    const start = dayjs(new Date(2026, 2, 1, 9, 30, 42, 123));
    const end = dayjs(new Date(2026, 2, 1, 10, 5, 59, 999));
    const { from, to } = rangeToQuery([start, end]);
    expect(from).toMatch(isoWithOffset);
    expect(to).toMatch(isoWithOffset);
    expect(new Date(from ?? '').getTime()).toBe(new Date(2026, 2, 1, 9, 30).getTime());
    expect(new Date(to ?? '').getTime()).toBe(new Date(2026, 2, 1, 10, 6).getTime());
  });
  it('a day picked as "today" ends at the next midnight', () => {
    const day = dayjs(new Date(2026, 11, 31, 15, 0));
    const { from, to } = rangeToQuery([day.startOf('day'), day.endOf('day')]);
    expect(new Date(from ?? '').getTime()).toBe(new Date(2026, 11, 31).getTime());
    expect(new Date(to ?? '').getTime()).toBe(new Date(2027, 0, 1).getTime());
  });
  it('leaves open ends out', () => {
    const t = dayjs(new Date(2026, 0, 1, 8, 0));
    expect(rangeToQuery(undefined)).toEqual({});
    expect(rangeToQuery(null)).toEqual({});
    expect(Object.keys(rangeToQuery([t, null]))).toEqual(['from']);
    expect(Object.keys(rangeToQuery([null, t]))).toEqual(['to']);
  });
});

describe('auditFiltersQuery', () => {
  it('trims text, drops blanks, and is accepted by the server schemas', () => {
    const q = auditFiltersQuery({
      range: [dayjs(new Date(2026, 0, 1, 0, 0)), dayjs(new Date(2026, 0, 2, 23, 59))],
      actor: ' party ',
      action: 'people.',
      result: 'ok',
      targetId: '  ',
    });
    expect(q).toMatchObject({ actor: 'party', action: 'people.', result: 'ok', targetId: undefined });
    expect(AuditQuerySchema.safeParse({ ...q, page: '1', pageSize: '20' }).success).toBe(true);
    expect(AuditExportQuerySchema.safeParse(q).success).toBe(true);
    expect(auditFiltersQuery({})).toEqual({ actor: undefined, action: undefined, result: undefined, targetId: undefined });
  });
});
