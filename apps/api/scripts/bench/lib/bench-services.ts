import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, type Database } from '../../../src/db.js';
import { applyMigrations, ensureDatabase } from '../../../src/dev/database-setup.js';
import { EMBEDDED_S3_CREDENTIALS } from '../../../src/dev/embedded-s3.js';
import { mintToken } from '../../../src/dev/tokens.js';
import { spawnServer, tsxEntry } from '../../lib/server-process.js';
import { spawnBenchChild, type BenchChild } from './bench-child.js';
import { deleteBenchEntity } from './bench-entities.js';
import { startPrivateRedis, type PrivateRedis } from './private-redis.js';

const BUCKET = 'billflow-bench';
const LIMIT_OFF = '100000000';

export interface BenchServices {
  db: Database;
  redis: PrivateRedis;
  s3: BenchChild;
  /** A fresh tenant's entity and a MEMBER token for it. */
  entityId: string;
  token: string;
  /** The environment Billflow (and the bare servers) run with: these services, rate limits and load shedding off, API only. */
  env: Record<string, string>;
  /**
   * The real server as a child process on these services: main.ts with tsx, or with
   * `built` the production build (apps/api/dist/main.js, after `npm run build`), run with
   * `nodeArgs` (e.g. --cpu-prof).
   */
  startBillflow(overrides?: Record<string, string>, options?: { built?: boolean; nodeArgs?: string[] }): Promise<BenchChild>;
  /** Deletes the tenant with everything benches wrote for it, stops Redis and S3 and removes the stored objects. */
  close(): Promise<void>;
}

/**
 * Everything a Billflow benchmark runs against: its own database (BENCH_DATABASE_URL,
 * migrated), a private Redis, an s3rver child process with a temporary directory,
 * a new tenant and a token.
 */
export async function startBenchServices(): Promise<BenchServices> {
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/billflow_bench';
  await ensureDatabase(databaseUrl);
  await applyMigrations(databaseUrl);
  const db = createDatabase(databaseUrl);
  const redis = await startPrivateRedis();
  const s3Directory = mkdtempSync(join(tmpdir(), 'billflow-bench-s3-'));
  const s3 = await spawnBenchChild(tsxEntry('apps/api/scripts/bench/lib/s3-server.ts'), { BENCH_S3_DIR: s3Directory, S3_BUCKET: BUCKET });

  const suffix = randomUUID();
  const tenant = await db.tenant.create({ data: { name: `Bench ${suffix}` } });
  const entity = await db.entity.create({ data: { tenantId: tenant.id, name: `Bench ${suffix}` } });
  const member = await db.user.create({ data: { tenantId: tenant.id, email: `bench-${suffix}@bench.invalid`, name: 'Bench', role: 'MEMBER' } });
  const secret = randomBytes(32).toString('base64url');

  const env = {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: 'bench',
    JWT_SECRET: secret,
    S3_ENDPOINT: s3.url,
    S3_BUCKET: BUCKET,
    S3_FORCE_PATH_STYLE: 'true',
    S3_ACCESS_KEY_ID: EMBEDDED_S3_CREDENTIALS.accessKeyId,
    S3_SECRET_ACCESS_KEY: EMBEDDED_S3_CREDENTIALS.secretAccessKey,
    // The benchmarks measure the upload path, not rate limiting or load shedding.
    RATE_LIMIT_PER_MINUTE: LIMIT_OFF,
    UPLOAD_RATE_LIMIT_PER_MINUTE: LIMIT_OFF,
    MAX_EVENT_LOOP_DELAY_MS: LIMIT_OFF,
    MAX_EVENT_LOOP_UTILIZATION: '1',
    // No scan workers or maintenance (also when a bench overrides WORKER_ROLE): they would take CPU from the measurement.
    WORKER_ROLE: 'api',
    MAINTENANCE_ENABLED: 'false',
  };

  return {
    db,
    redis,
    s3,
    entityId: entity.id,
    token: mintToken(secret, { sub: member.id, tenantId: tenant.id, role: 'MEMBER' }),
    env,
    async startBillflow(overrides = {}, options = {}) {
      const server = await spawnServer({ env: { ...env, ...overrides }, ...options });
      server.child.stderr?.pipe(process.stderr);
      process.once('exit', () => server.child.kill('SIGTERM'));
      return { pid: server.child.pid!, url: server.url, stop: async () => void (await server.stop('SIGTERM')) };
    },
    async close() {
      // Every entity a bench made, with all that processing wrote (also after a bench that failed half-way).
      for (const { id } of await db.entity.findMany({ where: { tenantId: tenant.id }, select: { id: true } })) await deleteBenchEntity(db, id);
      await db.pendingUpload.deleteMany({ where: { tenantId: tenant.id } });
      await db.user.deleteMany({ where: { tenantId: tenant.id } });
      await db.tenant.delete({ where: { id: tenant.id } });
      await db.$disconnect();
      await Promise.all([redis.close(), s3.stop()]);
      rmSync(s3Directory, { recursive: true, force: true });
    },
  };
}
