import path from 'node:path';
import { z } from 'zod';

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  // an empty variable counts as unset (shells and service files often export it empty)
  DATABASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional()),
  DATA_DIR: z.string().default('./data'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  COOKIE_SECURE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  TRUST_PROXY: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WEB_DIST: z.string().optional(),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
  /** base64 of 32 bytes; without it a key file is kept in DATA_DIR */
  DATA_KEY: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'base64 of 32 bytes').optional(),
  /** audit entries older than this are archived to a signed file by `tongxin audit-archive`; MLPS asks for 180 days at least */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(180).max(36_500).default(180),
  SEED_DEMO: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** the reminder queue (pg-boss); off for tests and one-off tools */
  JOBS_ENABLED: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** notifications also go out as signed JSON POSTs to this http(s) URL (docs/operations.md) */
  WEBHOOK_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().regex(/^https?:\/\//i, 'an http or https URL').optional()),
  WEBHOOK_SECRET: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(32, 'at least 32 characters').optional()),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  WEBHOOK_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(5),
  /** notifications by email, to users who gave an address and turned it on (docs/operations.md) */
  SMTP_HOST: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  /** true: TLS from the first byte (port 465); false: STARTTLS when the server offers it */
  SMTP_SECURE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  SMTP_USER: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  SMTP_PASSWORD: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  SMTP_FROM: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  SMTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** the app's address as users reach it (https://tongxin.example.gov.cn): links in emails become absolute */
  PUBLIC_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().regex(/^https?:\/\//i, 'an http or https URL').optional()),
})
  .refine((e) => !e.SMTP_HOST || e.SMTP_FROM, { path: ['SMTP_FROM'], message: 'required when SMTP_HOST is set (the sender address)' })
  .refine((e) => !e.WEBHOOK_URL || e.WEBHOOK_SECRET, { path: ['WEBHOOK_SECRET'], message: 'required when WEBHOOK_URL is set (the receiver checks the signature with it)' });

/** The email notification channel; null when SMTP_HOST is unset. */
export type SmtpConfig = {
  host: string;
  port: number;
  secure: boolean;
  user: string | undefined;
  password: string | undefined;
  from: string;
  timeoutMs: number;
  publicUrl: string | undefined;
  retryLimit: number;
  retryDelaySeconds: number;
};

/** The webhook notification channel; null when WEBHOOK_URL is unset. */
export type WebhookConfig = { url: string; secret: string; timeoutMs: number; retryLimit: number; retryDelaySeconds: number };

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPgPort: number;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  cookieSecure: boolean;
  trustProxy: boolean;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  webDist: string;
  dbPoolMax: number;
  seedDemo: boolean;
  loginRateLimitPerMinute: number;
  dataKey: string | undefined;
  jobsEnabled: boolean;
  auditRetentionDays: number;
  webhook: WebhookConfig | null;
  smtp: SmtpConfig | null;
};

const repoRoot = path.resolve(import.meta.dirname, '../../..');

/** Reads configuration from the environment; a bad value stops start-up with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(repoRoot, e.DATA_DIR),
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
    cookieSecure: e.COOKIE_SECURE,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    webDist: path.resolve(repoRoot, e.WEB_DIST ?? 'web/dist'),
    dbPoolMax: e.DB_POOL_MAX,
    seedDemo: e.SEED_DEMO,
    loginRateLimitPerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE,
    dataKey: e.DATA_KEY,
    jobsEnabled: e.JOBS_ENABLED,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    webhook:
      e.WEBHOOK_URL && e.WEBHOOK_SECRET
        ? { url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET, timeoutMs: e.WEBHOOK_TIMEOUT_MS, retryLimit: e.WEBHOOK_RETRY_LIMIT, retryDelaySeconds: 30 }
        : null,
    smtp:
      e.SMTP_HOST && e.SMTP_FROM
        ? {
            host: e.SMTP_HOST,
            port: e.SMTP_PORT,
            secure: e.SMTP_SECURE,
            user: e.SMTP_USER,
            password: e.SMTP_PASSWORD,
            from: e.SMTP_FROM,
            timeoutMs: e.SMTP_TIMEOUT_MS,
            publicUrl: e.PUBLIC_URL,
            retryLimit: 5,
            retryDelaySeconds: 60,
          }
        : null,
  };
}

export { repoRoot };
