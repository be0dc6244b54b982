import { describe, expect, it } from 'vitest';
import { ApiError } from '../../app/api';
import { allows } from '../../app/areas';
import { homeOf } from '../../app/auth';
import type { Me } from '@tongxin/contracts';
import { problemMessage } from './problems';

describe('problemMessage', () => {
  it('explains the reasons of the users area and the password policy', () => {
    expect(problemMessage(new ApiError(403, 'FORBIDDEN', 'x', [{ problem: 'selfRoleChange' }]))).toEqual({ key: 'users.problems.selfRoleChange' });
    expect(problemMessage(new ApiError(409, 'CONFLICT', 'x', [{ path: 'roleId', problem: 'adminRolesExclusive' }]))).toEqual({ key: 'users.problems.adminRolesExclusive' });
    expect(problemMessage(new ApiError(400, 'PASSWORD_POLICY', 'x', [{ path: 'password', problem: 'minLength:12' }]))).toEqual({ key: 'password.tooShort', values: { min: 12 } });
  });
  it('leaves unknown reasons and other errors to the general message', () => {
    expect(problemMessage(new ApiError(403, 'FORBIDDEN', 'x'))).toBeNull();
    expect(problemMessage(new ApiError(409, 'CONFLICT', 'x', [{ problem: 'toString' }]))).toBeNull();
    expect(problemMessage(new Error('x'))).toBeNull();
  });
});

describe('users page access and the rename step', () => {
  it('opens the page to either administrator', () => {
    const required = ['users.manage', 'security.manage'] as const;
    expect(allows(['users.manage'], required)).toBe(true);
    expect(allows(['security.manage'], required)).toBe(true);
    expect(allows(['audit.read'], required)).toBe(false);
    expect(allows([], undefined)).toBe(true);
  });
  it('holds the built-in administrator on the rename page after the password change', () => {
    const me = { mustChangePassword: false, mustRename: true, totpEnrolmentRequired: true } as Me;
    expect(homeOf({ ...me, mustChangePassword: true })).toBe('/change-password');
    expect(homeOf(me)).toBe('/rename-admin');
    expect(homeOf({ ...me, mustRename: false })).toBe('/totp-enrolment');
  });
});
