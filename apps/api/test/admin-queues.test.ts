import { randomUUID } from 'node:crypto';
import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TENANT_SCAN_LIMIT } from '../src/services/queue-admin.js';
import { scanJobFor } from '../src/services/scan-jobs.js';
import { scanJobData } from './helpers/maintenance.js';
import { createDocumentRow } from './helpers/records.js';
import { bearer, createTenant, type TenantFixture } from './helpers/tenants.js';
import { appWithTenant, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let tenant: TenantFixture;

beforeAll(async () => ({ t, tenant } = await appWithTenant()));
afterAll(() => t.close());

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, token = tenant.adminToken) =>
  t.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

/** A job in the bill queue for a real document row of the tenant, optionally delayed. */
async function queuedJob(delay?: number, owner = tenant) {
  const document = await createDocumentRow(t.db, owner);
  await t.queues.bill.add('scan', scanJobFor(document), { jobId: document.id, ...(delay ? { delay } : {}) });
  return document.id;
}

/** Takes the next job of the bill queue out of the queue (active), as a worker would, and fails it for good. */
async function failJob(id: string) {
  const worker = new Worker('bill-scan', null, { connection: t.workerRedis, prefix: t.config.QUEUE_PREFIX, autorun: false });
  const token = randomUUID();
  let job = await worker.getNextJob(token);
  while (job && job.id !== id) job = await worker.getNextJob(token);
  await job!.log('about to fail');
  // Unrecoverable, so the job lands in the failed set instead of being scheduled for another attempt.
  await job!.moveToFailed(new UnrecoverableError('simulated outage'), token, false);
  await worker.close();
}

describe('access', () => {
  it('lists queues for ADMINs and OPERATORs, not for MEMBERs', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/queues' })).statusCode).toBe(401);
    expect((await call('GET', '/api/admin/queues', undefined, tenant.memberToken)).statusCode).toBe(403);
    expect((await call('GET', '/api/admin/queues')).statusCode).toBe(200);
    expect((await call('GET', '/api/admin/queues', undefined, tenant.operatorToken)).statusCode).toBe(200);
  });

  it('keeps actions on a whole queue (every tenant\'s jobs) for OPERATORs: an ADMIN gets 403', async () => {
    const queueWide = [
      ['POST', '/api/admin/queues/bill-scan/pause'],
      ['POST', '/api/admin/queues/bill-scan/resume'],
      ['POST', '/api/admin/queues/bill-scan/clean', { state: 'completed' }],
      ['DELETE', '/api/admin/queues/bill-scan'],
    ] as const;
    for (const [method, url, payload] of queueWide) {
      const refused = await call(method, url, payload);
      expect(refused.statusCode, `${method} ${url}`).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(await t.queues.bill.isPaused()).toBe(false);
  });
});

