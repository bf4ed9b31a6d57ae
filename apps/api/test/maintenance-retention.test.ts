import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTask, tenantUsers } from './helpers/maintenance.js';
import { createDocumentRow, createRecord } from './helpers/records.js';
import { bearer, createTenant, type TenantFixture } from './helpers/tenants.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ overrides: { RETENTION_DELETE_ORIGINALS: 'true', MAINTENANCE_BATCH_SIZE: '2' } });
});
afterAll(() => t?.close());

const DAY = 24 * 60 * 60 * 1_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);

async function notification(tenant: TenantFixture, userId: string, fields: { readAt?: Date; createdAt?: Date }) {
  return t.db.notification.create({
    data: { tenantId: tenant.tenantId, userId, type: 'document.failed', title: 'x', message: 'x', metadata: {}, dedupeKey: randomUUID(), ...fields },
  });
}

async function execution(tenant: TenantFixture, finishedAt: Date) {
  return t.db.jobExecution.create({
    data: { queue: 'bill-scan', jobId: randomUUID(), name: 'scan', tenantId: tenant.tenantId, attempt: 1, status: 'completed', startedAt: finishedAt, finishedAt, durationMs: 5, workerId: 'test' },
  });
}

/** A document of the given age and status whose original really is in the bucket. */
async function storedDocument(tenant: TenantFixture, ageDays: number, status: 'PROCESSED' | 'FAILED', withRecord = false) {
  const document = withRecord ? (await createRecord(t.db, tenant, { vendorName: 'Old Vendor', total: '10.00' })).document : await createDocumentRow(t.db, tenant);
  const objectKey = `${tenant.tenantId}/retention/${document.id}`;
  await t.storage.put(objectKey, Readable.from([Buffer.from('%PDF-1.4 original')]), 'application/pdf', {});
  return t.db.document.update({ where: { id: document.id }, data: { bucket: t.storage.bucket, objectKey, status, createdAt: daysAgo(ageDays) } });
}

describe('retention', () => {
  it('deletes only what is older than its configured age, in batches, and nothing more on a second run', async () => {
    const tenant = await createTenant(t.db);
    const { member } = await tenantUsers(t.db, tenant);
    const oldRead = await Promise.all([1, 2, 3, 4, 5].map(() => notification(tenant, member.id, { readAt: daysAgo(91), createdAt: daysAgo(120) })));
    const recentRead = await notification(tenant, member.id, { readAt: daysAgo(10), createdAt: daysAgo(120) });
    const oldUnread = await notification(tenant, member.id, { createdAt: daysAgo(400) });
    const oldExecutions = await Promise.all([1, 2, 3].map(() => execution(tenant, daysAgo(31))));
    const recentExecution = await execution(tenant, daysAgo(5));

    const result = await runTask(t, tenant, 'retention');
    // Batches of 2: executions 2+1, notifications 2+2+1, no originals of this age.
    expect(result).toEqual({ executions: 3, readNotifications: 5, originalsEnabled: true, originals: 0, batches: 5, errors: 0 });
    expect(await t.db.notification.count({ where: { id: { in: oldRead.map((row) => row.id) } } })).toBe(0);
    expect((await t.db.notification.findMany({ where: { tenantId: tenant.tenantId } })).map((row) => row.id).sort()).toEqual([recentRead.id, oldUnread.id].sort());
    expect(await t.db.jobExecution.count({ where: { id: { in: oldExecutions.map((row) => row.id) } } })).toBe(0);
    expect(await t.db.jobExecution.count({ where: { id: recentExecution.id } })).toBe(1);

    expect(await runTask(t, tenant, 'retention')).toMatchObject({ executions: 0, readNotifications: 0, batches: 0 });
  });

  it('deletes the S3 originals of old processed documents when enabled; documents and records stay', async () => {
    const tenant = await createTenant(t.db);
    const old = [await storedDocument(tenant, 400, 'PROCESSED'), await storedDocument(tenant, 400, 'PROCESSED'), await storedDocument(tenant, 366, 'PROCESSED', true)];
    const young = await storedDocument(tenant, 300, 'PROCESSED');
    const failed = await storedDocument(tenant, 400, 'FAILED');

    expect(await runTask(t, tenant, 'retention')).toMatchObject({ originalsEnabled: true, originals: 3, batches: 2, errors: 0 });
    for (const document of old) {
      expect(await t.storage.exists(document.objectKey)).toBe(false);
      expect((await t.db.document.findUniqueOrThrow({ where: { id: document.id } })).originalDeletedAt).not.toBeNull();
    }
    expect(await t.storage.exists(young.objectKey)).toBe(true);
    expect(await t.storage.exists(failed.objectKey)).toBe(true);
    expect((await t.db.document.findUniqueOrThrow({ where: { id: failed.id } })).originalDeletedAt).toBeNull();

    const record = await t.db.accountingRecord.findUniqueOrThrow({ where: { documentId: old[2]!.id } });
    const bill = await t.app.inject({ method: 'GET', url: `/api/bills/${record.id}`, headers: bearer(tenant.memberToken) });
    expect(bill.statusCode).toBe(200);
    expect(bill.json()).toMatchObject({ vendorName: 'Old Vendor', total: '10.00' });
    const status = await t.app.inject({ method: 'GET', url: `/api/documents/${old[2]!.id}`, headers: bearer(tenant.memberToken) });
    expect(status.json()).toMatchObject({ status: 'PROCESSED', recordId: record.id });

    expect(await runTask(t, tenant, 'retention')).toMatchObject({ originals: 0 });
  });

  it('keeps every original while RETENTION_DELETE_ORIGINALS is off (the default)', async () => {
    const keeping = await createTestApp();
    try {
      const tenant = await createTenant(keeping.db);
      const document = await storedDocument(tenant, 1000, 'PROCESSED');
      expect(await runTask(keeping, tenant, 'retention')).toMatchObject({ originalsEnabled: false, originals: 0 });
      expect(await t.storage.exists(document.objectKey)).toBe(true);
      expect((await t.db.document.findUniqueOrThrow({ where: { id: document.id } })).originalDeletedAt).toBeNull();
    } finally {
      await keeping.close();
    }
  });
});
