import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyRedisKey, uploadIdempotency } from '../src/services/idempotency.js';
import { textPdf } from './helpers/documents.js';
import { multipartBody } from './helpers/multipart.js';
import { objectKeysOf } from './helpers/storage.js';
import { bearer, createTenant, type TenantFixture } from './helpers/tenants.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { waitFor } from './helpers/wait.js';
import { expectNothingLeftBehind } from './helpers/leftovers.js';

type Body = ReturnType<typeof multipartBody>;

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await deleteIdempotencyKeys(t);
  await t.close();
});

/** The records outlive the test by IDEMPOTENCY_TTL_S; nothing else removes them from the shared Redis. */
async function deleteIdempotencyKeys(app: TestApp) {
  const keys = await app.redis.keys(`${app.config.QUEUE_PREFIX}:idempotency:*`);
  if (keys.length > 0) await app.redis.del(...keys);
}

function upload(
  app: TestApp,
  fixture: TenantFixture,
  body: Body,
  options: { key?: string; kind?: 'bills' | 'invoices'; payload?: Readable } = {},
) {
  return app.app.inject({
    method: 'POST',
    url: `/api/entities/${fixture.entityId}/${options.kind ?? 'bills'}/scan`,
    headers: { ...body.headers, ...bearer(fixture.memberToken), ...(options.key === undefined ? {} : { 'idempotency-key': options.key }) },
    payload: options.payload ?? body.payload,
  });
}

/** pdf-lib stamps the creation time: build a file once when a test sends it twice. */
const pdf = (salt: string) => textPdf(['Invoice', salt], salt);

