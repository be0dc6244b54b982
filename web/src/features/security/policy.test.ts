import { describe, expect, it } from 'vitest';
import { lockoutFields, passwordFields, policyFields, policyRange, warnDaysProblem } from './policy';

describe('policyRange', () => {
  it('reads every field range from the contract', () => {
    expect(policyRange('passwordMinLength')).toEqual({ min: 8, max: 128 });
    expect(policyRange('passwordMinClasses')).toEqual({ min: 1, max: 4 });
    expect(policyRange('passwordHistory')).toEqual({ min: 0, max: 24 });
    expect(policyRange('passwordMaxAgeDays')).toEqual({ min: 0, max: 3650 });
    expect(policyRange('passwordWarnDays')).toEqual({ min: 0, max: 90 });
    expect(policyRange('lockoutThreshold')).toEqual({ min: 1, max: 100 });
    expect(policyRange('lockoutMinutes')).toEqual({ min: 1, max: 1440 });
  });
  it('the form lists every field once', () => {
    expect(new Set(policyFields).size).toBe(7);
    expect(policyFields).toEqual([...passwordFields, ...lockoutFields]);
  });
});

describe('warnDaysProblem', () => {
  it('warn days must stay below the max age, unless passwords never expire', () => {
    expect(warnDaysProblem(90, 7)).toBeNull();
    expect(warnDaysProblem(90, 89)).toBeNull();
    expect(warnDaysProblem(30, 30)).toBe(30);
    expect(warnDaysProblem(10, 14)).toBe(10);
    expect(warnDaysProblem(0, 14)).toBeNull();
    expect(warnDaysProblem(null, 14)).toBeNull();
    expect(warnDaysProblem(30, undefined)).toBeNull();
  });
});
