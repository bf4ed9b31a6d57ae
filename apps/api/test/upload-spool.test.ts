import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { intakeDocument } from '../src/services/document-intake.js';
import { removeStaleSpoolFiles, SPOOL_FILE_PREFIX, SpoolMemoryBudget, UploadSpool } from '../src/services/upload-spool.js';
import { textPdf } from './helpers/documents.js';
import { failingWrites } from './helpers/faults.js';
import { expectNothingLeftBehind } from './helpers/leftovers.js';
import { multipartBody } from './helpers/multipart.js';
import { startRecordingHttpProxy, type RecordingHttpProxy } from './helpers/recording-http-proxy.js';
import { objectKeysOf } from './helpers/storage.js';
import { bearer, createTenant, type TenantFixture } from './helpers/tenants.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { postUpload } from './helpers/uploads.js';
import { waitFor } from './helpers/wait.js';

const MAX_UPLOAD_BYTES = 7 * 1024 * 1024;
/** An upload's share is a quarter: 256 KiB, so the files of these tests above it are spooled to disk. */
const UPLOAD_MEMORY_BYTES = 1024 * 1024;
/** Above lib-storage's 5 MiB part size, where a stream of unknown length would go multipart. */
const LARGE_BYTES = 6 * 1024 * 1024;

let spoolDir: string;
let proxy: RecordingHttpProxy;
let t: TestApp;

const spooledFiles = async () => (await readdir(spoolDir)).filter((name) => name.startsWith(SPOOL_FILE_PREFIX));
/** Any bytes after the magic are fine for the sniffer; the scan itself is not part of these tests. */
const pdfOf = (bytes: number) => Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(bytes - 9)]);

beforeAll(async () => {
  // os.tmpdir() follows TMPDIR: this file's app spools into a directory no other test file writes to.
  spoolDir = await mkdtemp(join(tmpdir(), 'billflow-spool-test-'));
  vi.stubEnv('TMPDIR', spoolDir);
  proxy = await startRecordingHttpProxy(inject('s3Endpoint'));
  t = await createTestApp({ overrides: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES), UPLOAD_MEMORY_BYTES: String(UPLOAD_MEMORY_BYTES), S3_ENDPOINT: proxy.url } });
});
afterAll(async () => {
  await t.close();
  await proxy.close();
  vi.unstubAllEnvs();
  await rm(spoolDir, { recursive: true, force: true });
});

function upload(tenant: TenantFixture, payload: Buffer, headers: Record<string, string>, entityId = tenant.entityId) {
  return t.app.inject({ method: 'POST', url: `/api/entities/${entityId}/bills/scan`, headers: { ...headers, ...bearer(tenant.memberToken) }, payload });
}

