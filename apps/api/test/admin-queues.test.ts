import { randomUUID } from 'node:crypto';
import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanJobFor } from '../src/services/scan-jobs.js';
import { createDocumentRow } from './helpers/records.js';
import { bearer, createTenant, type TenantFixture } from './helpers/tenants.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let tenant: TenantFixture;

beforeAll(async () => {
  t = await createTestApp();
  tenant = await createTenant(t.db);
});
afterAll(() => t.close());

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, token = tenant.adminToken) =>
  t.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

/** A job in the bill queue for a real document row, optionally delayed. */
async function queuedJob(delay?: number) {
  const document = await createDocumentRow(t.db, tenant);
  await t.queues.bill.add('scan', scanJobFor(document), { jobId: document.id, ...(delay ? { delay } : {}) });
  return document.id;
}

describe('access', () => {
  it('is for ADMINs only', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/queues' })).statusCode).toBe(401);
    expect((await call('GET', '/api/admin/queues', undefined, tenant.memberToken)).statusCode).toBe(403);
    expect((await call('GET', '/api/admin/queues')).statusCode).toBe(200);
  });
});

describe('/api/admin/queues', () => {
  it('lists every queue with counts per state', async () => {
    await queuedJob();
    const { queues } = (await call('GET', '/api/admin/queues')).json();
    expect(queues.map((queue: { name: string }) => queue.name).sort()).toEqual(['bill-scan', 'invoice-scan', 'maintenance']);
    const bill = queues.find((queue: { name: string }) => queue.name === 'bill-scan');
    expect(bill).toMatchObject({ paused: false, counts: { waiting: expect.any(Number), failed: expect.any(Number), completed: expect.any(Number) } });
    expect(bill.counts.waiting).toBeGreaterThanOrEqual(1);
  });

  it('pauses and resumes a queue', async () => {
    expect((await call('POST', '/api/admin/queues/invoice-scan/pause')).json()).toEqual({ ok: true });
    expect(await t.queues.invoice.isPaused()).toBe(true);
    await call('POST', '/api/admin/queues/invoice-scan/resume');
    expect(await t.queues.invoice.isPaused()).toBe(false);
  });

  it('answers 404 with a clear body for an unknown queue or job', async () => {
    const unknownQueue = await call('POST', '/api/admin/queues/nope/pause');
    expect(unknownQueue.statusCode).toBe(404);
    expect(unknownQueue.json()).toMatchObject({ code: 'QUEUE_NOT_FOUND', details: { queues: ['bill-scan', 'invoice-scan', 'maintenance'] } });
    const unknownJob = await call('GET', `/api/admin/queues/bill-scan/jobs/${randomUUID()}`);
    expect(unknownJob.statusCode).toBe(404);
    expect(unknownJob.json()).toMatchObject({ code: 'JOB_NOT_FOUND' });
  });

  it('cleans jobs of a state by age', async () => {
    await queuedJob();
    const before = await t.queues.bill.getJobCounts('waiting');
    const cleaned = await call('POST', '/api/admin/queues/bill-scan/clean', { state: 'waiting', olderThanMs: 0, limit: 10_000 });
    expect(cleaned.statusCode).toBe(200);
    expect(cleaned.json().removed).toBe(before.waiting);
    expect((await t.queues.bill.getJobCounts('waiting')).waiting).toBe(0);
    expect((await call('POST', '/api/admin/queues/bill-scan/clean', { state: 'running' })).statusCode).toBe(400);
  });
});

describe('/api/admin/queues/:queue/jobs', () => {
  it('lists, inspects, retries and removes a failed job', async () => {
    const id = await queuedJob();
    const worker = new Worker('bill-scan', null, { connection: t.workerRedis, prefix: t.config.QUEUE_PREFIX, autorun: false });
    const token = randomUUID();
    let job = await worker.getNextJob(token);
    while (job && job.id !== id) job = await worker.getNextJob(token);
    await job!.log('about to fail');
    // Unrecoverable, so the job lands in the failed set instead of being scheduled for another attempt.
    await job!.moveToFailed(new UnrecoverableError('simulated outage'), token, false);
    await worker.close();

    const listed = (await call('GET', '/api/admin/queues/bill-scan/jobs?state=failed')).json();
    expect(listed.jobs.map((entry: { id: string }) => entry.id)).toContain(id);

    const detail = (await call('GET', `/api/admin/queues/bill-scan/jobs/${id}`)).json();
    expect(detail).toMatchObject({ id, state: 'failed', failedReason: 'simulated outage', logs: ['about to fail'], data: { documentId: id } });
    expect(detail.stacktrace[0]).toMatch(/simulated outage/);

    expect((await call('POST', `/api/admin/queues/bill-scan/jobs/${id}/retry`)).json()).toEqual({ ok: true });
    expect(await t.queues.bill.getJobState(id)).toBe('waiting');
    const notFailed = await call('POST', `/api/admin/queues/bill-scan/jobs/${id}/retry`);
    expect(notFailed.statusCode).toBe(409);
    expect(notFailed.json()).toMatchObject({ code: 'JOB_NOT_FAILED' });

    expect((await call('DELETE', `/api/admin/queues/bill-scan/jobs/${id}`)).statusCode).toBe(200);
    expect(await t.queues.bill.getJob(id)).toBeUndefined();
  });

  it('promotes a delayed job', async () => {
    const id = await queuedJob(60_000);
    expect(await t.queues.bill.getJobState(id)).toBe('delayed');
    expect((await call('POST', `/api/admin/queues/bill-scan/jobs/${id}/promote`)).statusCode).toBe(200);
    expect(await t.queues.bill.getJobState(id)).toBe('waiting');
    expect((await call('POST', `/api/admin/queues/bill-scan/jobs/${id}/promote`)).statusCode).toBe(409);
  });
});

describe('DELETE /api/admin/queues/:queue (obliterate)', () => {
  it('is refused while a job is active, then empties the queue', async () => {
    const id = await queuedJob();
    const worker = new Worker('bill-scan', null, { connection: t.workerRedis, prefix: t.config.QUEUE_PREFIX, autorun: false });
    const token = randomUUID();
    const active = await worker.getNextJob(token);
    expect(active).toBeDefined();

    const refused = await call('DELETE', '/api/admin/queues/bill-scan');
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'QUEUE_BUSY' });

    await active!.moveToCompleted('done', token, false);
    await worker.close();
    expect((await call('DELETE', '/api/admin/queues/bill-scan')).statusCode).toBe(200);
    expect(await t.queues.bill.getJob(id)).toBeUndefined();
  });
});
