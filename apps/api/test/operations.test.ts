import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type TenantFixture } from './helpers/tenants.js';
import { appWithTenant, createTestApp, type TestApp } from './helpers/test-app.js';
import { textPdf } from './helpers/documents.js';
import { settledDocument, uploadAccepted } from './helpers/uploads.js';
import { waitFor } from './helpers/wait.js';

let t: TestApp;
let tenant: TenantFixture;

beforeAll(async () => ({ t, tenant } = await appWithTenant({ workers: true, overrides: { WORKER_CONCURRENCY: '3' } })));
afterAll(() => t.close());

const basic = (token: string) => ({ authorization: `Basic ${Buffer.from(`admin:${token}`).toString('base64')}` });

describe('GET /health/workers', () => {
  it('lists each scan worker with its concurrency, counts and last completion', async () => {
    await settledDocument(t, tenant, await uploadAccepted(t, tenant, await textPdf(['Invoice # W-1'], 'workers')));
    // The document is PROCESSED a moment before BullMQ records the job as completed.
    const response = await waitFor(async () => {
      const answer = await t.app.inject({ method: 'GET', url: '/health/workers' });
      return answer.json().workers.some((worker: { lastCompletedAt: string | null }) => worker.lastCompletedAt) ? answer : undefined;
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.status).toBe('ok');
    expect(body.workers.map((worker: { queue: string }) => worker.queue).sort()).toEqual(['bill-scan', 'invoice-scan']);
    const bill = body.workers.find((worker: { queue: string }) => worker.queue === 'bill-scan');
    expect(bill).toMatchObject({ running: true, paused: false, concurrency: 3, counts: { waiting: 0, active: 0, delayed: 0, failed: 0 } });
    expect(Date.parse(bill.lastCompletedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('answers 503 once a worker has stopped', async () => {
    const extra = await createTestApp({ workers: true });
    try {
      await extra.workers[1]!.close();
      const response = await extra.app.inject({ method: 'GET', url: '/health/workers' });
      expect(response.statusCode).toBe(503);
      expect(response.json().workers.filter((worker: { running: boolean }) => !worker.running)).toHaveLength(1);
    } finally {
      await extra.close();
    }
  });
});

describe('Bull Board at /admin/queues', () => {
  it('asks an anonymous browser to log in (401 with a Basic challenge)', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/admin/queues' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Basic realm="Billflow admin"/);
  });

  it('refuses a MEMBER (403), with a bearer token or as Basic password', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/admin/queues', headers: bearer(tenant.memberToken) })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/admin/queues', headers: basic(tenant.memberToken) })).statusCode).toBe(403);
  });

  it('serves the board and its API to an ADMIN, with a bearer token or as Basic password', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/admin/queues', headers: basic(tenant.adminToken) });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('Billflow queues');

    const api = await t.app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: bearer(tenant.adminToken) });
    expect(api.statusCode).toBe(200);
    expect(api.json().queues.map((queue: { name: string }) => queue.name).sort()).toEqual(['bill-scan', 'invoice-scan', 'maintenance']);
  });

  it('does not accept Basic credentials anywhere else', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/bills', headers: basic(tenant.adminToken) });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBeUndefined();
  });
});
