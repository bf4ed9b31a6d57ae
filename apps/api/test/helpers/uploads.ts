import { expect } from 'vitest';
import { multipartBody } from './multipart.js';
import { bearer, type TenantFixture } from './tenants.js';
import type { TestApp } from './test-app.js';
import { waitFor } from './wait.js';

/** Uploads a file to the tenant's entity as its MEMBER (with an Idempotency-Key when given); the response as it is. */
export function postUpload(t: TestApp, tenant: TenantFixture, file: Buffer, options: { kind?: 'bills' | 'invoices'; key?: string } = {}) {
  const body = multipartBody(file);
  return t.app.inject({
    method: 'POST',
    url: `/api/entities/${tenant.entityId}/${options.kind ?? 'bills'}/scan`,
    headers: { ...body.headers, ...bearer(tenant.memberToken), ...(options.key ? { 'idempotency-key': options.key } : {}) },
    payload: body.payload,
  });
}

/** Uploads a file as the tenant's MEMBER and expects it accepted; returns the document id. */
export async function uploadAccepted(t: TestApp, tenant: TenantFixture, file: Buffer, kind: 'bills' | 'invoices' = 'bills'): Promise<string> {
  const response = await postUpload(t, tenant, file, { kind });
  expect(response.statusCode, response.body).toBe(202);
  return response.json().documentId;
}

/** Waits until the document is PROCESSED or FAILED and returns it as the API shows it. */
export async function settledDocument(t: TestApp, tenant: TenantFixture, documentId: string, timeoutMs = 20_000) {
  return waitFor(async () => {
    const response = await t.app.inject({ method: 'GET', url: `/api/documents/${documentId}`, headers: bearer(tenant.memberToken) });
    const document = response.json();
    if (!['PROCESSED', 'FAILED'].includes(document.status)) return undefined;
    // The row is PROCESSED inside the job; BullMQ completes the job (attempts, events, audit) just after.
    const jobs = await Promise.all(Object.values(t.queues).map((queue) => queue.getJob(documentId)));
    const states = await Promise.all(jobs.map((job) => job?.getState()));
    return states.includes('active') ? undefined : document;
  }, timeoutMs, `document ${documentId} to settle`);
}
