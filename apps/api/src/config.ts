import { z } from 'zod';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().nonnegative();
/** Empty strings in .env files mean "not set". */
const optionalString = z.preprocess((value) => (value === '' ? undefined : value), z.string().optional());
const optionalUrl = z.preprocess((value) => (value === '' ? undefined : value), z.url().optional());
/** A cron pattern as BullMQ job schedulers read it: 5 fields, or 6 with seconds first. */
const cronPattern = z.string().trim().regex(/^\S+(\s+\S+){4,5}$/, 'must be a cron pattern of 5 or 6 fields, e.g. "*/5 * * * *"');
const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as UTC or Europe/Berlin');

function isOriginOrWildcard(value: string): boolean {
  if (value === '*') return true;
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** all: HTTP and workers; api: HTTP only; worker: workers and maintenance, with /health on PORT only. */
    WORKER_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
    /** Proxies whose X-Forwarded-For is believed: comma-separated addresses/CIDRs, or a hop count. */
    TRUST_PROXY: optionalString,
    CORS_ORIGINS: optionalString.refine(
      (value) => value === undefined || value.split(',').every((origin) => isOriginOrWildcard(origin.trim())),
      'must be comma-separated origins such as https://app.example.com (scheme, host and port only), or *',
    ),
    RATE_LIMIT_PER_MINUTE: positiveInt.default(600),
    UPLOAD_RATE_LIMIT_PER_MINUTE: positiveInt.default(100),
    IDEMPOTENCY_TTL_S: positiveInt.default(86_400),
    REQUEST_TIMEOUT_MS: positiveInt.default(120_000),
    MAX_EVENT_LOOP_DELAY_MS: positiveInt.default(1_000),
    MAX_EVENT_LOOP_UTILIZATION: z.coerce.number().gt(0).max(1).default(0.98),

    DATABASE_URL: z.url().refine((url) => /^postgres(ql)?:\/\//.test(url), 'must be a postgresql:// URL'),
    REDIS_URL: z.url().refine((url) => /^rediss?:\/\//.test(url), 'must be a redis:// or rediss:// URL'),
    QUEUE_PREFIX: z.string().min(1).default('bull'),
    DATABASE_SSL_MODE: z.enum(['disable', 'require', 'verify-full']).default('disable'),
    DATABASE_SSL_CA_FILE: optionalString,
    REDIS_TLS: booleanFromEnv.default(false),
    REDIS_TLS_CA_FILE: optionalString,
    // REDIS_URL then names one node of a Redis Cluster; the client learns the others from it.
    REDIS_CLUSTER: booleanFromEnv.default(false),

    JWT_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    JWT_JWKS_URL: optionalUrl,
    JWT_ISSUER: optionalString,
    JWT_AUDIENCE: optionalString,

    S3_ENDPOINT: optionalUrl,
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_BUCKET: z.string().min(3).default('billflow-documents'),
    S3_ACCESS_KEY_ID: optionalString,
    S3_SECRET_ACCESS_KEY: optionalString,
    S3_FORCE_PATH_STYLE: booleanFromEnv.default(false),
    S3_SSE: z.enum(['none', 'AES256', 'aws:kms']).default('none'),
    S3_SSE_KMS_KEY_ID: optionalString,

    // One S3 PutObject takes up to 5 GiB; Document.sizeBytes, a 32-bit integer, bounds it lower.
    MAX_UPLOAD_BYTES: positiveInt.max(2 ** 31 - 1, 'must be at most 2147483647 (Document.sizeBytes is a 32-bit integer)').default(10 * 1024 * 1024),
    // What all uploads in flight may hold in memory together while they are checked; beyond, they spool to temporary files.
    UPLOAD_MEMORY_BYTES: positiveInt.default(32 * 1024 * 1024),
    REVIEW_THRESHOLD: z.coerce.number().min(0).max(1).default(0.85),

    WORKER_CONCURRENCY: positiveInt.default(2),
    EXTRACTION_TIMEOUT_MS: positiveInt.default(120_000),
    EXTRACTION_MAX_PAGES: positiveInt.default(50),
    MAX_IMAGE_PIXELS: positiveInt.default(50_000_000),
    OCR_ENGINE: z.enum(['auto', 'native', 'wasm']).default('auto'),
    OCR_WORKERS: positiveInt.default(1),
    EXTRACTION_PROVIDER: z.enum(['local', 'openai-compatible']).default('local'),
    EXTRACTION_MODEL_BASE_URL: optionalUrl,
    EXTRACTION_MODEL_API_KEY: optionalString,
    EXTRACTION_MODEL: optionalString,
    EXTRACTION_MODEL_TIMEOUT_MS: positiveInt.default(20_000),
    JOB_ATTEMPTS: positiveInt.default(3),
    JOB_BACKOFF_MS: nonNegativeInt.default(2_000),
    JOB_REMOVE_ON_COMPLETE_AGE_S: nonNegativeInt.default(3_600),
    JOB_REMOVE_ON_COMPLETE_COUNT: nonNegativeInt.default(100),
    JOB_REMOVE_ON_FAIL_AGE_S: nonNegativeInt.default(86_400),
    JOB_REMOVE_ON_FAIL_COUNT: nonNegativeInt.default(500),
    SHUTDOWN_TIMEOUT_MS: positiveInt.default(30_000),

    // Scheduled maintenance (queue "maintenance"): failure notifier, reconciler, retention.
    MAINTENANCE_ENABLED: booleanFromEnv.default(true),
    CRON_TIMEZONE: timeZone.default('UTC'),
    NOTIFIER_CRON: cronPattern.default('* * * * *'),
    RECONCILER_CRON: cronPattern.default('*/5 * * * *'),
    RETENTION_CRON: cronPattern.default('15 3 * * *'),
    RECONCILER_GRACE_MS: nonNegativeInt.default(120_000),
    MAINTENANCE_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
    RETENTION_EXECUTIONS_DAYS: positiveInt.default(30),
    RETENTION_READ_NOTIFICATIONS_DAYS: positiveInt.default(90),
    RETENTION_ORIGINALS_DAYS: positiveInt.default(365),
    RETENTION_DELETE_ORIGINALS: booleanFromEnv.default(false),
    SMTP_URL: optionalUrl.refine((url) => url === undefined || /^smtps?:\/\//.test(url), 'must be an smtp:// or smtps:// URL'),
    SMTP_FROM: optionalString,

    METRICS_TOKEN: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    METRICS_PORT: z.preprocess((value) => (value === '' ? undefined : value), z.coerce.number().int().min(1).max(65535).optional()),
  })
  .superRefine((config, ctx) => {
    if (!config.JWT_SECRET && !config.JWT_JWKS_URL) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'set JWT_SECRET (HS256) or JWT_JWKS_URL (RS256)' });
    }
    if (config.EXTRACTION_PROVIDER === 'openai-compatible') {
      for (const name of ['EXTRACTION_MODEL_BASE_URL', 'EXTRACTION_MODEL_API_KEY', 'EXTRACTION_MODEL'] as const) {
        if (!config[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'required when EXTRACTION_PROVIDER=openai-compatible' });
      }
    }
    if (Boolean(config.S3_ACCESS_KEY_ID) !== Boolean(config.S3_SECRET_ACCESS_KEY)) {
      ctx.addIssue({ code: 'custom', path: ['S3_SECRET_ACCESS_KEY'], message: 'set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither' });
    }
    if (config.S3_SSE_KMS_KEY_ID && config.S3_SSE !== 'aws:kms') {
      ctx.addIssue({ code: 'custom', path: ['S3_SSE_KMS_KEY_ID'], message: 'only used with S3_SSE=aws:kms' });
    }
    // BullMQ's scripts touch several keys of a queue at once; on a cluster they must share one slot.
    if (config.REDIS_CLUSTER && !/\{[^{}]+\}/.test(config.QUEUE_PREFIX)) {
      ctx.addIssue({ code: 'custom', path: ['QUEUE_PREFIX'], message: 'with REDIS_CLUSTER=true it must contain a hash tag, e.g. {billflow}' });
    }
    if (config.SMTP_URL && !config.SMTP_FROM) {
      ctx.addIssue({ code: 'custom', path: ['SMTP_FROM'], message: 'required when SMTP_URL is set' });
    }
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws a ConfigError listing every missing or invalid variable (never their values). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`));
}
