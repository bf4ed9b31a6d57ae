import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanJobFor } from '../src/services/scan-jobs.js';
import { createDocumentRow } from './helpers/records.js';
import { bearer, createTenant, type TenantFixture } from './helpers/tenants.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** Bull Board per role: an ADMIN sees and touches its own tenant's jobs only; whole-queue actions are for OPERATORs. */
let t: TestApp;
let owner: TenantFixture;
let stranger: TenantFixture;
let ownJob: string;
let foreignJob: string;

/** A delayed job in the bill queue for a real document row of the tenant (delayed, so it can be promoted). */
async function delayedJob(tenant: TenantFixture) {
  const document = await createDocumentRow(t.db, tenant);
  await t.queues.bill.add('scan', scanJobFor(document), { jobId: document.id, delay: 600_000 });
  return document.id;
}

beforeAll(async () => {
  t = await createTestApp();
  owner = await createTenant(t.db);
  stranger = await createTenant(t.db);
  ownJob = await delayedJob(stranger);
  foreignJob = await delayedJob(owner);
});
afterAll(() => t.close());

const board = (method: 'GET' | 'PUT' | 'POST' | 'PATCH', path: string, token: string, payload?: object) =>
  t.app.inject({ method, url: `/admin/queues${path}`, headers: bearer(token), ...(payload ? { payload } : {}) });

const listedJobIds = async (token: string) => {
  const response = await board('GET', '/api/queues?activeQueue=bill-scan&status=delayed&page=1&jobsPerPage=50', token);
  expect(response.statusCode).toBe(200);
  const bill = response.json().queues.find((queue: { name: string }) => queue.name === 'bill-scan');
  return bill.jobs.map((job: { id: string }) => job.id);
};

describe('Bull Board for an ADMIN', () => {
  it("lists its own tenant's jobs and not another tenant's", async () => {
    expect(await listedJobIds(stranger.adminToken)).toEqual([ownJob]);
    expect(await listedJobIds(owner.adminToken)).toEqual([foreignJob]);
  });

  it("answers 404 for another tenant's job on the job page, its API and its actions, and leaves the job alone", async () => {
    const attempts = [
      ['GET', `/queue/bill-scan/${foreignJob}`],
      ['GET', `/api/queues/bill-scan/${foreignJob}`],
      ['GET', `/api/queues/bill-scan/${foreignJob}/logs`],
      ['PUT', `/api/queues/bill-scan/${foreignJob}/promote`],
      ['PUT', `/api/queues/bill-scan/${foreignJob}/retry`],
      ['PUT', `/api/queues/bill-scan/${foreignJob}/clean`],
    ] as const;
    for (const [method, path] of attempts) expect((await board(method, path, stranger.adminToken)).statusCode, `${method} ${path}`).toBe(404);
    expect(await t.queues.bill.getJobState(foreignJob)).toBe('delayed');

    expect((await board('GET', `/queue/bill-scan/${ownJob}`, stranger.adminToken)).statusCode).toBe(200);
    const own = await board('GET', `/api/queues/bill-scan/${ownJob}`, stranger.adminToken);
    expect(own.statusCode).toBe(200);
    expect(own.json().job).toMatchObject({ id: ownJob, data: { tenantId: stranger.tenantId } });
  });

  it('refuses (403) whole-queue actions, Redis details and job edits, and an OPERATOR may', async () => {
    const refused = [
      ['PUT', '/api/queues/bill-scan/pause'],
      ['PUT', '/api/queues/pause'],
      ['PUT', '/api/queues/bill-scan/empty'],
      ['PUT', '/api/queues/bill-scan/obliterate'],
      ['PUT', '/api/queues/bill-scan/clean/completed'],
      ['PUT', '/api/queues/bill-scan/retry/failed'],
      ['PUT', '/api/queues/bill-scan/promote'],
      ['POST', '/api/queues/bill-scan/add', { name: 'scan', data: {} }],
      ['PATCH', `/api/queues/bill-scan/${ownJob}/update-data`, { data: { tenantId: owner.tenantId } }],
      ['GET', '/api/redis/stats'],
      ['GET', '/api/queues/bill-scan/workers'],
    ] as const;
    for (const [method, path, payload] of refused) expect((await board(method, path, stranger.adminToken, payload)).statusCode, `${method} ${path}`).toBe(403);
    expect(await t.queues.bill.isPaused()).toBe(false);
    expect((await t.queues.bill.getJob(ownJob))?.data.tenantId).toBe(stranger.tenantId);

    const operator = owner.operatorToken;
    expect((await board('GET', '/api/redis/stats', operator)).statusCode).toBe(200);
    expect((await board('PUT', '/api/queues/bill-scan/pause', operator)).statusCode).toBeLessThan(300);
    expect(await t.queues.bill.isPaused()).toBe(true);
    expect((await board('PUT', '/api/queues/bill-scan/resume', operator)).statusCode).toBeLessThan(300);
    expect(await t.queues.bill.isPaused()).toBe(false);
  });

  it('promotes its own job', async () => {
    expect((await board('PUT', `/api/queues/bill-scan/${ownJob}/promote`, stranger.adminToken)).statusCode).toBeLessThan(300);
    expect(await t.queues.bill.getJobState(ownJob)).toBe('waiting');
  });
});

describe('Bull Board for an OPERATOR', () => {
  it("lists and opens every tenant's jobs, though the OPERATOR belongs to a tenant of its own", async () => {
    const operator = (await createTenant(t.db)).operatorToken;
    expect(await listedJobIds(operator)).toContain(foreignJob);
    expect((await board('GET', `/api/queues/bill-scan/${foreignJob}`, operator)).statusCode).toBe(200);
    expect((await board('GET', `/queue/bill-scan/${foreignJob}`, operator)).statusCode).toBe(200);
  });
});
