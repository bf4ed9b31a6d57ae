import type { Database } from '../db.js';
import { DocumentStatus } from '../generated/prisma/enums.js';

/**
 * Records that a document could not be processed, so its uploader sees why.
 * Idempotent: a document that has its record is never marked failed.
 */
export async function markScanFailed(db: Database, documentId: string, reason: string): Promise<void> {
  await db.document.updateMany({
    where: { id: documentId, status: { not: DocumentStatus.PROCESSED } },
    data: { status: DocumentStatus.FAILED, error: reason.slice(0, 1_000) },
  });
}
