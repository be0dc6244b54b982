import { describe, expect, it } from 'vitest';
import { commonHeaders, errorFromBody, queryString } from './api';

describe('errorFromBody', () => {
  it('keeps the code, the localised message and the details of an API error', () => {
    const e = errorFromBody(
      422,
      { error: { code: 'IMPORT_INVALID', message: '导入文件有错误', details: [{ row: 3, column: '手机号码', problem: '应为 11 位' }] } },
      'fallback',
    );
    expect(e.status).toBe(422);
    expect(e.code).toBe('IMPORT_INVALID');
    expect(e.message).toBe('导入文件有错误');
    expect(e.details).toEqual([{ path: undefined, row: 3, column: '手机号码', problem: '应为 11 位' }]);
  });
  it('turns anything else (a proxy page, an unknown code) into a generic error', () => {
    expect(errorFromBody(502, '<html>', '502 Bad Gateway').code).toBe('INTERNAL');
    expect(errorFromBody(400, { error: { code: 'NOPE', message: 'x' } }, '400').code).toBe('VALIDATION_FAILED');
  });
});

describe('queryString', () => {
  it('drops empty values', () => {
    expect(queryString({ q: '张', unitId: undefined, page: 2, isLeader: '', active: 'all' })).toBe(
      '?q=%E5%BC%A0&page=2&active=all',
    );
    expect(queryString({})).toBe('');
  });
});

describe('commonHeaders', () => {
  it('adds the CSRF header to unsafe methods only', () => {
    expect(commonHeaders('GET')['X-Requested-With']).toBeUndefined();
    expect(commonHeaders('POST')['X-Requested-With']).toBe('tongxin');
    expect(commonHeaders('PATCH')['X-Requested-With']).toBe('tongxin');
    expect(commonHeaders('PUT')['X-Requested-With']).toBe('tongxin');
    expect(commonHeaders('GET')['Accept-Language']).toBe('zh-CN');
  });
});
