import { z } from 'zod';

/**
 * The closed set of error codes the API can return. Adding a code here forces the
 * server's status map and both message catalogues to handle it (they are typed as
 * exhaustive records over this union).
 */
export const errorCodes = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'SESSION_EXPIRED',
  'INVALID_CREDENTIALS',
  'ACCOUNT_LOCKED',
  'SECOND_FACTOR_REQUIRED',
  'SECOND_FACTOR_INVALID',
  'TOTP_ENROLMENT_REQUIRED',
  'PASSWORD_CHANGE_REQUIRED',
  'PASSWORD_POLICY',
  'FORBIDDEN',
  'CSRF_REJECTED',
  'NOT_FOUND',
  'DUPLICATE',
  'STALE_VERSION',
  'INVALID_MOVE',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_FILE',
  'IMPORT_INVALID',
  'RATE_LIMITED',
  'INVALID_STATE',
  'PERIOD_CLOSED',
  'WINDOW_CLOSED',
  'NOT_A_PARTICIPANT',
  'SIGNIN_CODE_INVALID',
  'SIGNIN_CODE_EXPIRED',
  'ALREADY_SIGNED_IN',
  'SELF_REVIEW',
  'ADMIN_RENAME_REQUIRED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof errorCodes)[number];
export const ErrorCodeSchema = z.enum(errorCodes);

export const ErrorDetailSchema = z.object({
  path: z.string().optional(),
  row: z.number().int().optional(),
  column: z.string().optional(),
  problem: z.string(),
});
export type ErrorDetail = z.infer<typeof ErrorDetailSchema>;

export const ErrorBodySchema = z.object({
  error: z.object({
    code: ErrorCodeSchema,
    message: z.string(),
    details: z.array(ErrorDetailSchema).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** Human messages for each code; a missing language or code fails typecheck. */
export const errorMessages: Record<'zh-CN' | 'en', Record<ErrorCode, string>> = {
  'zh-CN': {
    VALIDATION_FAILED: '提交的数据不符合要求',
    UNAUTHENTICATED: '请先登录',
    SESSION_EXPIRED: '会话已过期，请重新登录',
    INVALID_CREDENTIALS: '用户名或密码错误',
    ACCOUNT_LOCKED: '登录失败次数过多，账户已临时锁定，请稍后再试',
    SECOND_FACTOR_REQUIRED: '请输入动态验证码',
    SECOND_FACTOR_INVALID: '动态验证码或恢复码不正确',
    TOTP_ENROLMENT_REQUIRED: '您的账户须先绑定动态验证码（双因素认证）',
    PASSWORD_CHANGE_REQUIRED: '首次登录须先修改密码',
    PASSWORD_POLICY: '新密码不符合密码策略',
    FORBIDDEN: '没有执行此操作的权限',
    CSRF_REJECTED: '请求来源校验失败',
    NOT_FOUND: '记录不存在或无权查看',
    DUPLICATE: '记录已存在',
    STALE_VERSION: '记录已被他人修改，请刷新后重试',
    INVALID_MOVE: '不能移动到该位置',
    CONFLICT: '操作与当前数据冲突',
    PAYLOAD_TOO_LARGE: '提交的内容过大',
    UNSUPPORTED_FILE: '文件格式不受支持',
    IMPORT_INVALID: '导入文件有错误，未导入任何数据',
    RATE_LIMITED: '请求过于频繁，请稍后再试',
    INVALID_STATE: '当前状态下不能执行此操作',
    PERIOD_CLOSED: '该期间已结账（已公示关闭），不能修改，请在当前期间录入调整',
    WINDOW_CLOSED: '已超过办理时限',
    NOT_A_PARTICIPANT: '该人员不在本次活动的参加人员名单中',
    SIGNIN_CODE_INVALID: '签到码无效，请扫描本次活动现场的二维码',
    SIGNIN_CODE_EXPIRED: '签到码已过期，请重新扫描现场二维码',
    ALREADY_SIGNED_IN: '您已签到，无需重复签到',
    SELF_REVIEW: '不能审核或核验自己提交的内容',
    ADMIN_RENAME_REQUIRED: '内置管理员账户须先改名或由新管理员账户替换',
    UNAVAILABLE: '服务暂不可用',
    INTERNAL: '服务器内部错误',
  },
  en: {
    VALIDATION_FAILED: 'The submitted data is not valid',
    UNAUTHENTICATED: 'Please sign in',
    SESSION_EXPIRED: 'Your session has expired, please sign in again',
    INVALID_CREDENTIALS: 'Wrong username or password',
    ACCOUNT_LOCKED: 'Too many failed sign-ins: the account is locked for a while',
    SECOND_FACTOR_REQUIRED: 'Enter the code from your authenticator app',
    SECOND_FACTOR_INVALID: 'The verification code or recovery code is wrong',
    TOTP_ENROLMENT_REQUIRED: 'Your account must set up a second factor first',
    PASSWORD_CHANGE_REQUIRED: 'You must change your password first',
    PASSWORD_POLICY: 'The new password does not meet the password policy',
    FORBIDDEN: 'You are not allowed to do this',
    CSRF_REJECTED: 'The request origin was rejected',
    NOT_FOUND: 'Not found, or not visible to you',
    DUPLICATE: 'This already exists',
    STALE_VERSION: 'Someone else changed this record; reload and try again',
    INVALID_MOVE: 'It cannot be moved there',
    CONFLICT: 'This conflicts with the current data',
    PAYLOAD_TOO_LARGE: 'The request is too large',
    UNSUPPORTED_FILE: 'This file type is not supported',
    IMPORT_INVALID: 'The file has errors; nothing was imported',
    RATE_LIMITED: 'Too many requests, please wait',
    INVALID_STATE: 'This cannot be done in the current state',
    PERIOD_CLOSED: 'That period is closed and cannot change; record an adjustment in the open period instead',
    WINDOW_CLOSED: 'The time allowed for this has passed',
    NOT_A_PARTICIPANT: 'This person is not on the participant list of the activity',
    SIGNIN_CODE_INVALID: 'This sign-in code is not valid; scan the code shown at this activity',
    SIGNIN_CODE_EXPIRED: 'This sign-in code has expired; scan the code on screen again',
    ALREADY_SIGNED_IN: 'You have already signed in',
    SELF_REVIEW: 'You cannot approve or verify your own submission',
    ADMIN_RENAME_REQUIRED: 'The built-in admin account must first be renamed or replaced by a new administrator',
    UNAVAILABLE: 'The service is unavailable',
    INTERNAL: 'Internal server error',
  },
};
