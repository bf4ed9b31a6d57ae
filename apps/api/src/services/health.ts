import type { Redis } from 'ioredis';
import type { Database } from '../db.js';
import type { ObjectStorage } from './object-storage.js';

const CHECK_TIMEOUT_MS = 1_500;

export interface HealthDeps {
  db: Database;
  redis: Redis;
  storage: ObjectStorage;
}

export type CheckResult = { status: 'up' | 'down'; latencyMs: number; error?: string };
export type HealthReport = { status: 'ok' | 'degraded' | 'error'; checks: Record<'database' | 'redis' | 'storage', CheckResult> };

async function timed(check: (signal: AbortSignal) => Promise<unknown>): Promise<CheckResult> {
  const started = performance.now();
  const signal = AbortSignal.timeout(CHECK_TIMEOUT_MS);
  try {
    await Promise.race([
      check(signal),
      new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('timed out')), { once: true })),
    ]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { status: 'down', latencyMs: Math.round(performance.now() - started), error: error instanceof Error ? error.message : 'failed' };
  }
}

/**
 * The database and Redis are required (without them nothing works: "error");
 * storage alone down means uploads fail but reads work ("degraded").
 */
export async function checkHealth(deps: HealthDeps): Promise<HealthReport> {
  const [database, redis, storage] = await Promise.all([
    timed(() => deps.db.$queryRaw`SELECT 1`),
    timed(() => deps.redis.ping()),
    timed((signal) => deps.storage.ping(signal)),
  ]);
  const status = database.status === 'down' || redis.status === 'down' ? 'error' : storage.status === 'down' ? 'degraded' : 'ok';
  return { status, checks: { database, redis, storage } };
}
