import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createObjectStorage } from '../src/services/object-storage.js';
import { textPdf } from './helpers/documents.js';
import { startRecordingHttpProxy, type RecordedRequest, type RecordingHttpProxy } from './helpers/recording-http-proxy.js';
import { objectKeysOf } from './helpers/storage.js';
import { createTenant } from './helpers/tenants.js';
import { createTestApp } from './helpers/test-app.js';
import { testConfig } from './helpers/test-config.js';
import { uploadAccepted } from './helpers/uploads.js';

const SSE = 'x-amz-server-side-encryption';
const SSE_KMS_KEY = 'x-amz-server-side-encryption-aws-kms-key-id';
const KMS_KEY_ID = 'arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
/** Above lib-storage's 5 MiB part size: stored as a multipart upload. */
const MULTIPART_BYTES = 6 * 1024 * 1024;

const isCreateMultipart = (request: RecordedRequest) => request.method === 'POST' && /[?&]uploads(=|&|$)/.test(request.url);
const isSinglePut = (request: RecordedRequest) => request.method === 'PUT' && !request.url.includes('uploadId=');
const encryptionHeaders = (request: RecordedRequest | undefined) => ({ [SSE]: request?.headers[SSE], [SSE_KMS_KEY]: request?.headers[SSE_KMS_KEY] });
const writesOf = (proxy: RecordingHttpProxy, key: string) => proxy.requests.filter((request) => request.url.includes(key));

let proxy: RecordingHttpProxy;
beforeAll(async () => {
  proxy = await startRecordingHttpProxy(inject('s3Endpoint'));
});
afterAll(() => proxy.close());

describe.each<[string, Record<string, string>, Record<string, string | undefined>]>([
  ['AES256', { S3_SSE: 'AES256' }, { [SSE]: 'AES256', [SSE_KMS_KEY]: undefined }],
  ['aws:kms with a key id', { S3_SSE: 'aws:kms', S3_SSE_KMS_KEY_ID: KMS_KEY_ID }, { [SSE]: 'aws:kms', [SSE_KMS_KEY]: KMS_KEY_ID }],
  ['none', { S3_SSE: 'none' }, { [SSE]: undefined, [SSE_KMS_KEY]: undefined }],
])('S3_SSE=%s', (_name, overrides, expected) => {
  const storage = () => createObjectStorage(testConfig({ S3_ENDPOINT: proxy.url, ...overrides }));

  it('sends the encryption headers with a single PutObject', async () => {
    const key = `sse-test/${randomUUID()}`;
    await storage().put(key, Readable.from([Buffer.from('%PDF-1.4 small')]), 'application/pdf', {});
    const puts = writesOf(proxy, key).filter(isSinglePut);
    expect(puts).toHaveLength(1);
    expect(encryptionHeaders(puts[0])).toEqual(expected);
    await storage().delete(key);
  });

  it('sends them with CreateMultipartUpload for a large file', async () => {
    const key = `sse-test/${randomUUID()}`;
    await storage().put(key, Readable.from([Buffer.alloc(MULTIPART_BYTES, 1)]), 'application/pdf', {});
    const writes = writesOf(proxy, key);
    expect(writes.filter(isSinglePut)).toEqual([]);
    const creates = writes.filter(isCreateMultipart);
    expect(creates).toHaveLength(1);
    expect(encryptionHeaders(creates[0])).toEqual(expected);
    expect((await storage().read(key, MULTIPART_BYTES))?.length).toBe(MULTIPART_BYTES);
    await storage().delete(key);
  });
});

describe('an upload through the API with S3_SSE=AES256', () => {
  it('stores the original with server-side encryption requested', async () => {
    const t = await createTestApp({ overrides: { S3_ENDPOINT: proxy.url, S3_SSE: 'AES256' } });
    try {
      const tenant = await createTenant(t.db);
      await uploadAccepted(t, tenant, await textPdf(['Invoice 1', 'Total 10.00 EUR']));
      const [key] = await objectKeysOf(tenant.tenantId);
      expect(key).toBeDefined();
      const writes = writesOf(proxy, key!).filter((request) => isSinglePut(request) || isCreateMultipart(request));
      expect(writes).toHaveLength(1);
      expect(writes[0]!.headers[SSE]).toBe('AES256');
    } finally {
      await t.close();
    }
  });
});
