import { isIP } from 'node:net';
import type { Logger } from 'pino';
import { ConfigError, type Config } from './config.js';

export interface ProductionReview {
  /** Settings the server refuses to start with: named, never their values. */
  refusals: string[];
  /** Settings that work but are unsafe outside a developer's machine. */
  warnings: string[];
}

/** Fewer distinct characters than this is a typed or patterned secret, not a generated one. */
const MIN_DISTINCT_SECRET_CHARACTERS = 10;
/** Words found in documentation placeholders and hand-typed secrets. */
const PLACEHOLDER_WORDS = /change.?me|replace.?me|placeholder|example|secret|password|your[-_ ]|xxxx/i;
/** Credentials that ship with local S3 servers (s3rver, MinIO). */
const TEST_ACCESS_KEYS = new Set(['S3RVER', 'minioadmin']);
const DEBUG_LOG_LEVELS = new Set(['debug', 'trace']);

function secretWeakness(secret: string): string | undefined {
  if (new Set(secret).size < MIN_DISTINCT_SECRET_CHARACTERS) return `has fewer than ${MIN_DISTINCT_SECRET_CHARACTERS} distinct characters`;
  if (PLACEHOLDER_WORDS.test(secret)) return 'looks like a placeholder';
  return undefined;
}

function isLocalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

const hostOf = (url: string) => new URL(url).hostname;
const isAwsS3 = (endpoint: string | undefined) => endpoint === undefined || /(^|\.)amazonaws\.com$/i.test(hostOf(endpoint));

/** What a production process must not run with (refusals) or should not (warnings). Pure: reads only the config. */
export function reviewProductionConfig(config: Config): ProductionReview {
  const refusals: string[] = [];
  const warnings: string[] = [];
  for (const name of ['JWT_SECRET', 'METRICS_TOKEN'] as const) {
    const value = config[name];
    const weakness = value === undefined ? undefined : secretWeakness(value);
    if (weakness) refusals.push(`${name} ${weakness}: generate one with \`openssl rand -base64 48\``);
  }

  if (config.CORS_ORIGINS?.split(',').some((origin) => origin.trim() === '*')) warnings.push('CORS_ORIGINS contains "*": any web site may call the API from a browser');
  const databaseLocal = isLocalHost(hostOf(config.DATABASE_URL));
  const redisLocal = isLocalHost(hostOf(config.REDIS_URL));
  if (databaseLocal) warnings.push('DATABASE_URL points at localhost');
  if (redisLocal) warnings.push('REDIS_URL points at localhost');
  if (config.S3_ENDPOINT && isLocalHost(hostOf(config.S3_ENDPOINT))) warnings.push('S3_ENDPOINT points at localhost');
  if (config.S3_ACCESS_KEY_ID && TEST_ACCESS_KEYS.has(config.S3_ACCESS_KEY_ID)) warnings.push('S3_ACCESS_KEY_ID is a well-known test key (s3rver or MinIO default)');
  if (config.DATABASE_SSL_MODE === 'disable' && !databaseLocal) warnings.push('DATABASE_SSL_MODE=disable: the connection to a remote PostgreSQL is not encrypted');
  const redisTls = config.REDIS_TLS || config.REDIS_URL.startsWith('rediss://');
  if (!redisTls && !redisLocal) warnings.push('Redis without TLS (REDIS_TLS=false, redis:// URL): the connection to a remote Redis is not encrypted');
  if (config.S3_SSE === 'none' && isAwsS3(config.S3_ENDPOINT)) warnings.push('S3_SSE=none with AWS S3: stored documents rely on the bucket default encryption only');
  if (config.METRICS_PORT && !isLocalHost(config.HOST)) warnings.push('METRICS_PORT serves unauthenticated metrics on HOST, which is not a loopback address');
  if (DEBUG_LOG_LEVELS.has(config.LOG_LEVEL)) warnings.push('LOG_LEVEL is debug or trace: logs request details meant for debugging');
  return { refusals, warnings };
}

/** At start, when NODE_ENV=production: throws a ConfigError on refusals, logs one warning line per unsafe setting. */
export function enforceProductionPosture(config: Config, logger: Logger): void {
  if (config.NODE_ENV !== 'production') return;
  const { refusals, warnings } = reviewProductionConfig(config);
  if (refusals.length > 0) throw new ConfigError(refusals);
  for (const warning of warnings) logger.warn({ check: 'production-posture' }, warning);
}
