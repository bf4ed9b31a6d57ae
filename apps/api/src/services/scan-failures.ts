import { namedQuery, type Database } from '../db.js';
import { Prisma } from '../generated/prisma/client.js';
import { DocumentStatus } from '../generated/prisma/enums.js';
import { failureNotification } from './failure-notifications.js';
import { isUniqueViolation } from './prisma-errors.js';
import { documentReferenceOf } from './scan-jobs.js';
import { scanJobSchema, type DocumentReference } from './scan-queues.js';

export interface FinalFailure {
  jobId: string;
  queue: string;
  jobName: string;
  data: DocumentReference;
  /** What the uploader is told: no stack traces, no internals. */
  reason: string;
  attempts: number;
}

/**
 * What a JobFailure keeps of a failed job's document, from its Document row
 * (the job carries only ids). null when the payload is not a scan job's or the
 * document is gone: nobody is left to tell.
 */
export async function failedDocumentReference(db: Database, jobData: unknown): Promise<DocumentReference | null> {
  const job = scanJobSchema.safeParse(jobData);
  if (!job.success) return null;
  const document = await db.document.findUnique({ where: { id: job.data.documentId } });
  return document ? documentReferenceOf(document) : null;
}

/**
 * Records that a scan failed for good, in one transaction: the JobFailure row
 * (one per job id), the document marked FAILED with the reason, and a
 * notification for the uploader. Reporting the same failure twice changes
 * nothing; failing again after a retry counts another occurrence and
 * notifies again.
 */
export async function recordFinalFailure(db: Database, failure: FinalFailure): Promise<{ recorded: boolean }> {
  const { data } = failure;
  try {
    return await db.$transaction(async (tx) => {
      const existing = await tx.jobFailure.findUnique({ where: { jobId: failure.jobId } });
      const retriedSinceFailure = existing?.retriedAt && existing.retriedAt > existing.failedAt;
      if (existing && !existing.resolvedAt && !retriedSinceFailure) return { recorded: false };

      const fields = { reason: failure.reason, attempts: failure.attempts, data, failedAt: new Date(), resolvedAt: null, notifiedAt: new Date() };
      const row = existing
        ? await tx.jobFailure.update({ where: { id: existing.id }, data: { ...fields, occurrences: { increment: 1 } } })
        : await tx.jobFailure.create({
            data: {
              ...fields,
              jobId: failure.jobId,
              queue: failure.queue,
              jobName: failure.jobName,
              tenantId: data.tenantId,
              entityId: data.entityId,
              documentId: data.documentId,
              userId: data.uploadedBy,
            },
          });

      await tx.document.updateMany({
        where: { id: data.documentId, status: { not: DocumentStatus.PROCESSED } },
        data: { status: DocumentStatus.FAILED, error: failure.reason.slice(0, 1_000) },
      });
      await tx.notification.create({
        data: failureNotification({ ...row, reason: failure.reason, filename: data.filename, kind: data.kind }),
      });
      return { recorded: true };
    });
  } catch (error) {
    // A concurrent report of the same failure won the race for the unique jobId.
    if (isUniqueViolation(error)) return { recorded: false };
    throw error;
  }
}

/** A failed job is being tried again; if it fails once more, that is a new occurrence. */
export async function markFailureRetried(db: Database, jobId: string): Promise<void> {
  await db.jobFailure.updateMany({ where: { jobId, resolvedAt: null }, data: { retriedAt: new Date() } });
}

/** A job completed: any failure recorded for it is resolved. */
export async function resolveFailure(db: Database, jobId: string): Promise<void> {
  // Runs after every completed job, nearly always finding nothing: on node-postgres, without Prisma's per-query cost.
  const resolve = Prisma.sql`UPDATE "JobFailure" SET "resolvedAt" = now() AT TIME ZONE 'UTC' WHERE "jobId" = ${jobId} AND "resolvedAt" IS NULL`;
  await db.sql.query(namedQuery('resolve-job-failure', resolve));
}
