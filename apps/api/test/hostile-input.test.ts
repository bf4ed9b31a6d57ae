import { randomBytes } from 'node:crypto';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../src/services/object-storage.js';
import { textPdf } from './helpers/documents.js';
import {
  corruptPdf,
  deflateBombPdf,
  encryptedPdf,
  htmlPage,
  htmlPdfPolyglot,
  jpegDeclaring,
  kidsChainPdf,
  manyPagesPdf,
  multipartWithPartHeaders,
  nestedArraysPdf,
  pdfHtmlPolyglot,
  pdfZipPolyglot,
  pngDeclaring,
  selfReferencingPagesPdf,
  tiffDeclaring,
  truncated,
  windowsExecutable,
  zipPdfPolyglot,
} from './helpers/hostile-files.js';
import { multipartBody } from './helpers/multipart.js';
import { objectKeysOf } from './helpers/storage.js';
import { bearer, createTenant, type TenantFixture } from './helpers/tenants.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { settledDocument } from './helpers/uploads.js';
import { expectNothingLeftBehind } from './helpers/leftovers.js';

type Body = { payload: Buffer; headers: Record<string, string> };

function upload(t: TestApp, tenant: TenantFixture, body: Body) {
  return t.app.inject({
    method: 'POST',
    url: `/api/entities/${tenant.entityId}/bills/scan`,
    headers: { ...body.headers, ...bearer(tenant.memberToken) },
    payload: body.payload,
  });
}

const invoiceLines = (salt: string) => ['ACME Supplies Ltd', `Invoice number INV-${salt}`, 'Issue date 2026-01-15', 'Total due USD 120.00'];

describe('hostile file names', () => {
  let t: TestApp;
  let s3: ReturnType<typeof createS3Client>;
  beforeAll(async () => {
    t = await createTestApp();
    s3 = createS3Client(t.config);
  });
  afterAll(async () => {
    s3.destroy();
    await t.close();
  });

  const disposition = (filename: string) => `Content-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf`;
  const encodedDisposition = (filename: string) =>
    `Content-Disposition: form-data; name="file"; filename*=UTF-8''${encodeURIComponent(filename)}\r\nContent-Type: application/pdf`;
  const cjk = '請求書'.repeat(3_400);
  const nfd = 'Facture-Señor-Zoë.pdf'.normalize('NFD');

  it.each([
    ['path traversal', disposition('../../etc/passwd'), 'passwd'],
    ['a Windows path traversal', disposition('..\\..\\windows\\system32\\invoice.pdf'), 'invoice.pdf'],
    ['an absolute path', disposition('/var/lib/billflow/invoice.pdf'), 'invoice.pdf'],
    ['NUL, bell and escape characters', encodedDisposition('in\u0000voi\u0007ce\u001b[31m.pdf'), 'invoice[31m.pdf'],
    ['a CRLF header injection (raw)', disposition('invoice.pdf"\r\nX-Injected: yes\r\nContent-Type: text/html; x="'), 'invoice.pdf'],
    ['an RTL override hiding .exe', disposition('invoice\u202Efdp.exe'), 'invoicefdp.exe'],
    ['zero-width characters', disposition('in\u200Bvoice\uFEFF.pdf'), 'invoice.pdf'],
    ['Cyrillic look-alikes', disposition('іnvоicе.pdf'), 'іnvоicе.pdf'],
    ['a decomposed (NFD) name', disposition(nfd), 'Facture-Señor-Zoë.pdf'],
    ['1,000+ characters', disposition(`${'a'.repeat(1_200)}.pdf`), 'a'.repeat(255)],
    ['10,000 characters of 3-byte UTF-8', encodedDisposition(cjk), cjk.slice(0, 85)],
    ['only control characters', encodedDisposition('\t\u0000\u0007\u007f'), 'upload'],
  ])('%s: the key is made of ids only, the name is cleaned, bounded and only metadata', async (name, partHeaders, expected) => {
    const tenant = await createTenant(t.db);
    const response = await upload(t, tenant, multipartWithPartHeaders(await textPdf(invoiceLines(name), name), partHeaders));
    expect(response.statusCode, response.body).toBe(202);
    expect(Object.keys(response.headers).filter((name) => name.startsWith('x-injected'))).toEqual([]);
    const { documentId } = response.json();

    const keys = await objectKeysOf(tenant.tenantId);
    expect(keys).toEqual([expect.stringMatching(new RegExp(`^${tenant.tenantId}/${tenant.entityId}/\\d{4}/\\d{2}/${documentId}$`))]);

    const document = (await t.app.inject({ method: 'GET', url: `/api/documents/${documentId}`, headers: bearer(tenant.memberToken) })).json();
    expect(document.filename).toBe(expected);
    expect(Buffer.byteLength(document.filename)).toBeLessThanOrEqual(255);
    expect(document.filename).not.toMatch(/[\p{Cc}\p{Cf}/\\]/u);
    expect(document.filename).toBe(document.filename.normalize('NFC'));

    const head = await s3.send(new HeadObjectCommand({ Bucket: t.config.S3_BUCKET, Key: keys[0] }));
    expect(decodeURIComponent(head.Metadata?.['original-filename'] ?? '')).toBe(expected);
    expect(head.Metadata?.['original-filename']).toMatch(/^[\w.!~*'()%-]*$/);
  });

  it.each([
    ['CRLF', 'invoice.pdf\r\nX-Injected: yes'],
    ['a lone LF', 'invoice\n.pdf'],
  ])('a file name carrying an encoded %s is not taken as a file: 400, nothing left behind', async (_, filename) => {
    const tenant = await createTenant(t.db);
    const response = await upload(t, tenant, multipartWithPartHeaders(await textPdf(invoiceLines(filename)), encodedDisposition(filename)));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'FILE_REQUIRED' });
    expect(Object.keys(response.headers).filter((name) => name.startsWith('x-injected'))).toEqual([]);
    await expectNothingLeftBehind(t, tenant);
  });
});

