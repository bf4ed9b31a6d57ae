import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { createDatabase, type Database } from '../../../src/db.js';
import { EMBEDDED_S3_CREDENTIALS } from '../../../src/dev/embedded-s3.js';
import { seedDemo } from '../../../src/dev/seed.js';
import { mintToken } from '../../../src/dev/tokens.js';
import { uploadGraceMs } from '../../../src/services/maintenance-tasks.js';
import { spawnServer, type ServerProcess } from '../../lib/server-process.js';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster.js';
import { startRedisProcess, type RedisProcess } from '../../lib/redis-process.js';
import { startChaosS3, type ChaosS3 } from './s3-server.js';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.js';

export interface ChaosEnvironment {
  redis: RedisProcess;
  s3: ChaosS3;
  s3Client: S3Client;
  /** Present when the run has its own PostgreSQL cluster (chaos:postgres). */
  cluster?: PostgresCluster;
  db: Database;
  entityId: string;
  memberToken: string;
  /** Every server's stdout (pino JSON) goes here. */
  logFile: string;
  /** After this long the servers' reconciler removes the file of an upload that has no Document. */
  uploadGraceMs: number;
  startServer(): Promise<ServerProcess>;
  close(): Promise<void>;
}

/**
 * Server settings for chaos runs: a reconciler every 2 s with a 5 s grace,
 * a 5 s request timeout (one-page uploads need far less) so that the file of
 * an upload cut off by a kill is deleted after 35 s (uploadGraceMs),
 * enough retries with a short backoff to outlast a 15 s outage
 * (250 ms doubling: the 8th attempt comes ~32 s after the first), and
 * rate limits and load shedding out of the way, since faults are under test here.
 * NODE_ENV=test: production start-up checks refuse s3rver's well-known keys.
 */
const CHAOS_SERVER_SETTINGS = {
  NODE_ENV: 'test',
  MAINTENANCE_ENABLED: 'true',
  RECONCILER_CRON: '*/2 * * * * *',
  RECONCILER_GRACE_MS: '5000',
  REQUEST_TIMEOUT_MS: '5000',
  NOTIFIER_CRON: '*/10 * * * * *',
  JOB_ATTEMPTS: '10',
  JOB_BACKOFF_MS: '250',
  WORKER_CONCURRENCY: '2',
  SHUTDOWN_TIMEOUT_MS: '10000',
  RATE_LIMIT_PER_MINUTE: '1000000',
  UPLOAD_RATE_LIMIT_PER_MINUTE: '1000000',
  MAX_EVENT_LOOP_DELAY_MS: '30000',
  MAX_EVENT_LOOP_UTILIZATION: '1',
} as const;

/**
 * Everything one chaos run breaks, private to the run: a redis-server child,
 * an s3rver, and a scratch database on the machine's PostgreSQL — or, with
 * `privatePostgres`, on a PostgreSQL cluster of its own that can be stopped.
 * Seeds one tenant and mints a MEMBER token for the uploads.
 */
export async function openChaosEnvironment(scenario: string, options: { privatePostgres?: boolean } = {}): Promise<ChaosEnvironment> {
  const cleanups: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error('cleanup failed:', error));
  };
  try {
    const redis = await startRedisProcess();
    cleanups.push(() => redis.stop());
    const s3 = await startChaosS3();
    cleanups.push(() => s3.destroy());
    const cluster = options.privatePostgres ? await startPostgresCluster() : undefined;
    if (cluster) cleanups.push(() => cluster.destroy());
    const serverUrl = cluster?.serverUrl ?? process.env.CHAOS_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
    const database: ScratchDatabase = await createScratchDatabase(serverUrl);
    cleanups.push(() => database.drop());
    const db = createDatabase(database.url);
    cleanups.push(() => db.$disconnect());

    const jwtSecret = randomBytes(32).toString('base64url');
    const { demo } = await seedDemo(db);
    const memberToken = mintToken(jwtSecret, { sub: demo.member.id, tenantId: demo.tenant.id, role: 'MEMBER' });
    const s3Client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: EMBEDDED_S3_CREDENTIALS });
    cleanups.push(async () => s3Client.destroy());

    const logFile = join(tmpdir(), `billflow-chaos-${scenario}-${randomBytes(3).toString('hex')}.log`);
    const env = {
      ...CHAOS_SERVER_SETTINGS,
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: 'chaos',
      JWT_SECRET: jwtSecret,
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: s3.bucket,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: EMBEDDED_S3_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: EMBEDDED_S3_CREDENTIALS.secretAccessKey,
    };
    const servers = new Set<ServerProcess>();
    cleanups.push(async () => {
      await Promise.all([...servers].map((server) => server.stop('SIGKILL')));
    });

    return {
      redis,
      s3,
      s3Client,
      cluster,
      db,
      entityId: demo.entity.id,
      memberToken,
      logFile,
      uploadGraceMs: uploadGraceMs({
        RECONCILER_GRACE_MS: Number(CHAOS_SERVER_SETTINGS.RECONCILER_GRACE_MS),
        REQUEST_TIMEOUT_MS: Number(CHAOS_SERVER_SETTINGS.REQUEST_TIMEOUT_MS),
      }),
      async startServer() {
        const server = await spawnServer({ env, onLine: (line) => appendFileSync(logFile, `${line}\n`), startTimeoutMs: 60_000 });
        servers.add(server);
        void server.exited.then(() => servers.delete(server));
        return server;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
