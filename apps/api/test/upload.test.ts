import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTenant, type TenantFixture } from './helpers/tenants.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { textPdf, tinyPng } from './helpers/documents.js';
import { multipartBody } from './helpers/multipart.js';
import { objectKeysOf } from './helpers/storage.js';
import { expectNothingLeftBehind } from './helpers/leftovers.js';

const MAX_UPLOAD_BYTES = 256 * 1024;

let t: TestApp;
let tenant: TenantFixture;
let other: TenantFixture;

beforeAll(async () => {
  t = await createTestApp({ overrides: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) } });
  tenant = await createTenant(t.db);
  other = await createTenant(t.db);
});
afterAll(() => t.close());

function upload(body: ReturnType<typeof multipartBody>, options: { kind?: 'bills' | 'invoices'; token?: string; entityId?: string } = {}) {
  return t.app.inject({
    method: 'POST',
    url: `/api/entities/${options.entityId ?? tenant.entityId}/${options.kind ?? 'bills'}/scan`,
    headers: { ...body.headers, ...(options.token === '' ? {} : bearer(options.token ?? tenant.memberToken)) },
    payload: body.payload,
  });
}

describe('POST /api/entities/:entityId/{bills|invoices}/scan', () => {
  it('stores the file, records the document and queues a reference-only job named after it', async () => {
    const pdf = await textPdf(['ACME Supplies', 'Invoice # 1001', 'Total $10.00'], 'accepted');
    const response = await upload(multipartBody(pdf, { filename: 'acme.pdf' }));

    expect(response.statusCode).toBe(202);
    const body = response.json();
    expect(body).toEqual({
      documentId: expect.any(String),
      jobId: body.documentId,
      status: 'QUEUED',
      duplicate: false,
      links: { self: `/api/documents/${body.documentId}` },
    });
    expect(response.headers['x-request-id']).toBeTruthy();

    const document = await t.db.document.findUniqueOrThrow({ where: { id: body.documentId } });
    expect(document).toMatchObject({ kind: 'BILL', status: 'QUEUED', mimeType: 'application/pdf', sizeBytes: pdf.length, filename: 'acme.pdf' });
    expect(await objectKeysOf(tenant.tenantId)).toContain(document.objectKey);

    const job = await t.queues.bill.getJob(body.documentId);
    expect(job?.data).toEqual({ documentId: document.id, tenantId: tenant.tenantId, requestId: response.headers['x-request-id'] });
  });

  it('routes invoices to the invoice-scan queue', async () => {
    const response = await upload(multipartBody(await textPdf(['Invoice'], 'invoice-kind')), { kind: 'invoices' });
    expect(response.statusCode).toBe(202);
    expect(await t.queues.invoice.getJob(response.json().documentId)).toBeDefined();
    expect(await t.queues.bill.getJob(response.json().documentId)).toBeUndefined();
  });

  it('answers a known file with 200 and the existing document, without a second job or object', async () => {
    const pdf = await textPdf(['Same file twice'], 'duplicate');
    const first = (await upload(multipartBody(pdf))).json();
    const keysBefore = await objectKeysOf(tenant.tenantId);

    const second = await upload(multipartBody(pdf, { filename: 'renamed.pdf' }));
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ documentId: first.documentId, jobId: first.jobId, duplicate: true });
    expect(await objectKeysOf(tenant.tenantId)).toEqual(keysBefore);
    expect(await t.db.document.count({ where: { sha256: (await t.db.document.findUniqueOrThrow({ where: { id: first.documentId } })).sha256 } })).toBe(1);
  });

  it('treats the same file as new for the other kind', async () => {
    const pdf = await textPdf(['Bill and invoice'], 'both-kinds');
    expect((await upload(multipartBody(pdf), { kind: 'bills' })).statusCode).toBe(202);
    expect((await upload(multipartBody(pdf), { kind: 'invoices' })).statusCode).toBe(202);
  });

  it('takes one of two identical uploads racing each other', async () => {
    const pdf = await textPdf(['Racing uploads'], 'race');
    const responses = await Promise.all([upload(multipartBody(pdf)), upload(multipartBody(pdf))]);
    expect(responses.map((response) => response.statusCode).sort()).toEqual([200, 202]);
    const ids = new Set(responses.map((response) => response.json().documentId));
    expect(ids.size).toBe(1);
    const document = await t.db.document.findUniqueOrThrow({ where: { id: [...ids][0] } });
    expect((await objectKeysOf(tenant.tenantId)).filter((key) => key.endsWith(document.id))).toHaveLength(1);
  });

  it('accepts PNG images by their magic bytes', async () => {
    const response = await upload(multipartBody(tinyPng, { filename: 'scan.png' }));
    expect(response.statusCode).toBe(202);
  });

  it('queues a 10 MiB file as a job of ids only, its Redis hash under 1 KiB', async () => {
    const big = await createTestApp();
    try {
      const fixture = await createTenant(big.db);
      const pdf = Buffer.concat([await textPdf(['Large'], 'large'), randomBytes(10 * 1024 * 1024 - 4096)]);
      const body = multipartBody(pdf);
      const response = await big.app.inject({
        method: 'POST',
        url: `/api/entities/${fixture.entityId}/bills/scan`,
        headers: { ...body.headers, ...bearer(fixture.memberToken) },
        payload: body.payload,
      });
      expect(response.statusCode, response.body).toBe(202);
      const documentId = response.json().documentId;
      const job = await big.queues.bill.getJob(documentId);
      expect(job!.data).toEqual({ documentId, tenantId: fixture.tenantId, requestId: expect.any(String) });
      // Retention lives on the workers: only what must be per job is stored in its hash.
      expect(Object.keys(job!.opts).sort()).toEqual(['attempts', 'backoff', 'jobId']);
      expect(await big.redis.memory('USAGE', `${big.config.QUEUE_PREFIX}:bill-scan:${documentId}`)).toBeLessThan(1024);
    } finally {
      await big.close();
    }
  });
});