describe('content that lies about its type', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it.each([
    ['an .exe named .pdf, sent as application/pdf', () => windowsExecutable(), 'application/x-msdownload'],
    ['HTML sent as application/pdf', () => htmlPage(), 'unknown'],
    ['HTML with a PDF after it (HTML/PDF polyglot)', async () => htmlPdfPolyglot(await textPdf(invoiceLines('html-first'))), 'unknown'],
    ['a ZIP holding a PDF (ZIP/PDF polyglot)', async () => zipPdfPolyglot(await textPdf(invoiceLines('zip-first'))), 'application/zip'],
  ])('415 for %s, with nothing left behind', async (_, file, detected) => {
    const tenant = await createTenant(t.db);
    const response = await upload(t, tenant, multipartBody(await file(), { filename: 'invoice.pdf', contentType: 'application/pdf' }));
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', details: { detected } });
    await expectNothingLeftBehind(t, tenant);
  });

  it.each(['before', 'after'])('400 MALFORMED_BODY, not a 5xx, for a `__proto__` field %s the file, with nothing left behind', async (where) => {
    const tenant = await createTenant(t.db);
    // Larger than the sniffed head, so that a failure can come while the file streams to storage.
    const file = Buffer.concat([await textPdf(invoiceLines(where), where), randomBytes(16 * 1024)]);
    const boundary = `proto-${where}`;
    const field = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="__proto__"\r\n\r\nx\r\n`);
    const filePart = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n`), file, Buffer.from('\r\n')]);
    const parts = where === 'before' ? [field, filePart] : [filePart, field];
    const payload = Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]);
    const response = await upload(t, tenant, { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({ code: 'MALFORMED_BODY' });
    await expectNothingLeftBehind(t, tenant);
  });

  it('400 for zero bytes, with nothing left behind', async () => {
    const tenant = await createTenant(t.db);
    const response = await upload(t, tenant, multipartBody(Buffer.alloc(0), { contentType: 'application/pdf' }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'EMPTY_FILE' });
    await expectNothingLeftBehind(t, tenant);
  });
});

