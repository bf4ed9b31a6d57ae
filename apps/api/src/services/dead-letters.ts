import type { Database } from '../db.js';
import { AppError } from '../errors.js';
import type { JobFailure, Prisma } from '../generated/prisma/client.js';
import { DocumentStatus } from '../generated/prisma/enums.js';
import { markFailureRetried } from './scan-failures.js';
import { enqueueScan } from './scan-jobs.js';
import type { ScanQueues } from './scan-queues.js';

export interface FailureFilter {
  queue?: string;
  tenantId?: string;
  from?: Date;
  to?: Date;
  resolved?: boolean;
}

const BULK_RETRY_LIMIT = 1_000;

function whereOf(filter: FailureFilter): Prisma.JobFailureWhereInput {
  return {
    queue: filter.queue,
    tenantId: filter.tenantId,
    failedAt: { gte: filter.from, lte: filter.to },
    ...(filter.resolved === undefined ? {} : { resolvedAt: filter.resolved ? { not: null } : null }),
  };
}

/** Failures newest first; the cursor is the id of the last row of the previous page. */
export async function listFailures(db: Database, filter: FailureFilter & { limit: number; cursor?: string }) {
  const rows = await db.jobFailure.findMany({
    where: whereOf(filter),
    orderBy: [{ failedAt: 'desc' }, { id: 'desc' }],
    take: filter.limit + 1,
    ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 1 } : {}),
  });
  const items = rows.slice(0, filter.limit);
  return { items, nextCursor: rows.length > filter.limit ? items[items.length - 1]!.id : null };
}

/** The failure, or 404; with a tenant scope, another tenant's failure is a 404 too. */
export async function getFailure(db: Database, id: string, tenantId: string | undefined): Promise<JobFailure> {
  const failure = await db.jobFailure.findFirst({ where: { id, tenantId } });
  if (!failure) throw new AppError(404, 'FAILURE_NOT_FOUND', `no job failure ${id}`);
  return failure;
}

/**
 * Queues the failed document again from the row alone (the failed job may be
 * long gone from Redis). The row is resolved when the retried job completes.
 */
export async function retryFailure(db: Database, queues: ScanQueues, id: string, tenantId: string | undefined): Promise<{ documentId: string; jobId: string }> {
  const failure = await getFailure(db, id, tenantId);
  if (failure.resolvedAt) throw new AppError(409, 'FAILURE_RESOLVED', 'this failure is resolved already');
  const document = await db.document.findUnique({ where: { id: failure.documentId } });
  if (!document) throw new AppError(409, 'DOCUMENT_GONE', 'the document of this failure no longer exists');
  const queued = await db.document.update({
    where: { id: document.id },
    data: { status: DocumentStatus.QUEUED, progress: 0, error: null },
  });
  const jobId = await enqueueScan(queues, queued);
  await markFailureRetried(db, failure.jobId);
  return { documentId: document.id, jobId };
}

/** Retries every open failure matching the filter (at most 1,000 per call). */
export async function retryFailures(db: Database, queues: ScanQueues, filter: Omit<FailureFilter, 'resolved'>) {
  const open = await db.jobFailure.findMany({ where: whereOf({ ...filter, resolved: false }), select: { id: true }, orderBy: { failedAt: 'asc' }, take: BULK_RETRY_LIMIT });
  const outcomes = await Promise.allSettled(open.map((failure) => retryFailure(db, queues, failure.id, filter.tenantId)));
  return {
    retried: outcomes.filter((outcome) => outcome.status === 'fulfilled').length,
    failed: outcomes.filter((outcome) => outcome.status === 'rejected').length,
  };
}
