import { randomBytes, randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { configSchema, type Config } from '../../src/config.js';
import { EMBEDDED_S3_CREDENTIALS } from '../../src/dev/embedded-s3.js';

/** One secret per test process: tokens minted here are only valid for apps built here. */
export const TEST_JWT_SECRET = randomBytes(32).toString('base64url');

/** A valid config against the test services, with its own queue prefix so test files never share jobs. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return configSchema.parse({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    QUEUE_PREFIX: `test-${randomUUID().slice(0, 8)}`,
    JWT_SECRET: TEST_JWT_SECRET,
    S3_ENDPOINT: inject('s3Endpoint'),
    S3_BUCKET: inject('s3Bucket'),
    S3_FORCE_PATH_STYLE: 'true',
    S3_ACCESS_KEY_ID: EMBEDDED_S3_CREDENTIALS.accessKeyId,
    S3_SECRET_ACCESS_KEY: EMBEDDED_S3_CREDENTIALS.secretAccessKey,
    JOB_BACKOFF_MS: '50',
    // Test files share one database: a child server's scheduled reconciler would take other files' documents.
    MAINTENANCE_ENABLED: 'false',
    // Every test request comes from 127.0.0.1 and many from one tenant; the limit tests set their own.
    RATE_LIMIT_PER_MINUTE: '1000000',
    UPLOAD_RATE_LIMIT_PER_MINUTE: '1000000',
    // On a shared 2-core machine a busy test process would shed its own requests; the shedding test sets its own.
    MAX_EVENT_LOOP_DELAY_MS: '60000',
    MAX_EVENT_LOOP_UTILIZATION: '1',
    ...overrides,
  });
}