describe('files that attack the scan job', () => {
  /** Generous for two busy cores; a hang or a page-by-page OCR of thousands of pages is far beyond it. */
  const CASE_BOUND_MS = 45_000;
  /** Peak RSS growth allowed over the whole block: the deflate bomb alone would take ~10 GB if expanded. */
  const PEAK_RSS_BOUND_BYTES = 1024 * 1024 * 1024;

  let t: TestApp;
  let tenant: TenantFixture;
  let rssAtStart: number;
  const timings: string[] = [];
  beforeAll(async () => {
    t = await createTestApp({ workers: true, overrides: { EXTRACTION_TIMEOUT_MS: '60000' } });
    tenant = await createTenant(t.db);
    rssAtStart = process.memoryUsage().rss;
  });
  afterAll(async () => {
    console.log(`hostile scan jobs (status, ms):\n${timings.join('\n')}`);
    await t.close();
  });

  async function scan(name: string, file: Buffer) {
    const started = Date.now();
    const response = await upload(t, tenant, multipartBody(file, { filename: `${name}.bin` }));
    expect(response.statusCode, response.body).toBe(202);
    const { documentId } = response.json();
    const document = await settledDocument(t, tenant, documentId, CASE_BOUND_MS);
    const elapsed = Date.now() - started;
    timings.push(`${name}: ${document.status} ${elapsed} ms, ${document.error ?? ''}`);
    expect(elapsed).toBeLessThan(CASE_BOUND_MS);
    return document;
  }

  async function expectFailedOnce(document: { id: string; status: string; error: string | null }, reason: RegExp) {
    expect(document.status).toBe('FAILED');
    expect(document.error).toMatch(reason);
    expect((await t.queues.bill.getJob(document.id))?.attemptsMade).toBe(1);
    expect(await t.db.jobFailure.count({ where: { documentId: document.id } })).toBe(1);
    expect(await t.db.jobFailure.findUniqueOrThrow({ where: { jobId: document.id } })).toMatchObject({ attempts: 1, reason: document.error });
    expect(await t.db.accountingRecord.count({ where: { documentId: document.id } })).toBe(0);
  }

  it.each([
    ['truncated', async () => truncated(await textPdf(invoiceLines('truncated'), 'truncated')), /PDF cannot be parsed/],
    ['corrupt', async () => corruptPdf(), /PDF cannot be parsed/],
    ['encrypted', async () => encryptedPdf('open sesame'), /password-protected/],
    ['png-50000x50000', async () => pngDeclaring(50_000, 50_000), /50000 × 50000 pixels exceeds the limit/],
    ['jpeg-65000x65000', async () => jpegDeclaring(65_000, 65_000), /65000 × 65000 pixels exceeds the limit/],
    ['tiff-65000x65000', async () => tiffDeclaring(65_000, 65_000), /65000 × 65000 pixels exceeds the limit/],
    ['nested-arrays-100000', async () => nestedArraysPdf(100_000), /PDF cannot be parsed/],
    ['self-referencing-pages', async () => selfReferencingPagesPdf(), /PDF cannot be parsed/],
    ['deflate-bomb-1GiB', async () => deflateBombPdf(1024), /PDF content expands to more than 128 MB/],
  ])('%s: FAILED at once with its reason, one JobFailure and no record', async (name, file, reason) => {
    await expectFailedOnce(await scan(name, await file()), reason);
  });

  it('a PDF of 5,000 pages reads only the first EXTRACTION_MAX_PAGES and says so', async () => {
    const document = await scan('pages-5000', await manyPagesPdf(5_000));
    expect(document.status).toBe('PROCESSED');
    const record = (await t.app.inject({ method: 'GET', url: document.recordUrl, headers: bearer(tenant.memberToken) })).json();
    expect(record).toMatchObject({ status: 'PENDING_REVIEW', reasons: expect.arrayContaining([`only the first ${t.config.EXTRACTION_MAX_PAGES} of 5000 pages read`]) });
  });

  it('a page tree 50,000 /Pages nodes deep is walked without overflowing the stack', async () => {
    const document = await scan('kids-chain-50000', kidsChainPdf(50_000));
    expect(document.status).toBe('PROCESSED');
  });

  it.each([
    ['pdf-html-polyglot', () => pdfHtmlPolyglot()],
    ['pdf-zip-polyglot', async () => pdfZipPolyglot(await textPdf(invoiceLines('pdf-zip'), 'pdf-zip'))],
  ])('%s sniffs as a PDF, is stored as one and read as text only', async (name, file) => {
    const document = await scan(name, await file());
    expect(document).toMatchObject({ status: 'PROCESSED', mimeType: 'application/pdf' });
  });

  it('leaves the process healthy with bounded memory', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode, health.body).toBe(200);
    const peakRss = process.resourceUsage().maxRSS * 1024;
    timings.push(`RSS at start ${Math.round(rssAtStart / 1e6)} MB, now ${Math.round(process.memoryUsage().rss / 1e6)} MB, peak ${Math.round(peakRss / 1e6)} MB`);
    expect(peakRss - rssAtStart).toBeLessThan(PEAK_RSS_BOUND_BYTES);
  });
});
