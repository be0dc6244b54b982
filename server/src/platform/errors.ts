import { type ErrorCode, type ErrorDetail } from '@tongxin/contracts';

/** The one error type services throw; routes never build error bodies themselves. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly details?: ErrorDetail[],
    message?: string,
  ) {
    super(message ?? code);
    this.name = 'AppError';
  }
}

export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_FAILED':
    case 'PASSWORD_POLICY':
      return 400;
    case 'UNAUTHENTICATED':
    case 'SESSION_EXPIRED':
    case 'INVALID_CREDENTIALS':
    case 'SECOND_FACTOR_REQUIRED':
    case 'SECOND_FACTOR_INVALID':
      return 401;
    case 'PASSWORD_CHANGE_REQUIRED':
    case 'ACCOUNT_LOCKED':
    case 'TOTP_ENROLMENT_REQUIRED':
    case 'FORBIDDEN':
    case 'CSRF_REJECTED':
    case 'SELF_REVIEW':
    case 'ADMIN_RENAME_REQUIRED':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'DUPLICATE':
    case 'STALE_VERSION':
    case 'CONFLICT':
    case 'INVALID_STATE':
    case 'PERIOD_CLOSED':
    case 'WINDOW_CLOSED':
    case 'ALREADY_SIGNED_IN':
      return 409;
    case 'SIGNIN_CODE_EXPIRED':
      return 410;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'UNSUPPORTED_FILE':
      return 415;
    case 'INVALID_MOVE':
    case 'IMPORT_INVALID':
    case 'NOT_A_PARTICIPANT':
    case 'SIGNIN_CODE_INVALID':
      return 422;
    case 'RATE_LIMITED':
      return 429;
    case 'INTERNAL':
      return 500;
    case 'UNAVAILABLE':
      return 503;
    default: {
      const unhandled: never = code;
      throw new Error(`unmapped error code ${String(unhandled)}`);
    }
  }
}

/** PostgreSQL error codes we translate; anything else is INTERNAL. */
export function fromPgError(err: unknown): AppError | undefined {
  const pgCode = pgErrorCode(err);
  switch (pgCode) {
    case '23505':
      return new AppError('DUPLICATE', [{ problem: constraintOf(err) ?? 'unique' }]);
    case '23503':
      return new AppError('VALIDATION_FAILED', [{ problem: `reference: ${constraintOf(err) ?? 'foreign key'}` }]);
    case '23514':
    case '23502':
    case '22001':
    case '22007':
    case '22008':
      return new AppError('VALIDATION_FAILED', [{ problem: constraintOf(err) ?? pgCode }]);
    default:
      return undefined;
  }
}

function pgErrorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null) {
    const e = err as { code?: unknown; cause?: unknown };
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
    // drizzle wraps driver errors in `cause`
    if (e.cause) return pgErrorCode(e.cause);
  }
  return undefined;
}

function constraintOf(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null) {
    const e = err as { constraint?: unknown; cause?: unknown };
    if (typeof e.constraint === 'string') return e.constraint;
    if (e.cause) return constraintOf(e.cause);
  }
  return undefined;
}