describe('spooled uploads', () => {
  it('stores a file above 5 MiB with one PutObject and removes the spooled copy', async () => {
    const tenant = await createTenant(t.db);
    const pdf = pdfOf(LARGE_BYTES);
    const body = multipartBody(pdf);
    const response = await upload(tenant, body.payload, body.headers);

    expect(response.statusCode, response.body).toBe(202);
    const document = await t.db.document.findUniqueOrThrow({ where: { id: response.json().documentId } });
    expect(document.sizeBytes).toBe(LARGE_BYTES);
    const writes = proxy.requests.filter((request) => request.url.includes(document.objectKey));
    expect(writes.map((request) => request.method)).toEqual(['PUT']);
    expect(writes[0]!.headers['content-length']).toBe(String(LARGE_BYTES));
    // The signed payload hash is the document's own: S3 refuses bytes that hash otherwise.
    expect(writes[0]!.headers['x-amz-content-sha256']).toBe(document.sha256);
    expect((await t.storage.read(document.objectKey, MAX_UPLOAD_BYTES))?.equals(pdf)).toBe(true);
    expect(await spooledFiles()).toEqual([]);
  });

  it('sends a small file, held in memory, with its own hash as the signed payload hash', async () => {
    const tenant = await createTenant(t.db);
    const pdf = pdfOf(20_000);
    const body = multipartBody(pdf);
    const response = await upload(tenant, body.payload, body.headers);

    expect(response.statusCode, response.body).toBe(202);
    const document = await t.db.document.findUniqueOrThrow({ where: { id: response.json().documentId } });
    expect(document.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    const writes = proxy.requests.filter((request) => request.url.includes(document.objectKey));
    expect(writes.map((request) => [request.method, request.headers['x-amz-content-sha256']])).toEqual([['PUT', document.sha256]]);
    expect(await spooledFiles()).toEqual([]);
  });

  it('refuses a file over the limit while spooling: nothing reaches S3, nothing stays in the temp directory', async () => {
    const tenant = await createTenant(t.db);
    const body = multipartBody(pdfOf(MAX_UPLOAD_BYTES + 10_000));
    const response = await upload(tenant, body.payload, body.headers);

    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'FILE_TOO_LARGE' });
    expect(proxy.requests.filter((request) => request.url.includes(tenant.tenantId))).toEqual([]);
    await expectNothingLeftBehind(t, tenant);
    expect(await spooledFiles()).toEqual([]);
  });

  it('refuses a body cut off before its closing boundary, leaving nothing behind', async () => {
    const tenant = await createTenant(t.db);
    const body = multipartBody(pdfOf(200_000));
    const response = await upload(tenant, body.payload.subarray(0, 150_000), body.headers);

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'MALFORMED_MULTIPART' });
    await expectNothingLeftBehind(t, tenant);
    expect(await spooledFiles()).toEqual([]);
  });

  it('removes the spooled file when the client goes away mid-upload', async () => {
    const tenant = await createTenant(t.db);
    const baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const body = multipartBody(pdfOf(2 * 1024 * 1024));
    const client = httpRequest(`${baseUrl}/api/entities/${tenant.entityId}/bills/scan`, {
      method: 'POST',
      headers: { ...body.headers, ...bearer(tenant.memberToken), 'content-length': String(body.payload.length) },
    });
    client.on('error', () => undefined);
    client.write(body.payload.subarray(0, 512 * 1024));

    await waitFor(async () => ((await spooledFiles()).length === 1 ? true : undefined), 10_000, 'the upload to be spooled');
    client.destroy();
    await waitFor(async () => ((await spooledFiles()).length === 0 ? true : undefined), 10_000, 'the spooled file to be removed');
    await waitFor(async () => ((await t.db.pendingUpload.count({ where: { tenantId: tenant.tenantId } })) === 0 ? true : undefined), 10_000, 'the PendingUpload to be forgotten');
    await expectNothingLeftBehind(t, tenant);
  });

  it('refuses another tenant\'s entity before spooling anything', async () => {
    const tenant = await createTenant(t.db);
    const other = await createTenant(t.db);
    const body = multipartBody(await textPdf(['Invoice'], 'other-entity'));
    const response = await upload(tenant, body.payload, body.headers, other.entityId);

    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'NOT_FOUND' });
    await expectNothingLeftBehind(t, tenant);
    await expectNothingLeftBehind(t, other);
  });
});

