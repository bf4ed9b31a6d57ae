import { prismaColumnTypes, type Database } from '../db.js';
import type { Document, DocumentKind } from '../generated/prisma/client.js';

export interface NewDocument {
  id: string;
  tenantId: string;
  entityId: string;
  uploadedBy: string;
  kind: DocumentKind;
  filename: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  bucket: string;
  objectKey: string;
  jobId: string;
  requestId: string;
}

/**
 * Inserts the Document in one statement unless the entity already has this file for this kind
 * (the unique index decides, races included); null then. Timestamps are UTC, as Prisma writes them.
 */
export async function insertDocumentUnlessKnown(db: Database, document: NewDocument): Promise<Document | null> {
  const inserted = await db.sql.query<Document>({
    name: 'insert-document-unless-known',
    text: `INSERT INTO "Document" ("id", "tenantId", "entityId", "uploadedBy", "kind", "filename", "mimeType", "sizeBytes",
        "sha256", "bucket", "objectKey", "jobId", "requestId", "createdAt", "updatedAt")
      VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5::"DocumentKind", $6, $7, $8::integer, $9, $10, $11, $12, $13,
        now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
      ON CONFLICT ("entityId", "kind", "sha256") DO NOTHING
      RETURNING *`,
    values: [
      document.id, document.tenantId, document.entityId, document.uploadedBy, document.kind, document.filename, document.mimeType,
      document.sizeBytes, document.sha256, document.bucket, document.objectKey, document.jobId, document.requestId,
    ],
    types: prismaColumnTypes,
  });
  return inserted.rows[0] ?? null;
}
