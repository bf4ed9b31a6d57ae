import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { applyMigrations, ensureDatabase } from '../src/dev/database-setup.js';
import { startEmbeddedS3 } from '../src/dev/embedded-s3.js';

export const TEST_BUCKET = 'billflow-test';

/**
 * Once per run: a migrated test database on the machine's PostgreSQL and an
 * S3 server (s3rver) on a free loopback port. Redis is the machine's own.
 */
export default async function setup(project: TestProject) {
  const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/billflow_test';
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  await ensureDatabase(databaseUrl);
  await applyMigrations(databaseUrl);

  const directory = mkdtempSync(join(tmpdir(), 'billflow-s3-'));
  const s3 = await startEmbeddedS3({ directory, port: 0, bucket: TEST_BUCKET });

  project.provide('databaseUrl', databaseUrl);
  project.provide('redisUrl', redisUrl);
  project.provide('s3Endpoint', s3.endpoint);
  project.provide('s3Bucket', TEST_BUCKET);

  return async () => {
    await s3.close();
    rmSync(directory, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
    s3Endpoint: string;
    s3Bucket: string;
  }
}
