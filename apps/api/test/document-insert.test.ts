// The upload's two hot statements run on node-postgres, not Prisma: what they return and
// write must be exactly what Prisma would (UTC timestamps, enums, defaults).
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { createDatabase } from '../src/db.js';
import { insertDocumentUnlessKnown, type NewDocument } from '../src/services/document-insert.js';
import { reservePendingUpload } from '../src/services/pending-uploads.js';
import { createTenant } from './helpers/tenants.js';

describe('the upload statements on node-postgres', () => {
  const db = createDatabase(inject('databaseUrl'));
  afterAll(() => db.$disconnect());

  async function newDocument(): Promise<NewDocument> {
    const { tenantId, entityId } = await createTenant(db);
    const id = randomUUID();
    return {
      id, tenantId, entityId, uploadedBy: 'user-1', kind: 'BILL', filename: 'bill.pdf', mimeType: 'application/pdf', sizeBytes: 1234,
      sha256: 'a'.repeat(64), bucket: 'bucket', objectKey: `${tenantId}/${entityId}/${id}`, jobId: id, requestId: 'req-1',
    };
  }

  it('returns the Document as Prisma reads it, and null for a file the entity already has', async () => {
    // node-postgres reads a `timestamp` column in the process's time zone unless told otherwise.
    const zone = process.env.TZ;
    process.env.TZ = 'Pacific/Auckland';
    onTestFinished(() => {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    });
    const before = Date.now();
    const document = await newDocument();
    const inserted = await insertDocumentUnlessKnown(db, document);
    expect(inserted).toEqual(await db.document.findUniqueOrThrow({ where: { id: document.id } }));
    expect(inserted).toMatchObject({ status: 'QUEUED', progress: 0, error: null, processedAt: null });
    expect(inserted!.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(inserted!.createdAt.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);

    const again = await insertDocumentUnlessKnown(db, { ...document, id: randomUUID() });
    expect(again).toBeNull();
    expect(await db.document.count({ where: { entityId: document.entityId } })).toBe(1);
  });

  it('reserves a pending upload for the tenant’s own entity only', async () => {
    const document = await newDocument();
    const other = await createTenant(db);
    const reservation = { id: document.id, tenantId: document.tenantId, entityId: document.entityId, bucket: 'bucket', objectKey: document.objectKey };
    await expect(reservePendingUpload(db, { ...reservation, tenantId: other.tenantId })).rejects.toMatchObject({ statusCode: 404 });
    await reservePendingUpload(db, reservation);
    const row = await db.pendingUpload.findUniqueOrThrow({ where: { id: document.id } });
    expect(row).toMatchObject({ tenantId: document.tenantId, bucket: 'bucket', objectKey: document.objectKey });
    expect(Math.abs(row.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
  });
});
