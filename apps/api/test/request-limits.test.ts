import { connect } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textPdf } from './helpers/documents.js';
import { multipartParts, type FormPart } from './helpers/multipart.js';
import { bearer, createTenant, type TenantFixture } from './helpers/tenants.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { waitFor } from './helpers/wait.js';
import { expectNothingLeftBehind } from './helpers/leftovers.js';

const MAX_UPLOAD_BYTES = 64 * 1024;
const REQUEST_TIMEOUT_MS = 1_000;

let t: TestApp;
let pdf: Buffer;
/** What the app logged: how a test sees the outcome of a request whose client is gone. */
const logs: Record<string, unknown>[] = [];
beforeAll(async () => {
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  t = await createTestApp({ overrides: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES), REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) }, logger });
  pdf = await textPdf(['Invoice', 'Total 10.00'], 'request-limits');
});
afterAll(() => t.close());

const uploadUrl = (tenant: TenantFixture) => `/api/entities/${tenant.entityId}/bills/scan`;

function post(tenant: TenantFixture, body: { payload: Buffer; headers: Record<string, string> }, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url: uploadUrl(tenant), headers: { ...body.headers, ...bearer(tenant.memberToken), ...headers }, payload: body.payload });
}

const file = (): FormPart => ({ name: 'file', filename: 'bill.pdf', contentType: 'application/pdf', content: pdf });
const fields = (count: number, size = 10): FormPart[] => Array.from({ length: count }, (_, index) => ({ name: `note${index}`, content: 'x'.repeat(size) }));

describe('multipart limits on the upload route', () => {
  it('accepts the file with a few small fields around it (they are ignored)', async () => {
    const tenant = await createTenant(t.db);
    const response = await post(tenant, multipartParts([...fields(5), file(), ...fields(5)]));
    expect(response.statusCode, response.body).toBe(202);
  });

  it.each([
    { what: 'no file, only fields', parts: () => fields(3), status: 400, code: 'FILE_REQUIRED' },
    { what: 'an empty form', parts: () => [], status: 400, code: 'FILE_REQUIRED' },
    { what: 'the file under another field name', parts: () => [{ ...file(), name: 'document' }], status: 400, code: 'FILE_REQUIRED' },
    { what: 'two files', parts: () => [file(), { ...file(), filename: 'second.pdf' }], status: 413, code: 'TOO_MANY_FILES' },
    { what: '11 fields before the file', parts: () => [...fields(11), file()], status: 413, code: 'TOO_MANY_FIELDS' },
    { what: 'the file and 11 fields (12 parts)', parts: () => [file(), ...fields(11)], status: 413, code: 'TOO_MANY_PARTS' },
    { what: 'a 2 KiB field before the file', parts: () => [...fields(1, 2_048), file()], status: 413, code: 'FIELD_TOO_LARGE' },
    { what: 'a 2 KiB field after the file', parts: () => [file(), ...fields(1, 2_048)], status: 413, code: 'FIELD_TOO_LARGE' },
  ])('refuses $what with $status $code and leaves nothing behind', async ({ parts, status, code }) => {
    const tenant = await createTenant(t.db);
    const response = await post(tenant, multipartParts(parts()));
    expect(response.statusCode, response.body).toBe(status);
    expect(response.json()).toMatchObject({ code, message: expect.any(String) });
    await expectNothingLeftBehind(t, tenant);
  });

  it('refuses a body that ends inside the file with 400 and leaves nothing behind', async () => {
    const tenant = await createTenant(t.db);
    const whole = multipartParts([file()]);
    const response = await post(tenant, { ...whole, payload: whole.payload.subarray(0, whole.payload.length - 200) });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({ code: 'MALFORMED_MULTIPART' });
    await expectNothingLeftBehind(t, tenant);
  });

  it('refuses a body whose Content-Length is far above the upload limit before reading it', async () => {
    const tenant = await createTenant(t.db);
    const response = await post(tenant, multipartParts([file()]), { 'content-length': String(10 * MAX_UPLOAD_BYTES) });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'FILE_TOO_LARGE', details: { maxBytes: MAX_UPLOAD_BYTES } });
    await expectNothingLeftBehind(t, tenant);
  });
});

describe('request timeout', () => {
  let port: number;
  beforeAll(async () => {
    port = Number(new URL(await t.app.listen({ host: '127.0.0.1', port: 0 })).port);
  });

  it.each([
    // Past the type sniffing, so the file is already streaming into storage when the client stalls.
    { where: 'inside the file', unsent: 100 },
    { where: 'after the file, before the closing boundary', unsent: 4 },
  ])('cuts off a client that stalls $where, and keeps nothing of the upload', async ({ unsent }) => {
    const tenant = await createTenant(t.db);
    const body = multipartParts([file()]);
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    const closed = new Promise((resolve) => socket.once('close', resolve));

    const started = Date.now();
    const head =
      `POST ${uploadUrl(tenant)} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${tenant.memberToken}\r\n` +
      `Content-Type: ${body.headers['content-type']}\r\nContent-Length: ${body.payload.length}\r\n\r\n`;
    socket.write(Buffer.concat([Buffer.from(head), body.payload.subarray(0, body.payload.length - unsent)]));
    await closed;
    const elapsed = Date.now() - started;

    expect(answer === '' || answer.startsWith('HTTP/1.1 408'), answer).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(elapsed).toBeLessThan(REQUEST_TIMEOUT_MS + 1_000);
    // The handler ends too (no upload left hanging), with a 4xx of the client's making.
    const outcome = await waitFor(
      async () => logs.find((log) => log.tenantId === tenant.tenantId && (log.msg === 'request rejected' || log.msg === 'request failed')),
      5_000,
      'the upload handler to finish',
    );
    expect(outcome).toMatchObject({ msg: 'request rejected', code: 'MALFORMED_MULTIPART', statusCode: 400 });
    await expectNothingLeftBehind(t, tenant);
  });
});