describe('upload errors leave nothing behind', () => {
  it('401 without a token', async () => {
    const fixture = await createTenant(t.db);
    const response = await upload(multipartBody(await textPdf(['x'])), { token: '', entityId: fixture.entityId });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    await expectNothingLeftBehind(t, fixture);
  });

  it("404 for another tenant's entity", async () => {
    const response = await upload(multipartBody(await textPdf(['x'], 'foreign')), { entityId: other.entityId });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'NOT_FOUND' });
    await expectNothingLeftBehind(t, other);
  });

  it('415 for a file that is not a PDF or image, whatever its name and content type say', async () => {
    const fixture = await createTenant(t.db);
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), randomBytes(2048)]);
    const response = await upload(multipartBody(exe, { filename: 'invoice.pdf', contentType: 'application/pdf' }), { entityId: fixture.entityId, token: fixture.memberToken });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    await expectNothingLeftBehind(t, fixture);
  });

  it('415 for HTML sent as application/pdf', async () => {
    const fixture = await createTenant(t.db);
    const html = Buffer.from('<!doctype html><html><body>Invoice</body></html>');
    const response = await upload(multipartBody(html, { contentType: 'application/pdf' }), { entityId: fixture.entityId, token: fixture.memberToken });
    expect(response.statusCode).toBe(415);
    await expectNothingLeftBehind(t, fixture);
  });

  it('413 above MAX_UPLOAD_BYTES, with no partial object', async () => {
    const fixture = await createTenant(t.db);
    const pdf = Buffer.concat([await textPdf(['Too big'], 'too-big'), randomBytes(MAX_UPLOAD_BYTES)]);
    const response = await upload(multipartBody(pdf), { entityId: fixture.entityId, token: fixture.memberToken });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'FILE_TOO_LARGE' });
    await expectNothingLeftBehind(t, fixture);
  });

  it('400 for a zero-byte file', async () => {
    const fixture = await createTenant(t.db);
    const response = await upload(multipartBody(Buffer.alloc(0)), { entityId: fixture.entityId, token: fixture.memberToken });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'EMPTY_FILE' });
    await expectNothingLeftBehind(t, fixture);
  });

  it('400 when the file is not in the field `file`', async () => {
    const fixture = await createTenant(t.db);
    const response = await upload(multipartBody(await textPdf(['x']), { field: 'document' }), { entityId: fixture.entityId, token: fixture.memberToken });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'FILE_REQUIRED' });
    await expectNothingLeftBehind(t, fixture);
  });

  it('415 when the body is not multipart', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/entities/${tenant.entityId}/bills/scan`,
      headers: { ...bearer(tenant.memberToken), 'content-type': 'application/json' },
      payload: { file: 'x' },
    });
    expect(response.statusCode).toBe(415);
  });

  it('400 for an entity id that is not a UUID', async () => {
    const response = await upload(multipartBody(await textPdf(['x'])), { entityId: 'not-a-uuid' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