describe('an ADMIN sees and touches only its own tenant\'s jobs', () => {
  it('lists its own jobs, not another tenant\'s; an OPERATOR lists both', async () => {
    const other = await createTenant(t.db);
    const own = await queuedJob();
    const foreign = await queuedJob(undefined, other);
    const ids = async (token: string) => {
      const body = (await call('GET', '/api/admin/queues/bill-scan/jobs?state=waiting&limit=200', undefined, token)).json();
      return { ids: body.jobs.map((job: { id: string }) => job.id), total: body.total, partial: body.partial };
    };
    expect(await ids(tenant.adminToken)).toEqual({ ids: [own], total: 1, partial: false });
    expect(await ids(other.adminToken)).toEqual({ ids: [foreign], total: 1, partial: false });
    expect((await ids(tenant.operatorToken)).ids).toEqual(expect.arrayContaining([own, foreign]));
    // Later tests take the next waiting job as a worker would.
    await Promise.all([own, foreign].map((id) => t.queues.bill.remove(id)));
  });

  it('answers 404 for another tenant\'s job on every job route, as for a job that does not exist, and leaves it alone', async () => {
    const other = await createTenant(t.db);
    const failed = await queuedJob(undefined, other);
    await failJob(failed);
    const delayed = await queuedJob(60_000, other);
    const attempts = [
      ['GET', `/api/admin/queues/bill-scan/jobs/${failed}`],
      ['POST', `/api/admin/queues/bill-scan/jobs/${failed}/retry`],
      ['POST', `/api/admin/queues/bill-scan/jobs/${delayed}/promote`],
      ['DELETE', `/api/admin/queues/bill-scan/jobs/${failed}`],
    ] as const;
    for (const [method, url] of attempts) {
      const response = await call(method, url);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json()).toMatchObject({ code: 'JOB_NOT_FOUND' });
    }
    expect(await t.queues.bill.getJobState(failed)).toBe('failed');
    expect(await t.queues.bill.getJobState(delayed)).toBe('delayed');

    expect((await call('GET', `/api/admin/queues/bill-scan/jobs/${failed}`, undefined, other.adminToken)).statusCode).toBe(200);
    expect((await call('GET', `/api/admin/queues/bill-scan/jobs/${failed}`, undefined, tenant.operatorToken)).json()).toMatchObject({ id: failed, state: 'failed' });
    expect((await call('POST', `/api/admin/queues/bill-scan/jobs/${delayed}/promote`, undefined, tenant.operatorToken)).statusCode).toBe(200);
  });

  it(`reads only the newest ${TENANT_SCAN_LIMIT} jobs of a state for an ADMIN, and says so`, async () => {
    const other = await createTenant(t.db);
    await t.queues.bill.addBulk(Array.from({ length: TENANT_SCAN_LIMIT }, () => ({ name: 'scan', data: scanJobData(other) })));
    const own = await queuedJob();
    try {
      expect((await call('GET', '/api/admin/queues/bill-scan/jobs?state=waiting')).json()).toMatchObject({ jobs: [{ id: own }], total: 1, partial: true });
      expect((await call('GET', '/api/admin/queues/bill-scan/jobs?state=waiting', undefined, tenant.operatorToken)).json()).toMatchObject({ total: await t.queues.bill.getWaitingCount(), partial: false });
    } finally {
      await t.queues.bill.drain();
    }
  });

  it('gives an ADMIN no access to jobs that belong to no tenant (maintenance runs)', async () => {
    const job = await t.maintenance.add('retention', {}, { delay: 60_000 });
    expect((await call('GET', `/api/admin/queues/maintenance/jobs/${job.id}`)).statusCode).toBe(404);
    expect((await call('GET', '/api/admin/queues/maintenance/jobs?state=delayed')).json()).toMatchObject({ jobs: [], total: 0 });
    expect((await call('GET', `/api/admin/queues/maintenance/jobs/${job.id}`, undefined, tenant.operatorToken)).statusCode).toBe(200);
    await job.remove();
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

  it('pauses and resumes a queue (OPERATOR)', async () => {
    expect((await call('POST', '/api/admin/queues/invoice-scan/pause', undefined, tenant.operatorToken)).json()).toEqual({ ok: true });
    expect(await t.queues.invoice.isPaused()).toBe(true);
    await call('POST', '/api/admin/queues/invoice-scan/resume', undefined, tenant.operatorToken);
    expect(await t.queues.invoice.isPaused()).toBe(false);
  });

  it('answers 404 with a clear body for an unknown queue or job', async () => {
    const unknownQueue = await call('POST', '/api/admin/queues/nope/pause', undefined, tenant.operatorToken);
    expect(unknownQueue.statusCode).toBe(404);
    expect(unknownQueue.json()).toMatchObject({ code: 'QUEUE_NOT_FOUND', details: { queues: ['bill-scan', 'invoice-scan', 'maintenance'] } });
    const unknownJob = await call('GET', `/api/admin/queues/bill-scan/jobs/${randomUUID()}`);
    expect(unknownJob.statusCode).toBe(404);
    expect(unknownJob.json()).toMatchObject({ code: 'JOB_NOT_FOUND' });
  });

  it('cleans jobs of a state by age (OPERATOR)', async () => {
    await queuedJob();
    const before = await t.queues.bill.getJobCounts('waiting');
    const cleaned = await call('POST', '/api/admin/queues/bill-scan/clean', { state: 'waiting', olderThanMs: 0, limit: 10_000 }, tenant.operatorToken);
    expect(cleaned.statusCode).toBe(200);
    expect(cleaned.json().removed).toBe(before.waiting);
    expect((await t.queues.bill.getJobCounts('waiting')).waiting).toBe(0);
    expect((await call('POST', '/api/admin/queues/bill-scan/clean', { state: 'running' }, tenant.operatorToken)).statusCode).toBe(400);
  });
});

describe('/api/admin/queues/:queue/jobs', () => {
  it('lists, inspects, retries and removes a failed job of the ADMIN\'s tenant', async () => {
    const id = await queuedJob();
    await failJob(id);

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

describe('DELETE /api/admin/queues/:queue (obliterate, OPERATOR)', () => {
  it('is refused while a job is active, then empties the queue', async () => {
    const id = await queuedJob();
    const worker = new Worker('bill-scan', null, { connection: t.workerRedis, prefix: t.config.QUEUE_PREFIX, autorun: false });
    const token = randomUUID();
    const active = await worker.getNextJob(token);
    expect(active).toBeDefined();

    const refused = await call('DELETE', '/api/admin/queues/bill-scan', undefined, tenant.operatorToken);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'QUEUE_BUSY' });

    await active!.moveToCompleted('done', token, false);
    await worker.close();
    expect((await call('DELETE', '/api/admin/queues/bill-scan', undefined, tenant.operatorToken)).statusCode).toBe(200);
    expect(await t.queues.bill.getJob(id)).toBeUndefined();
  });
});
