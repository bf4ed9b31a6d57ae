import type { Logger } from 'pino';
import type { Database } from '../db.js';
import { DocumentStatus } from '../generated/prisma/enums.js';
import type { ObjectStorage } from './object-storage.js';

export interface RetentionDeps {
  db: Database;
  storage: ObjectStorage;
  logger: Logger;
  batchSize: number;
  executionsDays: number;
  readNotificationsDays: number;
  originalsDays: number;
  deleteOriginals: boolean;
  /** Only this tenant's rows and files (an admin's targeted run); all when unset. */
  tenantId?: string;
}

export interface RetentionSummary {
  /** JobExecution rows deleted (finished before the cut-off). */
  executions: number;
  /** Notifications deleted that were read before the cut-off. */
  readNotifications: number;
  originalsEnabled: boolean;
  /** Originals deleted from S3 (their documents and records stay). */
  originals: number;
  /** Delete statements (or S3 rounds) run, over all three. */
  batches: number;
  errors: number;
}

/** Batches per kind and run: a first run over years of history is spread over several days. */
const MAX_BATCHES = 100;
/** S3 deletes in flight at once. */
const S3_PARALLEL = 8;
const DAY_MS = 24 * 60 * 60 * 1_000;

const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);

/**
 * Deletes what is older than its configured age, in batches, so no statement
 * locks or loads much at once: execution audit rows, read notifications and
 * (only with RETENTION_DELETE_ORIGINALS) the S3 originals of processed
 * documents. Safe to run twice or concurrently: every step deletes by id what
 * an earlier query found, and deleting a missing S3 object succeeds.
 */
export async function runRetention(deps: RetentionDeps): Promise<RetentionSummary> {
  const summary: RetentionSummary = { executions: 0, readNotifications: 0, originalsEnabled: deps.deleteOriginals, originals: 0, batches: 0, errors: 0 };
  await deleteOldExecutions(deps, summary);
  await deleteReadNotifications(deps, summary);
  if (deps.deleteOriginals) await deleteOldOriginals(deps, summary);
  return summary;
}

/** Runs `step` (which handles at most one batch and says how many rows it found) until a short batch. */
async function inBatches(deps: RetentionDeps, summary: RetentionSummary, step: () => Promise<number>): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const found = await step();
    if (found === 0) break;
    summary.batches++;
    total += found;
    if (found < deps.batchSize) break;
  }
  return total;
}

/** The audit trail of job attempts (JobExecution), by when the attempt finished. */
export async function deleteOldExecutions(deps: RetentionDeps, summary: RetentionSummary): Promise<void> {
  const cutoff = daysAgo(deps.executionsDays);
  summary.executions = await inBatches(deps, summary, async () => {
    const rows = await deps.db.jobExecution.findMany({ where: { finishedAt: { lt: cutoff }, tenantId: deps.tenantId }, select: { id: true }, take: deps.batchSize });
    if (rows.length > 0) await deps.db.jobExecution.deleteMany({ where: { id: { in: rows.map((row) => row.id) } } });
    return rows.length;
  });
}

/** Notifications read before the cut-off; unread ones stay however old they are. */
async function deleteReadNotifications(deps: RetentionDeps, summary: RetentionSummary): Promise<void> {
  const cutoff = daysAgo(deps.readNotificationsDays);
  summary.readNotifications = await inBatches(deps, summary, async () => {
    const rows = await deps.db.notification.findMany({ where: { readAt: { lt: cutoff }, tenantId: deps.tenantId }, select: { id: true }, take: deps.batchSize });
    if (rows.length > 0) await deps.db.notification.deleteMany({ where: { id: { in: rows.map((row) => row.id) } } });
    return rows.length;
  });
}

/**
 * Originals of PROCESSED documents uploaded before the cut-off, in this
 * process's bucket. The Document row and its record stay, marked with
 * originalDeletedAt. FAILED documents keep their file: uploading it again or
 * an admin retry processes that very file. The object is deleted before the
 * row is marked, so a crash in between only repeats an idempotent S3 delete.
 */
async function deleteOldOriginals(deps: RetentionDeps, summary: RetentionSummary): Promise<void> {
  const { db, storage, logger } = deps;
  const cutoff = daysAgo(deps.originalsDays);
  const failedIds: string[] = [];
  let deleted = 0;
  await inBatches(deps, summary, async () => {
    const documents = await db.document.findMany({
      where: {
        status: DocumentStatus.PROCESSED,
        originalDeletedAt: null,
        bucket: storage.bucket,
        tenantId: deps.tenantId,
        createdAt: { lt: cutoff },
        ...(failedIds.length > 0 ? { id: { notIn: failedIds } } : {}),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { id: true, objectKey: true, tenantId: true },
      take: deps.batchSize,
    });
    const doneIds: string[] = [];
    for (let index = 0; index < documents.length; index += S3_PARALLEL) {
      const chunk = documents.slice(index, index + S3_PARALLEL);
      const outcomes = await Promise.allSettled(chunk.map((document) => storage.delete(document.objectKey)));
      outcomes.forEach((outcome, position) => {
        const document = chunk[position]!;
        if (outcome.status === 'fulfilled') return void doneIds.push(document.id);
        failedIds.push(document.id);
        summary.errors++;
        logger.error({ err: outcome.reason, documentId: document.id, tenantId: document.tenantId }, 'retention could not delete an original');
      });
    }
    if (doneIds.length > 0) {
      const marked = await db.document.updateMany({ where: { id: { in: doneIds }, originalDeletedAt: null }, data: { originalDeletedAt: new Date() } });
      deleted += marked.count;
    }
    return documents.length;
  });
  summary.originals = deleted;
}
