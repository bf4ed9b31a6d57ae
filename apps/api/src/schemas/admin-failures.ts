import { z } from 'zod';
import type { JobFailure } from '../generated/prisma/client.js';

const filterFields = {
  queue: z.string().optional(),
  tenantId: z.uuid().optional(),
  from: z.iso.datetime().transform((value) => new Date(value)).optional(),
  to: z.iso.datetime().transform((value) => new Date(value)).optional(),
};

export const failureListQuerySchema = z.object({
  ...filterFields,
  resolved: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.uuid().optional(),
});

export const bulkRetryBodySchema = z.object(filterFields).strict();

export const failureSchema = z
  .object({
    id: z.uuid(),
    jobId: z.string(),
    queue: z.string(),
    jobName: z.string(),
    tenantId: z.uuid(),
    entityId: z.uuid(),
    documentId: z.uuid(),
    userId: z.string(),
    reason: z.string(),
    attempts: z.number().int(),
    occurrences: z.number().int(),
    data: z.record(z.string(), z.unknown()),
    failedAt: z.iso.datetime(),
    retriedAt: z.iso.datetime().nullable(),
    notifiedAt: z.iso.datetime().nullable(),
    resolvedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'JobFailure' });

export const failureListSchema = z.object({ items: z.array(failureSchema), nextCursor: z.uuid().nullable() });
export const retriedSchema = z.object({ documentId: z.uuid(), jobId: z.string() });
export const bulkRetriedSchema = z.object({ retried: z.number().int(), failed: z.number().int() });

const at = (value: Date | null) => value?.toISOString() ?? null;

export function presentFailure(failure: JobFailure): z.infer<typeof failureSchema> {
  return {
    id: failure.id,
    jobId: failure.jobId,
    queue: failure.queue,
    jobName: failure.jobName,
    tenantId: failure.tenantId,
    entityId: failure.entityId,
    documentId: failure.documentId,
    userId: failure.userId,
    reason: failure.reason,
    attempts: failure.attempts,
    occurrences: failure.occurrences,
    data: failure.data as Record<string, unknown>,
    failedAt: failure.failedAt.toISOString(),
    retriedAt: at(failure.retriedAt),
    notifiedAt: at(failure.notifiedAt),
    resolvedAt: at(failure.resolvedAt),
  };
}
