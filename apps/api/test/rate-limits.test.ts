import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { UploadRateLimiter } from '../src/services/upload-rate-limit.js';
import { textPdf } from './helpers/documents.js';
import { failingWrites } from './helpers/faults.js';
import { multipartBody } from './helpers/multipart.js';
import { objectKeysOf } from './helpers/storage.js';
import { bearer, createTenant, type TenantFixture } from './helpers/tenants.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** Nothing listens on port 1 of loopback: connections are refused at once. */
const CLOSED_PORT_REDIS = 'redis://127.0.0.1:1';

let opened: TestApp[] = [];
afterEach(async () => {
  // One after the other: apps sharing a prefix would obliterate the same queues at once.
  for (const t of opened) await t.close();
  opened = [];
});

/** Two apps on one Redis and one key prefix: two server processes of one deployment. */
async function twoProcesses(overrides: Record<string, string>): Promise<[TestApp, TestApp]> {
  const shared = { QUEUE_PREFIX: `test-limits-${randomUUID().slice(0, 8)}`, ...overrides };
  const apps = await Promise.all([createTestApp({ overrides: shared }), createTestApp({ overrides: shared })]);
  opened.push(...apps);
  // The request connection does not queue commands: before it is ready the limiter would be skipped.
  await Promise.all(apps.map((t) => (t.redis.status === 'ready' ? undefined : once(t.redis, 'ready'))));
  return apps;
}

async function oneApp(options: Parameters<typeof createTestApp>[0]): Promise<TestApp> {
  const t = await createTestApp(options);
  opened.push(t);
  return t;
}

const get = (t: TestApp, url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

async function upload(t: TestApp, tenant: TenantFixture, file: Buffer) {
  const body = multipartBody(file);
  return t.app.inject({
    method: 'POST',
    url: `/api/entities/${tenant.entityId}/bills/scan`,
    headers: { ...body.headers, ...bearer(tenant.memberToken) },
    payload: body.payload,
  });
}

const pdf = (salt: string) => textPdf(['Invoice', salt], salt);

describe('per-IP limit on all routes', () => {
  it('is one budget across two processes, counts every route and answers 429 in the error shape', async () => {
    const [first, second] = await twoProcesses({ RATE_LIMIT_PER_MINUTE: '5' });

    const answers = [
      await get(first, '/health'),
      await get(first, '/no-such-route'),
      await get(first, `/api/documents/${randomUUID()}`),
      await get(second, '/health'),
      await get(second, '/no-such-route'),
    ];
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 404, 401, 200, 404]);
    expect(answers.map((answer) => answer.headers['ratelimit-remaining'])).toEqual(['4', '3', '2', '1', '0']);
    expect(answers[0]!.headers['ratelimit-limit']).toBe('5');

    const refused = await get(second, '/health');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({
      code: 'RATE_LIMITED',
      message: expect.stringMatching(/^too many requests from this address; retry in \d+ (seconds?|minute)$/),
      details: { limit: 5, retryAfterSeconds: expect.any(Number) },
    });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers).toMatchObject({ 'ratelimit-limit': '5', 'ratelimit-remaining': '0', 'ratelimit-reset': String(retryAfter) });
    expect((await get(first, '/health')).statusCode).toBe(429);
  });

  it('keys on the client address from X-Forwarded-For only through trusted proxies (addresses or a hop count)', async () => {
    const [trusting] = await twoProcesses({ RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: '127.0.0.1' });
    const from = (address: string) => ({ 'x-forwarded-for': address });
    expect((await get(trusting, '/no-such-route', from('203.0.113.1'))).statusCode).toBe(404);
    expect((await get(trusting, '/no-such-route', from('203.0.113.1'))).statusCode).toBe(404);
    expect((await get(trusting, '/no-such-route', from('203.0.113.1'))).statusCode).toBe(429);
    expect((await get(trusting, '/no-such-route', from('203.0.113.2'))).statusCode).toBe(404);

    const [oneHop] = await twoProcesses({ RATE_LIMIT_PER_MINUTE: '1', TRUST_PROXY: '1' });
    expect((await get(oneHop, '/no-such-route', from('203.0.113.9'))).statusCode).toBe(404);
    expect((await get(oneHop, '/no-such-route', from('203.0.113.9'))).statusCode).toBe(429);
    expect((await get(oneHop, '/no-such-route', from('203.0.113.10'))).statusCode).toBe(404);

    const [direct] = await twoProcesses({ RATE_LIMIT_PER_MINUTE: '2' });
    const spoofed = [];
    for (const address of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) spoofed.push((await get(direct, '/no-such-route', from(address))).statusCode);
    expect(spoofed).toEqual([404, 404, 429]);
  });

  it('lets requests through when Redis is down, so /health still answers with its report', async () => {
    const t = await oneApp({ overrides: { REDIS_URL: CLOSED_PORT_REDIS, RATE_LIMIT_PER_MINUTE: '1' } });
    for (let attempt = 0; attempt < 3; attempt++) {
      const health = await get(t, '/health');
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({ status: 'error', checks: { redis: { status: 'down' }, database: { status: 'up' } } });
    }
    expect((await get(t, '/no-such-route')).statusCode).toBe(404);
  });
});

