import { errorCodes, type ErrorCode, type ErrorDetail } from '@tongxin/contracts';
import { currentLanguage } from './i18n';

export const apiBase = '/api/v1';

/** Codes the client adds for failures that never reached the API's error shape. */
export type ClientErrorCode = 'NETWORK' | 'ABORTED';

export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | ClientErrorCode;
  readonly details: ErrorDetail[];

  constructor(status: number, code: ErrorCode | ClientErrorCode, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && (errorCodes as readonly string[]).includes(v);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** Turns an API error body (or anything else the server sent) into an ApiError. */
export function errorFromBody(status: number, body: unknown, fallbackMessage: string): ApiError {
  if (isRecord(body) && isRecord(body.error)) {
    const { code, message, details } = body.error;
    if (isErrorCode(code)) {
      const list = Array.isArray(details) ? details.filter(isRecord).map(toDetail) : [];
      return new ApiError(status, code, typeof message === 'string' ? message : fallbackMessage, list);
    }
  }
  return new ApiError(status, status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED', fallbackMessage);
}

function toDetail(d: Record<string, unknown>): ErrorDetail {
  return {
    path: typeof d.path === 'string' ? d.path : undefined,
    row: typeof d.row === 'number' ? d.row : undefined,
    column: typeof d.column === 'string' ? d.column : undefined,
    problem: typeof d.problem === 'string' ? d.problem : '',
  };
}

export async function errorFromResponse(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON (a proxy's HTML error page, for example)
  }
  return errorFromBody(res.status, body, `${res.status} ${res.statusText}`);
}

export function commonHeaders(method: string): Record<string, string> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': currentLanguage(),
  };
  // The server rejects unsafe methods without this header (CSRF guard): a cross-site form
  // cannot set it, and a cross-site fetch that sets it needs a CORS preflight we never grant.
  if (method !== 'GET' && method !== 'HEAD') headers['X-Requested-With'] = 'tongxin';
  return headers;
}

interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers = commonHeaders(method);
  const init: RequestInit = { method, headers, credentials: 'same-origin', signal: opts.signal };
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(apiBase + path + queryString(opts.query), init);
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw new ApiError(0, 'ABORTED', 'aborted');
    throw new ApiError(0, 'NETWORK', 'network');
  }
  if (!res.ok) throw await errorFromResponse(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};
