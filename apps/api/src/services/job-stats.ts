import type { Database } from '../db.js';
import { Prisma } from '../generated/prisma/client.js';

export interface StatsQuery {
  from: Date;
  to: Date;
  queue?: string;
  tenantId?: string;
  /** How many slowest attempts and most common errors per queue and job name. */
  top: number;
}

export interface JobNameStats {
  queue: string;
  name: string;
  counts: { completed: number; failed: number; retriedFailed: number; attempts: number };
  /** Final failures / finished jobs (completed + failed); null when none finished. */
  failureRate: number | null;
  /** Failed attempts (failed + retried-failed) / all attempts. */
  attemptFailureRate: number;
  durationMs: { p50: number; p95: number; avg: number; max: number };
  slowest: { jobId: string; attempt: number; status: string; tenantId: string | null; durationMs: number; startedAt: Date; workerId: string }[];
  topErrors: { error: string; count: number; lastSeenAt: Date }[];
}

interface AggregateRow {
  queue: string;
  name: string;
  completed: number;
  failed: number;
  retried_failed: number;
  attempts: number;
  p50: number;
  p95: number;
  avg: number;
  max: number;
}

type SlowRow = JobNameStats['slowest'][number] & { queue: string; name: string };
type ErrorRow = JobNameStats['topErrors'][number] & { queue: string; name: string };

const key = (row: { queue: string; name: string }) => `${row.queue}\u0000${row.name}`;

/**
 * Per queue and job name, over the attempts that finished in [from, to):
 * counts by status, duration percentiles (percentile_cont, in PostgreSQL),
 * failure rates, the slowest attempts and the most common errors.
 */
export async function jobStats(db: Database, query: StatsQuery): Promise<JobNameStats[]> {
  const where = Prisma.sql`"finishedAt" >= ${query.from} AND "finishedAt" < ${query.to}
    ${query.queue === undefined ? Prisma.empty : Prisma.sql`AND "queue" = ${query.queue}`}
    ${query.tenantId === undefined ? Prisma.empty : Prisma.sql`AND "tenantId" = ${query.tenantId}::uuid`}`;

  const [aggregates, slowest, errors] = await Promise.all([
    db.$queryRaw<AggregateRow[]>`
      SELECT "queue", "name",
        count(*) FILTER (WHERE "status" = 'completed')::int AS completed,
        count(*) FILTER (WHERE "status" = 'failed')::int AS failed,
        count(*) FILTER (WHERE "status" = 'retried-failed')::int AS retried_failed,
        count(*)::int AS attempts,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY "durationMs")::float8 AS p50,
        percentile_cont(0.95) WITHIN GROUP (ORDER BY "durationMs")::float8 AS p95,
        avg("durationMs")::float8 AS avg,
        max("durationMs")::int AS max
      FROM "JobExecution"
      WHERE ${where}
      GROUP BY "queue", "name"
      ORDER BY "queue", "name"`,
    db.$queryRaw<SlowRow[]>`
      SELECT "queue", "name", "jobId", "attempt", "status", "tenantId"::text AS "tenantId", "durationMs", "startedAt", "workerId"
      FROM (
        SELECT *, row_number() OVER (PARTITION BY "queue", "name" ORDER BY "durationMs" DESC, "startedAt") AS rank
        FROM "JobExecution"
        WHERE ${where}
      ) ranked
      WHERE rank <= ${query.top}
      ORDER BY "queue", "name", rank`,
    db.$queryRaw<ErrorRow[]>`
      SELECT "queue", "name", "error", "count", "lastSeenAt"
      FROM (
        SELECT "queue", "name", "error", count(*)::int AS "count", max("finishedAt") AS "lastSeenAt",
          row_number() OVER (PARTITION BY "queue", "name" ORDER BY count(*) DESC, max("finishedAt") DESC) AS rank
        FROM "JobExecution"
        WHERE ${where} AND "error" IS NOT NULL
        GROUP BY "queue", "name", "error"
      ) grouped
      WHERE rank <= ${query.top}
      ORDER BY "queue", "name", rank`,
  ]);

  const group = <T extends { queue: string; name: string }>(rows: T[]) => {
    const byKey = new Map<string, T[]>();
    for (const row of rows) byKey.set(key(row), [...(byKey.get(key(row)) ?? []), row]);
    return byKey;
  };
  const slowByKey = group(slowest);
  const errorsByKey = group(errors);

  return aggregates.map((row) => {
    const finished = row.completed + row.failed;
    return {
      queue: row.queue,
      name: row.name,
      counts: { completed: row.completed, failed: row.failed, retriedFailed: row.retried_failed, attempts: row.attempts },
      failureRate: finished === 0 ? null : row.failed / finished,
      attemptFailureRate: (row.failed + row.retried_failed) / row.attempts,
      durationMs: { p50: row.p50, p95: row.p95, avg: row.avg, max: row.max },
      slowest: (slowByKey.get(key(row)) ?? []).map(({ queue: _queue, name: _name, ...slow }) => slow),
      topErrors: (errorsByKey.get(key(row)) ?? []).map(({ queue: _queue, name: _name, ...error }) => error),
    };
  });
}
