import { namedQuery, type Database } from '../db.js';
import { notFound } from '../errors.js';
import { Prisma } from '../generated/prisma/client.js';

export interface PendingUploadReservation {
  /** The id the Document will get. */
  id: string;
  tenantId: string;
  entityId: string;
  bucket: string;
  objectKey: string;
}

/**
 * Records an upload about to be stored (the reconciler removes its file if no Document follows),
 * in one statement with the check that the entity is the tenant's: another tenant's entity is
 * "not found", never "forbidden".
 */
export async function reservePendingUpload(db: Database, upload: PendingUploadReservation): Promise<void> {
  const reserve = Prisma.sql`INSERT INTO "PendingUpload" ("id", "tenantId", "bucket", "objectKey", "createdAt")
      SELECT ${upload.id}::uuid, "tenantId", ${upload.bucket}, ${upload.objectKey}, now() AT TIME ZONE 'UTC'
      FROM "Entity"
      WHERE "id" = ${upload.entityId}::uuid AND "tenantId" = ${upload.tenantId}::uuid`;
  const inserted = await db.sql.query(namedQuery('reserve-pending-upload', reserve));
  if (inserted.rowCount === 0) throw notFound('entity');
}
