import { describe, expect, it } from 'vitest';
import { browserSummary, groupSecret, recoveryCodesFile } from './format';

describe('groupSecret', () => {
  it('groups the secret in fours', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    expect(groupSecret('ABCDEF')).toBe('ABCD EF');
    expect(groupSecret('')).toBe('');
  });
});

describe('recoveryCodesFile', () => {
  it('puts one code per line after the header', () => {
    expect(recoveryCodesFile('h', ['a1b2c-3d4e5', 'f6a7b-8c9d0'])).toBe('h\r\n\r\na1b2c-3d4e5\r\nf6a7b-8c9d0\r\n');
  });
});

describe('browserSummary', () => {
  it('names common browsers and systems', () => {
    expect(
      browserSummary('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36'),
    ).toEqual({ browser: 'Chrome 141', os: 'Windows' });
    expect(
      browserSummary(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36 Edg/141.0.0.0',
      ),
    ).toEqual({ browser: 'Edge 141', os: 'Windows' });
    expect(browserSummary('Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0')).toEqual({
      browser: 'Firefox 140',
      os: 'Linux',
    });
    expect(
      browserSummary(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1',
      ),
    ).toEqual({ browser: 'Safari 18', os: 'iOS' });
    expect(
      browserSummary('Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36 MicroMessenger/8.0.50'),
    ).toEqual({ browser: '微信 8', os: 'Android' });
  });
  it('gives nulls for what it does not know', () => {
    expect(browserSummary(null)).toEqual({ browser: null, os: null });
    expect(browserSummary('Playwright/1.65 (+https://playwright.dev)')).toEqual({ browser: null, os: null });
    expect(browserSummary('curl/8.5.0')).toEqual({ browser: null, os: null });
  });
});
