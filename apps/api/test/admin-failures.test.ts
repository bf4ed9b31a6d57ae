import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textPdf } from './helpers/documents.js';
import { failingReads } from './helpers/faults.js';
import { bearer, createTenant, type TenantFixture } from './helpers/tenants.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { settledDocument, uploadAccepted } from './helpers/uploads.js';
import { waitFor } from './helpers/wait.js';

let t: TestApp;
let tenant: TenantFixture;

/** With one attempt per job and the first two storage reads failing, the first two documents fail for good; later ones succeed. */
beforeAll(async () => {
  t = await createTestApp({ workers: true, overrides: { JOB_ATTEMPTS: '1' }, wrapStorage: failingReads(2) });
  tenant = await createTenant(t.db);
});
afterAll(() => t.close());

const call = (method: 'GET' | 'POST', url: string, payload?: object, token = tenant.adminToken) =>
  t.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

async function failedDocument(salt: string) {
  const documentId = await uploadAccepted(t, tenant, await textPdf(['Invoice # DL', 'Total $5.00'], salt));
  expect((await settledDocument(t, tenant, documentId)).status).toBe('FAILED');
  return t.db.jobFailure.findUniqueOrThrow({ where: { jobId: documentId } });
}

describe('dead letters', () => {
  it('lists failures by queue, tenant and resolution, and inspects one; MEMBERs get 403', async () => {
    const failure = await failedDocument('listed');
    const listed = (await call('GET', `/api/admin/failures?queue=bill-scan&tenantId=${tenant.tenantId}&resolved=false`)).json();
    expect(listed.items.map((item: { id: string }) => item.id)).toContain(failure.id);
    expect((await call('GET', `/api/admin/failures?queue=invoice-scan&tenantId=${tenant.tenantId}`)).json().items).toEqual([]);

    const detail = (await call('GET', `/api/admin/failures/${failure.id}`)).json();
    expect(detail).toMatchObject({ id: failure.id, jobId: failure.jobId, queue: 'bill-scan', attempts: 1, occurrences: 1, resolvedAt: null, data: { documentId: failure.documentId } });
    expect((await call('GET', `/api/admin/failures/${failure.id}`, undefined, tenant.memberToken)).statusCode).toBe(403);
  });

  it('retries from the row after Redis removed the failed job, and resolves the row when the retry succeeds', async () => {
    const failure = await failedDocument('replayed');
    await (await t.queues.bill.getJob(failure.jobId))!.remove();

    const retried = await call('POST', `/api/admin/failures/${failure.id}/retry`);
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toEqual({ documentId: failure.documentId, jobId: failure.jobId });

    const resolved = await waitFor(async () => {
      const row = await t.db.jobFailure.findUniqueOrThrow({ where: { id: failure.id } });
      return row.resolvedAt ? row : undefined;
    });
    expect(resolved.retriedAt).not.toBeNull();
    expect((await settledDocument(t, tenant, failure.documentId)).status).toBe('PROCESSED');
    expect((await call('POST', `/api/admin/failures/${failure.id}/retry`)).json()).toMatchObject({ code: 'FAILURE_RESOLVED' });
  });

  it('counts a failure again (and notifies again) when the retry fails too', async () => {
    const documentId = await uploadAccepted(t, tenant, Buffer.concat([Buffer.from('%PDF-1.6\n'), randomBytes(1500)]));
    await settledDocument(t, tenant, documentId);
    const failure = await t.db.jobFailure.findUniqueOrThrow({ where: { jobId: documentId } });
    await call('POST', `/api/admin/failures/${failure.id}/retry`);
    const again = await waitFor(async () => {
      const row = await t.db.jobFailure.findUniqueOrThrow({ where: { id: failure.id } });
      return row.occurrences === 2 ? row : undefined;
    });
    expect(again.resolvedAt).toBeNull();
    expect(await t.db.notification.count({ where: { metadata: { path: ['jobId'], equals: documentId } } })).toBe(2);
  });

  it('retries every open failure of a filter in bulk', async () => {
    const other = await createTenant(t.db);
    const corrupt = async (salt: number) => {
      const body = Buffer.concat([Buffer.from('%PDF-1.3\n'), randomBytes(1000 + salt)]);
      const id = await uploadAccepted(t, other, body);
      await settledDocument(t, other, id);
    };
    await corrupt(1);
    await corrupt(2);
    const response = await call('POST', '/api/admin/failures/retry', { tenantId: other.tenantId });
    expect(response.json()).toEqual({ retried: 2, failed: 0 });
    expect(await t.db.jobFailure.count({ where: { tenantId: other.tenantId, retriedAt: { not: null } } })).toBe(2);
  });
});
