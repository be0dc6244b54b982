import { describe, expect, it } from 'vitest';
import { passwordProblem } from './passwordPolicy';

describe('passwordProblem', () => {
  it('follows the policy: 10 characters, 3 of 4 classes, not the username', () => {
    expect(passwordProblem('Ab1!', 'zhang')).toBe('tooShort');
    expect(passwordProblem('abcdefghij1', 'zhang')).toBe('classes');
    expect(passwordProblem('Abcdefghij1', 'zhang')).toBeNull();
    expect(passwordProblem('Tongxin@2026', 'zhang')).toBeNull();
    expect(passwordProblem('Zhangsan12', 'zhangsan12')).toBe('sameAsUsername');
  });
});
