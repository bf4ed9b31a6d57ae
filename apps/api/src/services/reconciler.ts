import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Database } from '../db.js';
import { removeAbandonedUploads } from './abandoned-uploads.js';
import { userFacingReasonOfFailedJob } from './job-outcomes.js';
import type { ObjectStorage } from './object-storage.js';
import type { JobFailure } from '../generated/prisma/client.js';
import { DocumentStatus } from '../generated/prisma/enums.js';
import { kindFromDb } from './document-kinds.js';
import { failedDocumentReference, recordFinalFailure } from './scan-failures.js';
import { enqueueScan } from './scan-jobs.js';
import type { ScanQueues } from './scan-queues.js';

export interface ReconcilerDeps {
  db: Database;
  queues: ScanQueues;
  storage: ObjectStorage;
  logger: Logger;
  batchSize: number;
  /** Documents younger than this (since their last update) are left alone: their upload may still be enqueueing. */
  graceMs: number;
  /** Uploads younger than this may still be streaming to S3 (at least the request timeout). */
  uploadGraceMs: number;
  /** Only this tenant's documents and jobs (an admin's targeted run); all when unset. */
  tenantId?: string;
}

export interface ReconcilerSummary {
  /** Jobs looked at in the failed sets of the scan queues. */
  failedJobsChecked: number;
  /** Final failures that had no (current) JobFailure row and got one. */
  failuresRecorded: number;
  /** QUEUED/PROCESSING documents past the grace period that were looked at. */
  documentsChecked: number;
  /** Of those, documents without any job in Redis that were queued again (same job id). */
  requeued: number;
  /** Finished uploads whose PendingUpload row was cleared. */
  uploadsFinished: number;
  /** Cut-off uploads (no Document) whose stored file was deleted. */
  uploadsAbandoned: number;
  errors: number;
}

/** Batches per part and run: bounds one run while a backlog drains. */
const MAX_BATCHES = 20;
/** What the worker tells the uploader when retries ran out (the internal error stays in the logs). */
const STUCK: DocumentStatus[] = [DocumentStatus.QUEUED, DocumentStatus.PROCESSING];

/**
 * Repairs what a crash between two steps leaves behind, so nothing is lost:
 *
 * 1. A job in a scan queue's failed set without its JobFailure row (the
 *    process died after BullMQ moved the job to "failed" and before the
 *    worker's `failed` handler wrote the row; or the job failed as stalled
 *    too often, which no worker reports) → recordFinalFailure, which also
 *    marks the document FAILED and notifies the uploader.
 * 2. A document QUEUED or PROCESSING since before the grace period with no job
 *    at all in Redis (the process died between writing the row and adding
 *    the job, or Redis lost its data) → queued again under the same job id.
 *    A document whose job exists is BullMQ's business: an active job whose
 *    worker died comes back through stalled-job recovery once its lock
 *    expires, and must not be queued a second time.
 * 3. A PendingUpload without its Document past the upload grace period (the
 *    process died while streaming the file or before writing the row) → its
 *    S3 object is deleted, so no file is kept that no row points to.
 *
 * Every step is idempotent (unique job id in BullMQ and in JobFailure), so
 * overlapping runs, or a run racing the worker, change nothing twice.
 */
export async function runReconciler(deps: ReconcilerDeps): Promise<ReconcilerSummary> {
  const summary: ReconcilerSummary = { failedJobsChecked: 0, failuresRecorded: 0, documentsChecked: 0, requeued: 0, uploadsFinished: 0, uploadsAbandoned: 0, errors: 0 };
  // Failures first: their documents become FAILED and are then no longer "stuck".
  for (const queue of Object.values(deps.queues)) await recordMissingFailures(deps, queue, summary);
  await requeueStuckDocuments(deps, summary);
  const uploads = await removeAbandonedUploads({ ...deps, graceMs: deps.uploadGraceMs });
  summary.uploadsFinished = uploads.finished;
  summary.uploadsAbandoned = uploads.abandoned;
  summary.errors += uploads.errors;
  return summary;
}

