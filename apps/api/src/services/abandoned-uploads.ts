import type { Logger } from 'pino';
import type { Database } from '../db.js';
import type { ObjectStorage } from './object-storage.js';

export interface AbandonedUploadsDeps {
  db: Database;
  storage: ObjectStorage;
  logger: Logger;
  batchSize: number;
  /** An upload younger than this may still be streaming: its object is left alone. */
  graceMs: number;
  tenantId?: string;
}

/** Batches per run: bounds one run while a backlog drains. */
const MAX_BATCHES = 20;

/**
 * Sweeps PendingUpload rows. A row whose Document exists was finished: the row
 * goes. A row older than the grace period without its Document belongs to an
 * upload that was cut off (process killed, database lost mid-request): its
 * object is deleted from S3 (a no-op when the upload never stored one), then
 * the row.
 */
export async function removeAbandonedUploads(deps: AbandonedUploadsDeps): Promise<{ finished: number; abandoned: number; errors: number }> {
  const { db, storage, logger } = deps;
  const finished = deps.tenantId
    ? await db.$executeRaw`DELETE FROM "PendingUpload" p USING "Document" d WHERE d.id = p.id AND p."tenantId" = ${deps.tenantId}::uuid`
    : await db.$executeRaw`DELETE FROM "PendingUpload" p USING "Document" d WHERE d.id = p.id`;
  const result = { finished, abandoned: 0, errors: 0 };
  const cutoff = new Date(Date.now() - deps.graceMs);
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const rows = await db.pendingUpload.findMany({
      where: { createdAt: { lt: cutoff }, tenantId: deps.tenantId },
      orderBy: { createdAt: 'asc' },
      take: deps.batchSize,
    });
    if (rows.length === 0) break;
    const adopted = new Set((await db.document.findMany({ where: { id: { in: rows.map((row) => row.id) } }, select: { id: true } })).map((row) => row.id));
    for (const row of rows) {
      try {
        if (!adopted.has(row.id)) {
          if (row.bucket === storage.bucket) await storage.delete(row.objectKey);
          // S3_BUCKET changed since: this process cannot reach the old bucket; say where the object is.
          else logger.warn({ documentId: row.id, bucket: row.bucket, objectKey: row.objectKey }, 'a cut-off upload left a file in another bucket');
          result.abandoned++;
          logger.warn({ documentId: row.id, tenantId: row.tenantId }, 'removed the stored file of an upload that was cut off');
        }
        await db.pendingUpload.delete({ where: { id: row.id } });
      } catch (error) {
        result.errors++;
        logger.error({ err: error, documentId: row.id }, 'could not remove the file of a cut-off upload');
      }
    }
    if (rows.length < deps.batchSize) break;
  }
  return result;
}
