import { describe, expect, it } from 'vitest';
import { zhCN } from '../../app/locales/zh-CN';
import { en } from '../../app/locales/en';
import { auditActionKey, auditTargetKey } from './labels';

const zhLabel = (action: string) => {
  const key = auditActionKey(action);
  return key ? zhCN.auditAction[key] : action;
};

describe('auditActionKey', () => {
  it('labels the known actions in Chinese', () => {
    expect(zhLabel('auth.login')).toBe('登录');
    expect(zhLabel('auth.logout')).toBe('退出');
    expect(zhLabel('auth.password.change')).toBe('修改密码');
    expect(zhLabel('org.unit.create')).toBe('新建组织');
    expect(zhLabel('people.reveal')).toBe('查看敏感信息');
    expect(zhLabel('people.export')).toBe('导出人员');
    expect(zhLabel('people.import')).toBe('导入人员');
    expect(zhLabel('access.denied')).toBe('越权访问');
    expect(zhLabel('security.policy.update')).toBe('修改安全策略');
    expect(zhLabel('audit.export')).toBe('导出审计日志');
    expect(zhLabel('audit.verify')).toBe('校验审计日志');
    expect(zhLabel('audit.archive')).toBe('归档审计日志');
  });
  it('labels actions whose segments hold underscores', () => {
    expect(zhLabel('auth.totp.recovery_codes')).toBe('重新生成恢复码');
    expect(zhLabel('auth.session.end_others')).toBe('结束其他会话');
    expect(zhLabel('users.reset_password')).toBe('重置密码');
  });
  it('labels the account and role actions', () => {
    expect(zhLabel('users.create')).toBe('创建账户');
    expect(zhLabel('users.grant')).toBe('授予角色');
    expect(zhLabel('users.revoke')).toBe('撤销角色');
    expect(zhLabel('users.unlock')).toBe('解除锁定');
    expect(zhLabel('users.deactivate')).toBe('停用账户');
    expect(zhLabel('users.reactivate')).toBe('启用账户');
    expect(zhLabel('auth.rename')).toBe('内置管理员改名');
  });
  it('shows unknown or odd codes raw', () => {
    expect(zhLabel('people.merge')).toBe('people.merge');
    expect(zhLabel('authLogin')).toBe('authLogin');
    expect(zhLabel('auth.Login')).toBe('auth.Login');
    expect(zhLabel('auth..login')).toBe('auth..login');
    expect(zhLabel('auth.totp.recovery__codes')).toBe('auth.totp.recovery__codes');
    expect(zhLabel('auth.totp._codes')).toBe('auth.totp._codes');
    expect(zhLabel('auth.totp.recoveryCodes')).toBe('auth.totp.recoveryCodes');
    expect(zhLabel('toString')).toBe('toString');
    expect(zhLabel('')).toBe('');
  });
  it('every labelled action has an English label too', () => {
    for (const key of Object.keys(zhCN.auditAction) as (keyof typeof zhCN.auditAction)[]) {
      expect(en.auditAction[key]).toBeTruthy();
    }
  });
});

describe('auditTargetKey', () => {
  it('knows the server target types and nothing else', () => {
    expect(auditTargetKey('person')).toBe('person');
    expect(auditTargetKey('org_unit')).toBe('org_unit');
    expect(auditTargetKey('security_policy')).toBe('security_policy');
    expect(auditTargetKey('spaceship')).toBeNull();
    expect(auditTargetKey('constructor')).toBeNull();
    expect(auditTargetKey(null)).toBeNull();
  });
});
