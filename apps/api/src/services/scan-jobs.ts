import type { Document } from '../generated/prisma/client.js';
import { AppError } from '../errors.js';
import { kindFromDb } from './document-kinds.js';
import type { DocumentReference, ScanJob, ScanQueues } from './scan-queues.js';
import { withTimeout } from './with-timeout.js';

const ENQUEUE_TIMEOUT_MS = 5_000;

export function documentReferenceOf(document: Document): DocumentReference {
  return {
    documentId: document.id,
    tenantId: document.tenantId,
    entityId: document.entityId,
    uploadedBy: document.uploadedBy,
    kind: kindFromDb(document.kind),
    bucket: document.bucket,
    objectKey: document.objectKey,
    sha256: document.sha256,
    mimeType: document.mimeType,
    filename: document.filename.slice(0, 255),
    ...(document.requestId ? { requestId: document.requestId } : {}),
  };
}

export function scanJobFor(document: Document): ScanJob {
  return { documentId: document.id, tenantId: document.tenantId, ...(document.requestId ? { requestId: document.requestId } : {}) };
}

/**
 * Queues the scan of a document under jobId = document id. A failed job of that
 * id is retried in place (BullMQ ignores an add while the id exists); a waiting
 * active or finished one is left alone. Throws 503 when Redis does not answer in time.
 */
export async function enqueueScan(queues: ScanQueues, document: Document): Promise<string> {
  const queue = queues[kindFromDb(document.kind)];
  return withinEnqueueTimeout(async () => {
    const existing = await queue.getJob(document.id);
    if (existing && (await existing.isFailed())) {
      await existing.retry('failed');
    } else if (!existing) {
      await queue.add('scan', scanJobFor(document), { jobId: document.id });
    }
    return document.id;
  });
}

/**
 * Queues the scan of a Document inserted just now: its id is new, so no job of that id
 * can exist and the lookup enqueueScan starts with would only cost a Redis round trip.
 */
export async function enqueueNewScan(queues: ScanQueues, document: Document): Promise<string> {
  const queue = queues[kindFromDb(document.kind)];
  return withinEnqueueTimeout(async () => {
    await queue.add('scan', scanJobFor(document), { jobId: document.id });
    return document.id;
  });
}

async function withinEnqueueTimeout(work: () => Promise<string>): Promise<string> {
  try {
    return await withTimeout(work(), ENQUEUE_TIMEOUT_MS, 'enqueue');
  } catch {
    throw new AppError(503, 'QUEUE_UNAVAILABLE', 'the job queue is not reachable; try again shortly');
  }
}
