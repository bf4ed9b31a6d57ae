import { namedQuery, prismaColumnTypes, type Database } from '../db.js';
import { Prisma, type Document } from '../generated/prisma/client.js';

// The scan job's reads and writes of its Document, on node-postgres (see Database): they run for every document.

export async function findDocument(db: Database, documentId: string): Promise<Document | null> {
  const found = await db.sql.query<Document>(namedQuery('find-document', Prisma.sql`SELECT * FROM "Document" WHERE "id" = ${documentId}::uuid`, prismaColumnTypes));
  return found.rows[0] ?? null;
}

/** PROCESSING at `progress`: the file is read and extraction starts. */
export async function markProcessing(db: Database, documentId: string, progress: number): Promise<void> {
  await db.sql.query(
    namedQuery(
      'mark-document-processing',
      Prisma.sql`UPDATE "Document" SET "status" = 'PROCESSING'::"DocumentStatus", "progress" = ${progress}::integer, "updatedAt" = now() AT TIME ZONE 'UTC'
        WHERE "id" = ${documentId}::uuid`,
    ),
  );
}