describe('per-tenant upload limit', () => {
  it('is one sliding budget across two processes, separate per tenant, refused before the body is stored', async () => {
    const [first, second] = await twoProcesses({ UPLOAD_RATE_LIMIT_PER_MINUTE: '5' });
    const tenant = await createTenant(first.db);
    const other = await createTenant(first.db);

    const answers = [];
    for (const [index, t] of [first, first, first, second, second].entries()) answers.push(await upload(t, tenant, await pdf(`shared-${index}`)));
    expect(answers.map((answer) => answer.statusCode)).toEqual([202, 202, 202, 202, 202]);
    expect(answers.map((answer) => answer.headers['ratelimit-remaining'])).toEqual(['4', '3', '2', '1', '0']);
    expect(answers[0]!.headers).toMatchObject({ 'ratelimit-limit': '5', 'ratelimit-reset': '60' });

    const refused = await upload(second, tenant, await pdf('shared-6'));
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({
      code: 'UPLOAD_RATE_LIMITED',
      message: expect.stringContaining('5 uploads'),
      details: { limit: 5, retryAfterSeconds: expect.any(Number) },
    });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(55);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers).toMatchObject({ 'ratelimit-limit': '5', 'ratelimit-remaining': '0', 'ratelimit-reset': String(retryAfter) });
    expect(await first.db.document.count({ where: { tenantId: tenant.tenantId } })).toBe(5);
    expect(await objectKeysOf(tenant.tenantId)).toHaveLength(5);

    const otherTenant = await upload(second, other, await pdf('other'));
    expect(otherTenant.statusCode).toBe(202);
    expect(otherTenant.headers['ratelimit-remaining']).toBe('4');
  });

  it('counts uploads refused after the check (4xx) but gives the slot back after a 5xx', async () => {
    // Three failed PutObjects: the first attempt and both retries of one upload.
    const t = await oneApp({ overrides: { UPLOAD_RATE_LIMIT_PER_MINUTE: '2' }, wrapStorage: failingWrites(3) });
    const tenant = await createTenant(t.db);

    const storageDown = await upload(t, tenant, await pdf('storage-down'));
    expect(storageDown.statusCode).toBe(503);
    const junk = await upload(t, tenant, Buffer.from('MZ this is not a document'));
    expect(junk.statusCode).toBe(415);
    expect(junk.headers['ratelimit-remaining']).toBe('1');
    expect((await upload(t, tenant, await pdf('counted'))).statusCode).toBe(202);
    expect((await upload(t, tenant, await pdf('one-too-many'))).statusCode).toBe(429);
  });

  it('answers 503 when Redis is down, without storing anything', async () => {
    const t = await oneApp({ overrides: { REDIS_URL: CLOSED_PORT_REDIS } });
    const tenant = await createTenant(t.db);
    const response = await upload(t, tenant, await pdf('redis-down'));
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'QUEUE_UNAVAILABLE' });
    expect(await objectKeysOf(tenant.tenantId)).toEqual([]);
    expect(await t.db.document.count({ where: { tenantId: tenant.tenantId } })).toBe(0);
  });
});

describe('UploadRateLimiter sliding window', () => {
  const connections: Redis[] = [];
  beforeAll(() => {
    connections.push(new Redis(inject('redisUrl')), new Redis(inject('redisUrl')));
  });
  afterAll(() => Promise.all(connections.map((redis) => redis.quit())));

  /** Two limiters on two connections: two processes sharing one window. */
  function limiters(limit: number, windowMs: number) {
    const options = { limit, windowMs, keyPrefix: `test-window-${randomUUID().slice(0, 8)}` };
    return connections.map((redis) => new UploadRateLimiter(redis, options)) as [UploadRateLimiter, UploadRateLimiter];
  }

  it('frees each slot one window after it was taken, not at a fixed boundary', async () => {
    const [a, b] = limiters(3, 1_500);
    const tenant = randomUUID();
    expect((await a.take(tenant)).remaining).toBe(2);
    expect((await a.take(tenant)).remaining).toBe(1);
    await sleep(700);
    expect(await b.take(tenant)).toMatchObject({ allowed: true, remaining: 0 });
    const refused = await b.take(tenant);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, resetSeconds: 1 });

    // The first two slots expire; the third, taken 700 ms later, still counts.
    await sleep(900);
    expect(await a.take(tenant)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await b.take(tenant)).toMatchObject({ allowed: true, remaining: 0 });
    expect((await a.take(tenant)).allowed).toBe(false);
  });

  it('keeps tenants apart, does not count refusals, and takes a released slot back', async () => {
    const [a, b] = limiters(1, 60_000);
    const tenant = randomUUID();
    const taken = await a.take(tenant);
    expect(taken.allowed).toBe(true);
    expect((await b.take(tenant)).allowed).toBe(false);
    expect((await b.take(randomUUID())).allowed).toBe(true);

    await b.release(tenant, taken.slot);
    expect((await b.take(tenant)).allowed).toBe(true);
  });
});
