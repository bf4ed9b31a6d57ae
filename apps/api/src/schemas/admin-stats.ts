import { z } from 'zod';
import type { JobNameStats } from '../services/job-stats.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A wider window would scan too much of the audit trail in one request. */
const MAX_WINDOW_DAYS = 93;

const isoDate = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

/** `from` defaults to 24 h before `to`, `to` to now. */
export const statsQuerySchema = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    queue: z.string().min(1).max(200).optional(),
    tenantId: z.uuid().optional(),
    top: z.coerce.number().int().min(1).max(50).default(5),
  })
  .transform(({ from, to, ...rest }) => {
    const end = to ?? new Date();
    return { ...rest, from: from ?? new Date(end.getTime() - DAY_MS), to: end };
  })
  .refine((query) => query.from < query.to, { message: '`from` must be before `to`', path: ['from'] })
  .refine((query) => query.to.getTime() - query.from.getTime() <= MAX_WINDOW_DAYS * DAY_MS, {
    message: `the window may span at most ${MAX_WINDOW_DAYS} days`,
    path: ['from'],
  });

const rate = z.number().min(0).max(1);

export const jobNameStatsSchema = z
  .object({
    queue: z.string(),
    name: z.string(),
    counts: z.object({
      completed: z.number().int(),
      failed: z.number().int().describe('failed for good (unrecoverable, or attempts used up)'),
      retriedFailed: z.number().int().describe('attempts that failed and were retried'),
      attempts: z.number().int(),
    }),
    failureRate: rate.nullable().describe('failed / (completed + failed): jobs, not attempts; null when none finished'),
    attemptFailureRate: rate.describe('(failed + retriedFailed) / attempts'),
    durationMs: z.object({ p50: z.number(), p95: z.number(), avg: z.number(), max: z.number() }),
    slowest: z.array(
      z.object({
        jobId: z.string(),
        attempt: z.number().int(),
        status: z.enum(['completed', 'failed', 'retried-failed']),
        tenantId: z.uuid().nullable(),
        durationMs: z.number().int(),
        startedAt: z.iso.datetime(),
        workerId: z.string(),
      }),
    ),
    topErrors: z.array(z.object({ error: z.string(), count: z.number().int(), lastSeenAt: z.iso.datetime() })),
  })
  .meta({ id: 'JobNameStats' });

export const statsResponseSchema = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    jobs: z.array(jobNameStatsSchema),
  })
  .meta({ id: 'JobStats' });

export function presentStats(from: Date, to: Date, stats: JobNameStats[]): z.infer<typeof statsResponseSchema> {
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    jobs: stats.map((entry) => ({
      ...entry,
      slowest: entry.slowest.map((slow) => ({
        ...slow,
        status: slow.status as 'completed' | 'failed' | 'retried-failed',
        startedAt: slow.startedAt.toISOString(),
      })),
      topErrors: entry.topErrors.map((error) => ({ ...error, lastSeenAt: error.lastSeenAt.toISOString() })),
    })),
  };
}