async function jobsOf(app: TestApp, fixture: TenantFixture) {
  const jobs = await Promise.all(Object.values(app.queues).map((queue) => queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed'])));
  return jobs.flat().filter((job) => job.data.tenantId === fixture.tenantId);
}

async function expectOneUpload(app: TestApp, fixture: TenantFixture, documentId: string) {
  const documents = await app.db.document.findMany({ where: { tenantId: fixture.tenantId } });
  expect(documents.map((document) => document.id)).toEqual([documentId]);
  expect(await objectKeysOf(fixture.tenantId)).toEqual([documents[0]!.objectKey]);
  expect((await jobsOf(app, fixture)).map((job) => job.id)).toEqual([documentId]);
}

describe('Idempotency-Key on uploads', () => {
  it('the same key and file answer the first 202 again, with Idempotent-Replayed, and store one document, object and job', async () => {
    const fixture = await createTenant(t.db);
    const file = await pdf('replay');
    const key = randomUUID();

    const first = await upload(t, fixture, multipartBody(file), { key });
    expect(first.statusCode, first.body).toBe(202);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    // A new boundary and file name: the fingerprint is the file and the route, not the raw bytes.
    const retry = await upload(t, fixture, multipartBody(file, { filename: 'renamed.pdf' }), { key });
    expect(retry.statusCode, retry.body).toBe(202);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    await expectOneUpload(t, fixture, first.json().documentId);

    // Without the key the same file is the known duplicate, as before.
    const unkeyed = await upload(t, fixture, multipartBody(file));
    expect(unkeyed.statusCode).toBe(200);
    expect(unkeyed.json()).toMatchObject({ documentId: first.json().documentId, duplicate: true });
  });

  it('the same key with another file → 422, and nothing new is stored; the first answer stays', async () => {
    const fixture = await createTenant(t.db);
    const key = randomUUID();
    const file = await pdf('first-file');
    const first = await upload(t, fixture, multipartBody(file), { key });
    expect(first.statusCode).toBe(202);

    const other = await upload(t, fixture, multipartBody(await pdf('other-file')), { key });
    expect(other.statusCode, other.body).toBe(422);
    expect(other.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    await expectOneUpload(t, fixture, first.json().documentId);

    const retry = await upload(t, fixture, multipartBody(file), { key });
    expect(retry.statusCode).toBe(202);
    expect(retry.json()).toEqual(first.json());
  });

  it('the same key and file on another route (invoices instead of bills) → 422', async () => {
    const fixture = await createTenant(t.db);
    const key = randomUUID();
    const file = await pdf('route');
    const first = await upload(t, fixture, multipartBody(file), { key });
    expect(first.statusCode).toBe(202);

    const elsewhere = await upload(t, fixture, multipartBody(file), { key, kind: 'invoices' });
    expect(elsewhere.statusCode, elsewhere.body).toBe(422);
    expect(elsewhere.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    await expectOneUpload(t, fixture, first.json().documentId);
  });

  it("another tenant's use of the same key is independent", async () => {
    const key = randomUUID();
    const file = await pdf('tenants');
    const mine = await upload(t, await createTenant(t.db), multipartBody(file), { key });
    const other = await createTenant(t.db);
    const theirs = await upload(t, other, multipartBody(file), { key });

    expect(mine.statusCode).toBe(202);
    expect(theirs.statusCode, theirs.body).toBe(202);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.json().documentId).not.toBe(mine.json().documentId);
    await expectOneUpload(t, other, theirs.json().documentId);
  });

  it('a second request while the first is in flight → 409 with Retry-After; one document; a later retry gets the first answer', async () => {
    const fixture = await createTenant(t.db);
    const key = randomUUID();
    const file = await pdf('concurrent');
    const body = multipartBody(file);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // The first request sends half its body, then waits until the second one has been answered.
    const half = Math.floor(body.payload.length / 2);
    const held = Readable.from(
      (async function* () {
        yield body.payload.subarray(0, half);
        await gate;
        yield body.payload.subarray(half);
      })(),
    );
    const first = upload(t, fixture, body, { key, payload: held });
    await waitFor(async () => ((await t.redis.exists(idempotencyRedisKey(t.config.QUEUE_PREFIX, fixture.tenantId, key))) ? true : undefined));

    const second = await upload(t, fixture, multipartBody(file), { key });
    release();
    expect(second.statusCode, second.body).toBe(409);
    expect(second.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_USE' });
    expect(second.headers['retry-after']).toBe('2');

    const accepted = await first;
    expect(accepted.statusCode, accepted.body).toBe(202);
    await expectOneUpload(t, fixture, accepted.json().documentId);

    const retry = await upload(t, fixture, multipartBody(file), { key });
    expect(retry.statusCode).toBe(202);
    expect(retry.json()).toEqual(accepted.json());
  });

  it('a first request that failed (415) is not remembered: a retry with the same key and a valid file is processed', async () => {
    const fixture = await createTenant(t.db);
    const key = randomUUID();
    const rejected = await upload(t, fixture, multipartBody(Buffer.from('<html>not a pdf</html>'.repeat(10))), { key });
    expect(rejected.statusCode).toBe(415);
    await expectNothingLeftBehind(t, fixture);

    const retry = await upload(t, fixture, multipartBody(await pdf('after-415')), { key });
    expect(retry.statusCode, retry.body).toBe(202);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    await expectOneUpload(t, fixture, retry.json().documentId);
  });

  it.each([
    ['empty', ''],
    ['longer than 255 characters', 'k'.repeat(256)],
    ['with a space', 'two words'],
    ['with a non-ASCII character', 'clé'],
  ])('a key %s → 400, nothing stored', async (_, key) => {
    const fixture = await createTenant(t.db);
    const response = await upload(t, fixture, multipartBody(await pdf(`malformed-${key.length}`)), { key });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { context: 'headers' } });
    await expectNothingLeftBehind(t, fixture);
  });

  it('a key of 255 visible characters is accepted', async () => {
    const fixture = await createTenant(t.db);
    const response = await upload(t, fixture, multipartBody(await pdf('longest-key')), { key: '~'.repeat(255) });
    expect(response.statusCode, response.body).toBe(202);
  });
});

describe('with IDEMPOTENCY_TTL_S=1', () => {
  let short: TestApp;
  beforeAll(async () => {
    short = await createTestApp({ overrides: { IDEMPOTENCY_TTL_S: '1' } });
  });
  afterAll(async () => {
    await deleteIdempotencyKeys(short);
    await short.close();
  });

  it('an expired key is a new key: another file is accepted, not refused', async () => {
    const fixture = await createTenant(short.db);
    const key = randomUUID();
    const first = await upload(short, fixture, multipartBody(await pdf('before-expiry')), { key });
    expect(first.statusCode).toBe(202);
    const redisKey = idempotencyRedisKey(short.config.QUEUE_PREFIX, fixture.tenantId, key);
    expect(await short.redis.ttl(redisKey)).toBeGreaterThan(0);
    await waitFor(async () => ((await short.redis.exists(redisKey)) ? undefined : true), 5_000, 'the key to expire');

    const later = await upload(short, fixture, multipartBody(await pdf('after-expiry')), { key });
    expect(later.statusCode, later.body).toBe(202);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(later.json().documentId).not.toBe(first.json().documentId);
  });
});

describe('with Redis unreachable', () => {
  let down: TestApp;
  beforeAll(async () => {
    down = await createTestApp({ overrides: { REDIS_URL: 'redis://127.0.0.1:1' } });
  });
  afterAll(() => down.close());

  it('an upload with a key answers 503 and leaves no document and no stored file', async () => {
    const fixture = await createTenant(down.db);
    const response = await upload(down, fixture, multipartBody(await pdf('redis-down')), { key: randomUUID() });
    // The upload rate limit, also in Redis, may refuse first: either way nothing is stored.
    expect(response.statusCode, response.body).toBe(503);
    expect(await down.db.document.count({ where: { tenantId: fixture.tenantId } })).toBe(0);
    expect(await objectKeysOf(fixture.tenantId)).toEqual([]);
  });

  it('the key store itself answers 503 IDEMPOTENCY_UNAVAILABLE before the upload is read', async () => {
    let performed = false;
    const execution = uploadIdempotency(down.redis, down.config).execute(
      { tenantId: randomUUID(), key: randomUUID(), route: 'entity/bill' },
      async () => {
        performed = true;
        return { statusCode: 202, body: {} };
      },
      { header: () => undefined },
    );
    await expect(execution).rejects.toMatchObject({ statusCode: 503, code: 'IDEMPOTENCY_UNAVAILABLE' });
    expect(performed).toBe(false);
  });
});
