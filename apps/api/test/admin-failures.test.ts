import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textPdf } from './helpers/documents.js';
import { failingReads } from './helpers/faults.js';
import { bearer, createTenant, type TenantFixture } from './helpers/tenants.js';
import { appWithTenant, type TestApp } from './helpers/test-app.js';
import { settledDocument, uploadAccepted } from './helpers/uploads.js';
import { waitFor } from './helpers/wait.js';

let t: TestApp;
let tenant: TenantFixture;

/** With one attempt per job and the first two storage reads failing, the first two documents fail for good; later ones succeed. */
beforeAll(async () => ({ t, tenant } = await appWithTenant({ workers: true, overrides: { JOB_ATTEMPTS: '1' }, wrapStorage: failingReads(2) })));
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
    const response = await call('POST', '/api/admin/failures/retry', { tenantId: other.tenantId }, other.adminToken);
    expect(response.json()).toEqual({ retried: 2, failed: 0 });
    expect(await t.db.jobFailure.count({ where: { tenantId: other.tenantId, retriedAt: { not: null } } })).toBe(2);
  });
});

describe('tenant scope', () => {
  it("shows an ADMIN its own tenant's failures only: another tenant's id or tenantId filter is a 404, and nothing is retried", async () => {
    // An open failure from the tests above (only the first two uploads of this file fail on storage).
    const failure = await t.db.jobFailure.findFirstOrThrow({ where: { tenantId: tenant.tenantId, resolvedAt: null } });
    const retriedAt = failure.retriedAt;
    const stranger = await createTenant(t.db);
    const asStranger = (method: 'GET' | 'POST', url: string, payload?: object) => call(method, url, payload, stranger.adminToken);

    for (const [method, url, payload] of [
      ['GET', `/api/admin/failures/${failure.id}`],
      ['POST', `/api/admin/failures/${failure.id}/retry`],
      ['GET', `/api/admin/failures?tenantId=${tenant.tenantId}`],
      ['POST', '/api/admin/failures/retry', { tenantId: tenant.tenantId }],
    ] as const) {
      const response = await asStranger(method, url, payload);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json().code).toMatch(/NOT_FOUND$/);
    }
    // Without a filter: the own tenant (which has no failures), never everyone's.
    expect((await asStranger('GET', '/api/admin/failures')).json().items).toEqual([]);
    expect((await asStranger('POST', '/api/admin/failures/retry', {})).json()).toEqual({ retried: 0, failed: 0 });
    expect(await t.db.jobFailure.findUniqueOrThrow({ where: { id: failure.id } })).toMatchObject({ retriedAt, resolvedAt: null });

    const own = (await call('GET', '/api/admin/failures')).json().items.map((item: { tenantId: string }) => item.tenantId);
    expect(own.length).toBeGreaterThan(0);
    expect(new Set(own)).toEqual(new Set([tenant.tenantId]));
  });

  it("shows an OPERATOR every tenant's failures and lets it filter by any tenant", async () => {
    const failure = await t.db.jobFailure.findFirstOrThrow({ where: { tenantId: tenant.tenantId } });
    const operator = (await createTenant(t.db)).operatorToken;
    expect((await call('GET', `/api/admin/failures/${failure.id}`, undefined, operator)).json()).toMatchObject({ id: failure.id, tenantId: tenant.tenantId });
    const filtered = (await call('GET', `/api/admin/failures?tenantId=${tenant.tenantId}&limit=200`, undefined, operator)).json();
    expect(filtered.items.map((item: { id: string }) => item.id)).toContain(failure.id);
    const unfiltered = (await call('GET', '/api/admin/failures?limit=200', undefined, operator)).json();
    expect(new Set(unfiltered.items.map((item: { tenantId: string }) => item.tenantId)).size).toBeGreaterThan(1);
  });
});
