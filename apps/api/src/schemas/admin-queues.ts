import type { Job } from 'bullmq';
import { z } from 'zod';
import { cleanableStates, jobStates, TENANT_SCAN_LIMIT } from '../services/queue-admin.js';

export const queueParamsSchema = z.object({ queue: z.string().min(1).max(100) });
export const jobParamsSchema = queueParamsSchema.extend({ jobId: z.string().min(1).max(200) });

const countsSchema = z.record(z.enum(jobStates), z.number().int());

export const queueListSchema = z
  .object({ queues: z.array(z.object({ name: z.string(), paused: z.boolean(), counts: countsSchema })) })
  .meta({ id: 'QueueList' });

export const cleanBodySchema = z.object({
  state: z.enum(cleanableStates),
  olderThanMs: z.number().int().min(0).default(0).describe('only jobs finished (or created) at least this long ago'),
  limit: z.number().int().min(1).max(100_000).default(1_000),
});

export const jobListQuerySchema = z.object({
  state: z.enum(jobStates).default('failed'),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const timestamp = z.iso.datetime().nullable();

const jobSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    data: z.record(z.string(), z.unknown()),
    progress: z.union([z.number(), z.string(), z.boolean(), z.record(z.string(), z.unknown())]),
    attemptsMade: z.number().int(),
    attempts: z.number().int(),
    failedReason: z.string().nullable(),
    stacktrace: z.array(z.string()),
    createdAt: timestamp,
    processedAt: timestamp,
    finishedAt: timestamp,
  })
  .meta({ id: 'Job' });

export const jobListSchema = z.object({
  jobs: z.array(jobSchema),
  total: z.number().int().describe(`for an ADMIN: its tenant's jobs among the newest ${TENANT_SCAN_LIMIT} of the state`),
  partial: z.boolean().describe(`true when an ADMIN's listing read only the newest ${TENANT_SCAN_LIMIT} jobs of a larger state`),
});
export const jobDetailSchema = jobSchema.extend({ state: z.string(), logs: z.array(z.string()) }).meta({ id: 'JobDetail' });
export const okSchema = z.object({ ok: z.literal(true) });
export const cleanedSchema = z.object({ removed: z.number().int() });

const at = (millis: number | undefined) => (millis ? new Date(millis).toISOString() : null);

export function presentJob(job: Job): z.infer<typeof jobSchema> {
  return {
    id: job.id!,
    name: job.name,
    data: job.data as Record<string, unknown>,
    progress: job.progress as z.infer<typeof jobSchema>['progress'],
    attemptsMade: job.attemptsMade,
    attempts: job.opts.attempts ?? 1,
    failedReason: job.failedReason ?? null,
    stacktrace: job.stacktrace ?? [],
    createdAt: at(job.timestamp),
    processedAt: at(job.processedOn),
    finishedAt: at(job.finishedOn),
  };
}
