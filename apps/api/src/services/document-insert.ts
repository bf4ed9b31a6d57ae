import { namedQuery, prismaColumnTypes, type Database } from '../db.js';
import { Prisma, type Document, type DocumentKind } from '../generated/prisma/client.js';

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
  const insert = Prisma.sql`INSERT INTO "Document" ("id", "tenantId", "entityId", "uploadedBy", "kind", "filename", "mimeType", "sizeBytes",
        "sha256", "bucket", "objectKey", "jobId", "requestId", "createdAt", "updatedAt")
      VALUES (${document.id}::uuid, ${document.tenantId}::uuid, ${document.entityId}::uuid, ${document.uploadedBy},
        ${document.kind}::"DocumentKind", ${document.filename}, ${document.mimeType}, ${document.sizeBytes}::integer,
        ${document.sha256}, ${document.bucket}, ${document.objectKey}, ${document.jobId}, ${document.requestId},
        now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
      ON CONFLICT ("entityId", "kind", "sha256") DO NOTHING
      RETURNING *`;
  const inserted = await db.sql.query<Document>(namedQuery('insert-document-unless-known', insert, prismaColumnTypes));
  return inserted.rows[0] ?? null;
}
