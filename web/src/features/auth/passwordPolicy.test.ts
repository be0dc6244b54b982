import { describe, expect, it } from 'vitest';
import { passwordProblem, serverProblem } from './passwordPolicy';

describe('passwordProblem', () => {
  it('follows the default policy: 10 characters, 3 of 4 classes, not containing the username', () => {
    expect(passwordProblem('Ab1!', 'zhang')).toBe('tooShort');
    expect(passwordProblem('abcdefghij1', 'zhang')).toBe('classes');
    expect(passwordProblem('Abcdefghij1', 'zhang')).toBeNull();
    expect(passwordProblem('Tongxin@2026', 'zhang')).toBeNull();
    expect(passwordProblem('Zhangsan12', 'zhangsan12')).toBe('containsUsername');
    expect(passwordProblem('My-Zhangsan-1', 'zhangsan')).toBe('containsUsername');
  });
  it('follows the tenant rules when given', () => {
    const strict = { minLength: 14, minClasses: 4, history: 5 };
    expect(passwordProblem('Tongxin@2026', 'zhang', strict)).toBe('tooShort');
    expect(passwordProblem('Tongxinabcd2026', 'zhang', strict)).toBe('classes');
    expect(passwordProblem('Tongxin@abc2026', 'zhang', strict)).toBeNull();
    const lax = { minLength: 8, minClasses: 1, history: 0 };
    expect(passwordProblem('abcdefgh', 'zhang', lax)).toBeNull();
    expect(passwordProblem('abcdefg', 'zhang', lax)).toBe('tooShort');
  });
});

describe('serverProblem', () => {
  it('reads the tenant policy out of the server codes', () => {
    expect(serverProblem({ problem: 'minLength:12' })).toEqual({ key: 'tooShort', min: 12 });
    expect(serverProblem({ problem: 'classes:4' })).toEqual({ key: 'classesAtLeast', n: 4 });
    expect(serverProblem({ problem: 'reused:5' })).toEqual({ key: 'reused', n: 5 });
    expect(serverProblem({ problem: 'containsUsername' })).toEqual({ key: 'containsUsername' });
    expect(serverProblem({ problem: 'sameAsCurrent' })).toEqual({ key: 'sameAsCurrent' });
  });
  it('gives null for what it does not know', () => {
    expect(serverProblem({ problem: 'minLength:' })).toBeNull();
    expect(serverProblem({ problem: 'minLength:x' })).toBeNull();
    expect(serverProblem({ problem: 'too weak' })).toBeNull();
    expect(serverProblem({ problem: '' })).toBeNull();
  });
});
