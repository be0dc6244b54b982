import { describe, expect, it } from 'vitest';
import { filenameFrom, formatBytes } from './transfer';

describe('filenameFrom', () => {
  it('prefers the RFC 5987 UTF-8 name, so Chinese file names survive', () => {
    const header = `attachment; filename="people-20261123.xlsx"; filename*=UTF-8''%E4%BA%BA%E5%91%98%E5%90%8D%E5%8D%95-20261123.xlsx`;
    expect(filenameFrom(header, 'x.xlsx')).toBe('人员名单-20261123.xlsx');
  });
  it('falls back to the plain name, then to the default', () => {
    expect(filenameFrom('attachment; filename="a.xlsx"', 'x.xlsx')).toBe('a.xlsx');
    expect(filenameFrom(`attachment; filename*=UTF-8''%E4%ZZ`, 'x.xlsx')).toBe('x.xlsx');
    expect(filenameFrom(null, 'x.xlsx')).toBe('x.xlsx');
  });
});

describe('formatBytes', () => {
  it('scales', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2.0 KB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MB');
  });
});
