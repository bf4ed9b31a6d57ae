import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../src/dev/tokens.js';
import { recordFinalFailure, type FinalFailure } from '../src/services/scan-failures.js';
import { textPdf } from './helpers/documents.js';
import { failingReads } from './helpers/faults.js';
import { createDocumentRow } from './helpers/records.js';
import { bearer, createTenant, type TenantFixture } from './helpers/tenants.js';
import { appWithTenant, createTestApp, type TestApp } from './helpers/test-app.js';
import { TEST_JWT_SECRET } from './helpers/test-config.js';
import { settledDocument, uploadAccepted } from './helpers/uploads.js';

describe('retries', () => {
  it('a transient failure that succeeds on the third attempt leaves a record and no failure', async () => {
    const t = await createTestApp({ workers: true, wrapStorage: failingReads(2) });
    try {
      const tenant = await createTenant(t.db);
      const documentId = await uploadAccepted(t, tenant, await textPdf(['Invoice # T-3', 'Total $10.00'], 'third-time'));
      expect((await settledDocument(t, tenant, documentId)).status).toBe('PROCESSED');
      const job = await t.queues.bill.getJob(documentId);
      expect(job?.attemptsMade).toBe(3);
      expect(job?.opts).toMatchObject({ attempts: 3, backoff: { type: 'exponential', delay: t.config.JOB_BACKOFF_MS } });
      expect(await t.db.jobFailure.count({ where: { documentId } })).toBe(0);
    } finally {
      await t.close();
    }
  });

  it('a failure on every attempt ends in one JobFailure after the third', async () => {
    const t = await createTestApp({ workers: true, wrapStorage: failingReads(Number.POSITIVE_INFINITY) });
    try {
      const tenant = await createTenant(t.db);
      const documentId = await uploadAccepted(t, tenant, await textPdf(['Never readable'], 'always-fails'));
      const document = await settledDocument(t, tenant, documentId);
      expect(document).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/several attempts/) });
      const failure = await t.db.jobFailure.findUniqueOrThrow({ where: { jobId: documentId } });
      expect(failure).toMatchObject({ queue: 'bill-scan', attempts: 3, documentId, tenantId: tenant.tenantId, resolvedAt: null });
      expect(JSON.stringify(failure.data).length).toBeLessThan(1024);
    } finally {
      await t.close();
    }
  });

  it('an extraction that outlives EXTRACTION_TIMEOUT_MS is aborted instead of pinning the worker', async () => {
    const t = await createTestApp({ workers: true, overrides: { EXTRACTION_TIMEOUT_MS: '1', JOB_ATTEMPTS: '1' } });
    try {
      const tenant = await createTenant(t.db);
      const documentId = await uploadAccepted(t, tenant, await textPdf(['Slow'], 'timeout'));
      expect((await settledDocument(t, tenant, documentId)).status).toBe('FAILED');
      const job = await t.queues.bill.getJob(documentId);
      expect(job?.failedReason).toMatch(/abort|timeout/i);
    } finally {
      await t.close();
    }
  });
});

describe('final failures', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  beforeAll(async () => ({ t, tenant } = await appWithTenant({ workers: true })));
  afterAll(() => t.close());

  it('a corrupt PDF fails at once with no retry, a JobFailure row and a notification for the uploader', async () => {
    const documentId = await uploadAccepted(t, tenant, Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(4096)]));
    const document = await settledDocument(t, tenant, documentId);
    expect(document.status).toBe('FAILED');
    expect((await t.queues.bill.getJob(documentId))?.attemptsMade).toBe(1);
    expect(await t.db.jobFailure.findUniqueOrThrow({ where: { jobId: documentId } })).toMatchObject({ attempts: 1, reason: document.error });

    const listed = await t.app.inject({ method: 'GET', url: '/api/notifications?unread=true', headers: bearer(tenant.memberToken) });
    const notification = listed.json().items.find((item: { metadata: { documentId: string } }) => item.metadata.documentId === documentId);
    expect(notification).toMatchObject({ type: 'document.failed', readAt: null, message: expect.stringContaining(document.error) });

    const read = await t.app.inject({ method: 'POST', url: `/api/notifications/${notification.id}/read`, headers: bearer(tenant.memberToken) });
    expect(read.statusCode).toBe(200);
    expect(read.json().readAt).toEqual(expect.any(String));
    const unread = await t.app.inject({ method: 'GET', url: '/api/notifications?unread=true', headers: bearer(tenant.memberToken) });
    expect(unread.json().items.map((item: { id: string }) => item.id)).not.toContain(notification.id);
  });

  it("another user's notification answers 404", async () => {
    const documentId = await uploadAccepted(t, tenant, Buffer.concat([Buffer.from('%PDF-1.5\n'), randomBytes(1024)]));
    await settledDocument(t, tenant, documentId);
    const notification = await t.db.notification.findFirstOrThrow({ where: { metadata: { path: ['documentId'], equals: documentId } } });
    const stranger = await createTenant(t.db);
    expect((await t.app.inject({ method: 'POST', url: `/api/notifications/${notification.id}/read`, headers: bearer(stranger.adminToken) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: `/api/notifications/${notification.id}/read`, headers: bearer(tenant.adminToken) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/notifications', headers: bearer(tenant.adminToken) })).json().items).toEqual([]);
  });

  it('a failure reported twice, even at once, is written once and notified once', async () => {
    const document = await createDocumentRow(t.db, tenant);
    const failure: FinalFailure = {
      jobId: document.id,
      queue: 'bill-scan',
      jobName: 'scan',
      attempts: 3,
      reason: 'processing failed after several attempts; please try again later',
      data: {
        documentId: document.id, tenantId: tenant.tenantId, entityId: tenant.entityId, uploadedBy: 'user-1', kind: 'bill',
        bucket: 'b', objectKey: document.objectKey, sha256: document.sha256, mimeType: 'application/pdf', filename: 'x.pdf',
      },
    };
    const results = await Promise.all([recordFinalFailure(t.db, failure), recordFinalFailure(t.db, failure)]);
    const again = await recordFinalFailure(t.db, failure);
    expect([...results, again].filter((result) => result.recorded)).toHaveLength(1);
    expect(await t.db.jobFailure.count({ where: { jobId: document.id } })).toBe(1);
    expect(await t.db.notification.count({ where: { userId: 'user-1', metadata: { path: ['jobId'], equals: document.id } } })).toBe(1);
    expect((await t.db.document.findUniqueOrThrow({ where: { id: document.id } })).status).toBe('FAILED');
  });

  it('notifications are listed newest first in cursor pages', async () => {
    const userId = randomUUID();
    for (let index = 0; index < 3; index++) {
      await t.db.notification.create({
        data: {
          tenantId: tenant.tenantId, userId, type: 'test', title: `n${index}`, message: 'm', metadata: {},
          dedupeKey: `test:${userId}:${index}`, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, index)),
        },
      });
    }
    const token = mintToken(TEST_JWT_SECRET, { sub: userId, tenantId: tenant.tenantId, role: 'MEMBER' });
    const first = (await t.app.inject({ method: 'GET', url: '/api/notifications?limit=2', headers: bearer(token) })).json();
    expect(first.items.map((item: { title: string }) => item.title)).toEqual(['n2', 'n1']);
    const second = (await t.app.inject({ method: 'GET', url: `/api/notifications?limit=2&cursor=${first.nextCursor}`, headers: bearer(token) })).json();
    expect(second).toMatchObject({ items: [{ title: 'n0' }], nextCursor: null });
  });
});
