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
  });
  it('shows unknown or odd codes raw', () => {
    expect(zhLabel('people.merge')).toBe('people.merge');
    expect(zhLabel('authLogin')).toBe('authLogin');
    expect(zhLabel('auth.Login')).toBe('auth.Login');
    expect(zhLabel('auth..login')).toBe('auth..login');
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
