import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Database } from '../db.js';
import type { Document } from '../generated/prisma/client.js';
import { DocumentStatus } from '../generated/prisma/enums.js';
import { insertDocumentUnlessKnown } from './document-insert.js';
import { kindToDb } from './document-kinds.js';
import { StorageWriteError, storeUploadedFile } from './file-intake.js';
import type { BeforeCommit } from './idempotency.js';
import type { ObjectStorage } from './object-storage.js';
import { reservePendingUpload } from './pending-uploads.js';
import { markFailureRetried } from './scan-failures.js';
import { enqueueNewScan, enqueueScan } from './scan-jobs.js';
import type { DocumentKindName, ScanQueues } from './scan-queues.js';
import type { SpoolMemoryBudget } from './upload-spool.js';

export interface IntakeDeps {
  db: Database;
  storage: ObjectStorage;
  queues: ScanQueues;
  maxUploadBytes: number;
  /** The memory uploads in flight may hold together (UPLOAD_MEMORY_BYTES). */
  uploadMemory: SpoolMemoryBudget;
}

export interface IntakeRequest {
  tenantId: string;
  entityId: string;
  uploadedBy: string;
  kind: DocumentKindName;
  requestId: string;
  filename: string;
  file: Readable;
  /** Called once the file is stored and hashed, before the duplicate check and any row or job; may throw to stop. */
  beforeCommit?: BeforeCommit;
}

export interface IntakeResult {
  document: Document;
  /** True when this exact file was already known and no new job was started. */
  duplicate: boolean;
}

/** Longest stored name in UTF-8 bytes: a file system's NAME_MAX, and within S3's 2 KB of metadata once percent-encoded. */
const MAX_FILENAME_BYTES = 255;

/** Control characters and path separators are dropped; the name is metadata only, never part of a key. */
export function cleanFilename(raw: string): string {
  const cleaned = raw
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/^.*[\\/]/, '')
    .trim();
  return truncateUtf8(cleaned || 'upload', MAX_FILENAME_BYTES);
}

/** The longest prefix of whole code points that fits in maxBytes of UTF-8. */
function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const codePoint of text) {
    bytes += Buffer.byteLength(codePoint);
    if (bytes > maxBytes) break;
    end += codePoint.length;
  }
  return text.slice(0, end);
}

function objectKeyFor(tenantId: string, entityId: string, documentId: string, now: Date): string {
  const month = String(now.getUTCMonth() + 1).padStart(2, '0');
  return `${tenantId}/${entityId}/${now.getUTCFullYear()}/${month}/${documentId}`;
}

/**
 * Takes one uploaded file: stores it, records the Document and queues its scan.
 * A file this entity already sent for the same kind comes back as a duplicate
 * (a failed one is queued again); the new copy is removed from storage.
 */
export async function intakeDocument(deps: IntakeDeps, request: IntakeRequest): Promise<IntakeResult> {
  const { db, storage, queues } = deps;
  const documentId = randomUUID();
  const objectKey = objectKeyFor(request.tenantId, request.entityId, documentId, new Date());
  const filename = cleanFilename(request.filename);
  await reservePendingUpload(db, { id: documentId, tenantId: request.tenantId, entityId: request.entityId, bucket: storage.bucket, objectKey });
  // A PendingUpload row left behind (database down) goes with the reconciler's next sweep.
  const forgetUpload = () => db.pendingUpload.deleteMany({ where: { id: documentId } }).catch(() => undefined);
  const discard = async () => {
    await storage.delete(objectKey);
    await forgetUpload();
  };
  // storeUploadedFile removes what it stored when it fails, or says that it could not.
  const stored = await storeUploadedFile(storage, objectKey, request.file, {
    maxBytes: deps.maxUploadBytes,
    memory: deps.uploadMemory,
    metadata: { 'document-id': documentId, 'original-filename': encodeURIComponent(filename) },
  }).catch(async (error: unknown) => {
    // An object a failed PutObject may have left keeps its row: the reconciler removes it after the grace period.
    if (!(error instanceof StorageWriteError && error.objectMayRemain)) await forgetUpload();
    throw error;
  });
  try {
    await request.beforeCommit?.(stored);
  } catch (error) {
    await discard();
    throw error;
  }

  const kind = kindToDb[request.kind];
  let document: Document | null;
  try {
    document = await insertDocumentUnlessKnown(db, {
      id: documentId,
      tenantId: request.tenantId,
      entityId: request.entityId,
      uploadedBy: request.uploadedBy,
      kind,
      filename,
      mimeType: stored.mimeType,
      sizeBytes: stored.sizeBytes,
      sha256: stored.sha256,
      bucket: storage.bucket,
      objectKey,
      jobId: documentId,
      requestId: request.requestId,
    });
  } catch (error) {
    await discard();
    throw error;
  }
  if (!document) {
    await discard();
    const known = await db.document.findUniqueOrThrow({
      where: { entityId_kind_sha256: { entityId: request.entityId, kind, sha256: stored.sha256 } },
    });
    return requeueIfFailed(deps, known);
  }

  try {
    await enqueueNewScan(queues, document);
  } catch (error) {
    // Without a job the document would wait for the reconciler; the caller gets a 503 and retries instead.
    await db.document.delete({ where: { id: document.id } });
    await discard();
    throw error;
  }
  return { document, duplicate: false };
}

async function requeueIfFailed(deps: IntakeDeps, known: Document): Promise<IntakeResult> {
  if (known.status !== DocumentStatus.FAILED) return { document: known, duplicate: true };
  const requeued = await deps.db.document.update({
    where: { id: known.id },
    data: { status: DocumentStatus.QUEUED, progress: 0, error: null },
  });
  try {
    await enqueueScan(deps.queues, requeued);
    await markFailureRetried(deps.db, known.jobId ?? known.id);
  } catch (error) {
    await deps.db.document.update({ where: { id: known.id }, data: { status: DocumentStatus.FAILED, error: known.error } });
    throw error;
  }
  return { document: requeued, duplicate: false };
}
