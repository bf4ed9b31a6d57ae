import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMaintenance } from '../src/runtime.js';
import { upsertMaintenanceSchedulers } from '../src/services/maintenance-queue.js';
import { bearer, type TenantFixture } from './helpers/tenants.js';
import { appWithTenant, createTestApp, type TestApp } from './helpers/test-app.js';
import { waitFor } from './helpers/wait.js';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const NEVER = '0 0 1 1 *';

let t: TestApp;
let tenant: TenantFixture;

beforeAll(async () => ({ t, tenant } = await appWithTenant({ overrides: { NOTIFIER_CRON: '*/2 * * * *', CRON_TIMEZONE: 'Europe/Berlin' } })));
afterAll(() => t?.close());

const schedulers = async (app: TestApp) =>
  Object.fromEntries((await app.maintenance.getJobSchedulers(0, -1, true)).map((scheduler) => [scheduler.id ?? scheduler.key, { pattern: scheduler.pattern, tz: scheduler.tz }]));

describe('maintenance schedules', () => {
  it('are upserted at start, one job scheduler per task, and stay one each however often they are upserted', async () => {
    const first = startMaintenance(t.config, logger, t);
    const second = startMaintenance(t.config, logger, t); // another process starting against the same Redis
    try {
      await Promise.all([first.schedulesReady, second.schedulesReady]);
      await upsertMaintenanceSchedulers(t.maintenance, t.config);
      expect(await t.maintenance.getJobSchedulersCount()).toBe(3);
      expect(await schedulers(t)).toEqual({
        'failure-notifier': { pattern: '*/2 * * * *', tz: 'Europe/Berlin' },
        reconciler: { pattern: '*/5 * * * *', tz: 'Europe/Berlin' },
        retention: { pattern: '15 3 * * *', tz: 'Europe/Berlin' },
      });

      // A deployment with a new pattern replaces the schedule instead of adding one.
      await upsertMaintenanceSchedulers(t.maintenance, { ...t.config, RECONCILER_CRON: '*/10 * * * *' });
      expect(await t.maintenance.getJobSchedulersCount()).toBe(3);
      expect((await schedulers(t)).reconciler).toEqual({ pattern: '*/10 * * * *', tz: 'Europe/Berlin' });

      const listed = await t.app.inject({ method: 'GET', url: '/api/admin/maintenance', headers: bearer(tenant.adminToken) });
      expect(listed.statusCode).toBe(200);
      const retention = listed.json().schedules.find((schedule: { task: string }) => schedule.task === 'retention');
      expect(retention).toMatchObject({ pattern: '15 3 * * *', tz: 'Europe/Berlin' });
      expect(Date.parse(retention.next)).toBeGreaterThan(Date.now());
    } finally {
      first.stopScheduling();
      second.stopScheduling();
      await Promise.all([first.worker.close(), second.worker.close()]);
    }
  });

  it('feed the maintenance worker: a scheduled run happens and its summary is the job result', async () => {
    // Every second; ages so large that this run over the shared test database deletes nothing.
    const app = await createTestApp({
      overrides: { RETENTION_CRON: '* * * * * *', NOTIFIER_CRON: NEVER, RECONCILER_CRON: NEVER, RETENTION_EXECUTIONS_DAYS: '100000', RETENTION_READ_NOTIFICATIONS_DAYS: '100000' },
    });
    const maintenance = startMaintenance(app.config, logger, app);
    try {
      const done = await waitFor(async () => (await app.maintenance.getCompleted(0, 0))[0], 20_000, 'a scheduled retention run');
      expect(done.name).toBe('retention');
      expect(done.returnvalue).toMatchObject({ task: 'retention', result: { executions: 0, readNotifications: 0, originalsEnabled: false, originals: 0, errors: 0 } });

      // Run by an OPERATOR, without a body: the whole database (here too: nothing is old enough).
      const now = await app.app.inject({ method: 'POST', url: '/api/admin/maintenance/retention/run', headers: bearer(tenant.operatorToken) });
      expect(now.statusCode, now.body).toBe(200);
      expect(now.json()).toMatchObject({ task: 'retention', result: { executions: 0, readNotifications: 0 } });
    } finally {
      maintenance.stopScheduling();
      await maintenance.worker.close();
      await app.close();
    }
  });
});

describe('admin endpoints', () => {
  it('run a task for ADMINs and OPERATORs only: 401 without a token, 403 for a MEMBER, 200 with its summary', async () => {
    const url = '/api/admin/maintenance/reconciler/run';
    const payload = { tenantId: tenant.tenantId };
    expect((await t.app.inject({ method: 'POST', url, payload })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url, payload, headers: bearer(tenant.memberToken) })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/maintenance', headers: bearer(tenant.memberToken) })).statusCode).toBe(403);

    const response = await t.app.inject({ method: 'POST', url, payload, headers: bearer(tenant.adminToken) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      task: 'reconciler',
      startedAt: expect.any(String),
      durationMs: expect.any(Number),
      result: { failedJobsChecked: 0, failuresRecorded: 0, documentsChecked: 0, requeued: 0, uploadsFinished: 0, uploadsAbandoned: 0, errors: 0 },
    });
  });

  it('answer 400 for an unknown task or an invalid scope', async () => {
    const unknown = await t.app.inject({ method: 'POST', url: '/api/admin/maintenance/defragment/run', headers: bearer(tenant.adminToken) });
    expect(unknown.statusCode).toBe(400);
    const invalid = await t.app.inject({ method: 'POST', url: '/api/admin/maintenance/retention/run', payload: { tenantId: 'everyone' }, headers: bearer(tenant.adminToken) });
    expect(invalid.statusCode).toBe(400);
  });

  it('show the maintenance queue in the admin queue API', async () => {
    const { queues } = (await t.app.inject({ method: 'GET', url: '/api/admin/queues', headers: bearer(tenant.adminToken) })).json();
    expect(queues.map((queue: { name: string }) => queue.name)).toContain('maintenance');
  });
});