async function recordMissingFailures(deps: ReconcilerDeps, queue: ScanQueues[keyof ScanQueues], summary: ReconcilerSummary): Promise<void> {
  const { db, batchSize, logger } = deps;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const start = batch * batchSize;
    const page = await queue.getFailed(start, start + batchSize - 1);
    if (page.length === 0) break;
    const jobs = page.filter((job): job is Job => Boolean(job?.id) && (!deps.tenantId || (job.data as { tenantId?: unknown }).tenantId === deps.tenantId));
    summary.failedJobsChecked += jobs.length;
    const rows = await db.jobFailure.findMany({ where: { jobId: { in: jobs.map((job) => job.id!) } } });
    const rowByJob = new Map(rows.map((row) => [row.jobId, row]));
    for (const job of jobs) {
      if (!needsFailureRecord(job, rowByJob.get(job.id!))) continue;
      try {
        const data = await failedDocumentReference(db, job.data);
        if (!data) {
          summary.errors++;
          logger.warn({ jobId: job.id, queue: queue.name }, 'failed job has an invalid payload or no document; cannot record its failure');
          continue;
        }
        const failure = { jobId: job.id!, queue: queue.name, jobName: job.name, data, reason: userFacingReasonOfFailedJob(job), attempts: job.attemptsMade };
        const { recorded } = await recordFinalFailure(db, failure);
        if (recorded) {
          summary.failuresRecorded++;
          logger.info({ jobId: job.id, documentId: data.documentId, tenantId: data.tenantId }, 'reconciler recorded a missing final failure');
        }
      } catch (error) {
        summary.errors++;
        logger.error({ err: error, jobId: job.id }, 'reconciler could not record a final failure');
      }
    }
    if (page.length < batchSize) break;
  }
}

/**
 * Everything in BullMQ's failed set failed for good (a retry goes to
 * "delayed" or "wait" instead). It needs a row unless the row already
 * describes this failure: a row resolved, or retried, before the job last
 * finished belongs to an earlier occurrence.
 */
function needsFailureRecord(job: Job, row: JobFailure | undefined): boolean {
  if (!row) return true;
  const superseded = [row.resolvedAt, row.retriedAt && row.retriedAt > row.failedAt ? row.retriedAt : null].filter((at): at is Date => at !== null);
  return superseded.some((at) => (job.finishedOn ?? 0) > at.getTime());
}

async function requeueStuckDocuments(deps: ReconcilerDeps, summary: ReconcilerSummary): Promise<void> {
  const { db, queues, batchSize, logger } = deps;
  const cutoff = new Date(Date.now() - deps.graceMs);
  let after: { updatedAt: Date; id: string } | undefined;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    // Keyset pagination: a re-queued document changes its updatedAt, so an offset or Prisma cursor would skip rows.
    const documents = await db.document.findMany({
      where: {
        status: { in: STUCK },
        tenantId: deps.tenantId,
        updatedAt: { lt: cutoff },
        ...(after ? { OR: [{ updatedAt: { gt: after.updatedAt } }, { updatedAt: after.updatedAt, id: { gt: after.id } }] } : {}),
      },
      orderBy: [{ updatedAt: 'asc' }, { id: 'asc' }],
      take: batchSize,
    });
    if (documents.length === 0) break;
    const last = documents[documents.length - 1]!;
    after = { updatedAt: last.updatedAt, id: last.id };
    summary.documentsChecked += documents.length;

    for (const document of documents) {
      const context = { documentId: document.id, tenantId: document.tenantId, jobId: document.jobId ?? document.id };
      try {
        const job = await queues[kindFromDb(document.kind)].getJob(document.jobId ?? document.id);
        if (job) continue;
        // Read again: the job may have finished (and been removed) since the page was read.
        const current = await db.document.findUnique({ where: { id: document.id } });
        if (!current || !STUCK.includes(current.status)) continue;
        const queued =
          current.status === DocumentStatus.PROCESSING
            ? await db.document.update({ where: { id: current.id }, data: { status: DocumentStatus.QUEUED, progress: 0 } })
            : current;
        await enqueueScan(queues, queued);
        summary.requeued++;
        logger.warn({ ...context, status: current.status }, 'reconciler queued a document that had no job');
      } catch (error) {
        summary.errors++;
        logger.error({ ...context, err: error }, 'reconciler could not check or queue a document');
      }
    }
    if (documents.length < batchSize) break;
  }
}