describe('intakeDocument', () => {
  const intake = (tenant: TenantFixture, file: Buffer, beforeCommit?: () => Promise<void>) =>
    intakeDocument(
      { db: t.db, storage: t.storage, queues: t.queues, maxUploadBytes: MAX_UPLOAD_BYTES, uploadMemory: new SpoolMemoryBudget(UPLOAD_MEMORY_BYTES) },
      { tenantId: tenant.tenantId, entityId: tenant.entityId, uploadedBy: 'user-1', kind: 'bill', requestId: randomUUID(), filename: 'a.pdf', file: Readable.from([file]), beforeCommit },
    );

  it('returns the inserted Document exactly as Prisma reads it, with UTC timestamps', async () => {
    const tenant = await createTenant(t.db);
    const before = Date.now();
    const { document, duplicate } = await intake(tenant, await textPdf(['Invoice 7'], 'typed-row'));

    expect(duplicate).toBe(false);
    expect(document).toEqual(await t.db.document.findUniqueOrThrow({ where: { id: document.id } }));
    expect(document).toMatchObject({ status: 'QUEUED', progress: 0, kind: 'BILL', jobId: document.id, uploadedBy: 'user-1' });
    expect(document.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(document.createdAt.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
    expect(document.updatedAt).toEqual(document.createdAt);
  });

  it('has reserved the upload (UTC) and removed the spooled file by the time beforeCommit runs', async () => {
    const tenant = await createTenant(t.db);
    const before = Date.now();
    let pendingCreatedAt: Date | undefined;
    let spooledAtCommit: string[] | undefined;
    await intake(tenant, await textPdf(['Invoice 8'], 'before-commit'), async () => {
      pendingCreatedAt = (await t.db.pendingUpload.findFirstOrThrow({ where: { tenantId: tenant.tenantId } })).createdAt;
      spooledAtCommit = await spooledFiles();
    });

    expect(pendingCreatedAt!.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(pendingCreatedAt!.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
    expect(spooledAtCommit).toEqual([]);
  });

  it('answers the known Document for the same file, keeping one row and one stored file', async () => {
    const tenant = await createTenant(t.db);
    const pdf = await textPdf(['Invoice 9'], 'same-file');
    const first = await intake(tenant, pdf);
    const second = await intake(tenant, pdf);

    expect(second).toEqual({ document: first.document, duplicate: true });
    expect(await t.db.document.count({ where: { tenantId: tenant.tenantId } })).toBe(1);
    expect(await objectKeysOf(tenant.tenantId)).toEqual([first.document.objectKey]);
  });
});

describe('with S3 unreachable', () => {
  it('answers 503, leaves no spooled file and keeps the upload\'s intent row for the reconciler', async () => {
    const down = await createTestApp({ overrides: { S3_ENDPOINT: 'http://127.0.0.1:1' } });
    try {
      const tenant = await createTenant(down.db);
      const response = await postUpload(down, tenant, await textPdf(['Invoice'], 's3-down'));

      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
      expect(await spooledFiles()).toEqual([]);
      expect(await down.db.document.count({ where: { tenantId: tenant.tenantId } })).toBe(0);
      // A PutObject can reach S3 and lose only its answer: the intent row stays, so the reconciler removes whatever is under the key.
      expect(await down.db.pendingUpload.count({ where: { tenantId: tenant.tenantId } })).toBe(1);
    } finally {
      await down.close();
    }
  });
});

describe('with S3 failing in passing', () => {
  it('answers 503 after three failed PutObjects and, the object deleted, leaves nothing behind', async () => {
    const flaky = await createTestApp({ wrapStorage: failingWrites(3) });
    try {
      const tenant = await createTenant(flaky.db);
      const response = await postUpload(flaky, tenant, await textPdf(['Invoice # FLAKY-3'], 's3-flaky-3'));

      expect(response.statusCode, response.body).toBe(503);
      expect(response.json()).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
      await expectNothingLeftBehind(flaky, tenant);
    } finally {
      await flaky.close();
    }
  });

  it.each([
    ['held in memory', async () => textPdf(['Invoice # FLAKY-1'], 's3-flaky')],
    ['spooled to disk', async () => pdfOf(1024 * 1024)],
  ])('sends the file %s again: two failed PutObjects still end in 202 and the whole file stored', async (_where, pdfFor) => {
    const flaky = await createTestApp({ wrapStorage: failingWrites(2), overrides: { UPLOAD_MEMORY_BYTES: String(UPLOAD_MEMORY_BYTES) } });
    try {
      const tenant = await createTenant(flaky.db);
      const pdf = await pdfFor();
      const response = await postUpload(flaky, tenant, pdf);

      expect(response.statusCode, response.body).toBe(202);
      const document = await flaky.db.document.findUniqueOrThrow({ where: { id: response.json().documentId } });
      expect((await flaky.storage.read(document.objectKey, MAX_UPLOAD_BYTES))?.equals(pdf)).toBe(true);
      expect(await spooledFiles()).toEqual([]);
    } finally {
      await flaky.close();
    }
  });
});

describe('UploadSpool', () => {
  const LIMIT = 64 * 1024;
  /** A budget whose per-upload share is LIMIT. */
  const budget = () => new SpoolMemoryBudget(4 * LIMIT);
  const chunksOf = (total: number) => Array.from({ length: total / 1024 }, () => randomBytes(1024));
  const bodyBytes = async (body: Buffer | Readable) => (Buffer.isBuffer(body) ? body : Buffer.concat(await body.toArray()));
  const spoolAll = async (spool: UploadSpool, chunks: Buffer[]) => {
    for (const chunk of chunks) await spool.append(chunk);
    await spool.finish();
  };

  it('holds a file up to its share of the memory budget without touching the disk, and gives the memory back', async () => {
    const memory = budget();
    const chunks = chunksOf(LIMIT);
    const spool = new UploadSpool(memory);
    await spoolAll(spool, chunks);

    expect(await spooledFiles()).toEqual([]);
    expect(memory.held).toBe(LIMIT);
    for (let reading = 0; reading < 2; reading++) expect((await bodyBytes(spool.body())).equals(Buffer.concat(chunks))).toBe(true);
    await spool.remove();
    expect(memory.held).toBe(0);
  });

  it('moves a larger file to a private temporary file, readable again and again, that remove() deletes', async () => {
    const memory = budget();
    const chunks = chunksOf(LIMIT + 1024);
    const spool = new UploadSpool(memory);
    await spoolAll(spool, chunks);

    const [name] = await spooledFiles();
    expect(name).toBeDefined();
    expect((await stat(join(spoolDir, name!))).mode & 0o777).toBe(0o600);
    expect(memory.held).toBe(0);
    for (let reading = 0; reading < 2; reading++) expect((await bodyBytes(spool.body())).equals(Buffer.concat(chunks))).toBe(true);
    await spool.remove();
    expect(await spooledFiles()).toEqual([]);
  });

  it('sends a small file to disk too once uploads in flight hold the whole budget', async () => {
    const memory = budget();
    const holding = Array.from({ length: 4 }, () => new UploadSpool(memory));
    for (const spool of holding) await spoolAll(spool, chunksOf(LIMIT));
    expect(memory.held).toBe(4 * LIMIT);

    const late = new UploadSpool(memory);
    await spoolAll(late, chunksOf(1024));
    expect(await spooledFiles()).toHaveLength(1);
    await Promise.all([...holding, late].map((spool) => spool.remove()));
    expect(memory.held).toBe(0);
    expect(await spooledFiles()).toEqual([]);
  });
});

describe('removeStaleSpoolFiles', () => {
  it('removes only spooled files older than the given age', async () => {
    const stale = join(spoolDir, `${SPOOL_FILE_PREFIX}stale`);
    const fresh = join(spoolDir, `${SPOOL_FILE_PREFIX}fresh`);
    const unrelated = join(spoolDir, 'unrelated-old-file');
    await Promise.all([stale, fresh, unrelated].map((path) => writeFile(path, 'x')));
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await Promise.all([stale, unrelated].map((path) => utimes(path, anHourAgo, anHourAgo)));

    expect(await removeStaleSpoolFiles(60_000)).toBe(1);
    expect((await readdir(spoolDir)).sort()).toEqual([`${SPOOL_FILE_PREFIX}fresh`, 'unrelated-old-file']);
    await Promise.all([fresh, unrelated].map((path) => rm(path)));
  });
});

describe('MAX_UPLOAD_BYTES', () => {
  const env = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/billflow', REDIS_URL: 'redis://127.0.0.1:6379', JWT_SECRET: 'a'.repeat(32) };

  it('is refused above what one Document can record (2^31 − 1 bytes, within S3\'s 5 GiB PutObject)', () => {
    expect(loadConfig({ ...env, MAX_UPLOAD_BYTES: String(2 ** 31 - 1) }).MAX_UPLOAD_BYTES).toBe(2 ** 31 - 1);
    expect(() => loadConfig({ ...env, MAX_UPLOAD_BYTES: String(2 ** 31) })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, MAX_UPLOAD_BYTES: String(6 * 1024 ** 3) })).toThrow(/MAX_UPLOAD_BYTES/);
  });
});
