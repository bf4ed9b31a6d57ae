import type { Database } from '../db.js';
import type { RedisConnection } from '../redis.js';
import type { ObjectStorage } from './object-storage.js';
import type { Queue } from 'bullmq';
import type { WorkerRegistry, WorkerState } from './worker-registry.js';
import { withTimeout } from './with-timeout.js';

const CHECK_TIMEOUT_MS = 1_500;

export interface HealthDeps {
  db: Database;
  redis: RedisConnection;
  storage: ObjectStorage;
}

export type CheckResult = { status: 'up' | 'down'; latencyMs: number; error?: string };
export type HealthReport = { status: 'ok' | 'degraded' | 'error'; checks: Record<'database' | 'redis' | 'storage', CheckResult> };

async function timed(check: (signal: AbortSignal) => Promise<unknown>): Promise<CheckResult> {
  const started = performance.now();
  const signal = AbortSignal.timeout(CHECK_TIMEOUT_MS);
  try {
    await withTimeout(check(signal), CHECK_TIMEOUT_MS, 'check');
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

export interface WorkerHealthDeps {
  queues: Queue[];
  workers: WorkerRegistry;
}

export interface WorkerReport {
  status: 'ok' | 'error';
  workers: (WorkerState & { counts: Record<'waiting' | 'active' | 'delayed' | 'failed', number> | null })[];
}

/** Each worker of this process with its queue's counts; "error" when one is stopped or Redis does not answer. */
export async function checkWorkers(deps: WorkerHealthDeps): Promise<WorkerReport> {
  const queuesByName = new Map(deps.queues.map((queue) => [queue.name, queue]));
  const workers = await Promise.all(
    deps.workers.states().map(async (state) => {
      const queue = queuesByName.get(state.queue);
      const counts = queue
        ? await withTimeout(queue.getJobCounts('waiting', 'active', 'delayed', 'failed'), CHECK_TIMEOUT_MS, 'counts').catch(() => null)
        : null;
      return { ...state, counts: counts as WorkerReport['workers'][number]['counts'] };
    }),
  );
  const healthy = workers.every((worker) => worker.running && worker.counts !== null);
  return { status: healthy ? 'ok' : 'error', workers };
}
