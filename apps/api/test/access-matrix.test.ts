import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Access } from '../src/plugins/access-control.js';
import { scanJobFor } from '../src/services/scan-jobs.js';
import { textPdf } from './helpers/documents.js';
import { tenantUsers, unnotifiedFailure } from './helpers/maintenance.js';
import { multipartBody } from './helpers/multipart.js';
import { createDocumentRow, createRecord } from './helpers/records.js';
import { createTenant, type TenantFixture } from './helpers/tenants.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/**
 * Every registered route × every kind of caller. Tenant A owns every id in
 * the requests; the callers are nobody, an ADMIN of tenant B ("a member of
 * another tenant"), A's MEMBER, A's ADMIN, and an OPERATOR who belongs to a
 * third tenant. A route without a row here fails this test, so a new route
 * needs a rule and a row.
 */
const callers = ['anonymous', 'otherTenant', 'member', 'admin', 'operator'] as const;
type Caller = (typeof callers)[number];
type Expected = Record<Caller, number>;

interface Ids {
  tenantId: string;
  entityId: string;
  documentId: string;
  /** An active scan job (document id = job id) of A: job actions answer 409 instead of changing it. */
  jobId: string;
  billId: string;
  invoiceId: string;
  /** A's MEMBER's notification. */
  notificationId: string;
  /** A resolved failure of A: a retry answers 409 instead of queueing again. */
  failureId: string;
}

interface Request {
  path: string;
  json?: object;
  form?: { payload: Buffer; headers: Record<string, string> };
}
type Row = { request: (ids: Ids) => Request; expected: Expected };

const everyone = (status: number): Expected => ({ anonymous: status, otherTenant: status, member: status, admin: status, operator: status });
/** A's own resource: 404 for every other tenant (the OPERATOR's included), as if it did not exist. */
const tenantOwned = (status: number): Expected => ({ anonymous: 401, otherTenant: 404, member: status, admin: status, operator: 404 });
/** A's MEMBER's own resource: other users, A's ADMIN included, get 404. */
const userOwned = (status: number): Expected => ({ anonymous: 401, otherTenant: 404, member: status, admin: 404, operator: 404 });
/** Each caller's own tenant's list (tenant B sees its own: the leak check below proves none of A's ids are in it). */
const tenantList: Expected = { anonymous: 401, otherTenant: 200, member: 200, admin: 200, operator: 200 };
/** An admin API on A's job, failure or tenantId: A's ADMIN and any OPERATOR; B's ADMIN gets 404. */
const adminOwned = (status: number): Expected => ({ anonymous: 401, otherTenant: 404, member: 403, admin: status, operator: status });
/** An admin API that shows every ADMIN its own tenant's view. */
const adminView = (status = 200): Expected => ({ anonymous: 401, otherTenant: status, member: 403, admin: status, operator: status });
/** Whole queues, Redis, schedulers, job data: OPERATORs only. */
const operatorOnly = (status: number): Expected => ({ anonymous: 401, otherTenant: 403, member: 403, admin: 403, operator: status });

const UNKNOWN_QUEUE = 'no-such-queue';
const get = (path: string | ((ids: Ids) => string), expected: Expected): Row => ({ request: (ids) => ({ path: typeof path === 'string' ? path : path(ids) }), expected });
const send = (request: (ids: Ids) => Request, expected: Expected): Row => ({ request, expected });
const board = (path: string) => `/admin/queues${path}`;

const table: Record<string, Row> = {
  'GET /health': get('/health', everyone(200)),
  'GET /health/workers': get('/health/workers', everyone(200)),
  'GET /metrics': get('/metrics', adminView()),
  'GET /docs': get('/docs', everyone(200)),
  'GET /docs/static/index.html': get('/docs/static/index.html', everyone(302)),
  'GET /docs/static/swagger-initializer.js': get('/docs/static/swagger-initializer.js', everyone(200)),
  'GET /docs/static/*': get('/docs/static/swagger-ui.css', everyone(200)),
  'GET /docs/json': get('/docs/json', everyone(200)),
  'GET /docs/yaml': get('/docs/yaml', everyone(200)),

  // Uploads: A's MEMBER first (202), then A's ADMIN sends the same bytes (a duplicate: 200).
  'POST /api/entities/:entityId/bills/scan': send((ids) => ({ path: `/api/entities/${ids.entityId}/bills/scan`, form: upload.bill }), { ...tenantOwned(200), member: 202 }),
  'POST /api/entities/:entityId/invoices/scan': send((ids) => ({ path: `/api/entities/${ids.entityId}/invoices/scan`, form: upload.invoice }), { ...tenantOwned(200), member: 202 }),
  'GET /api/documents/:id': get((ids) => `/api/documents/${ids.documentId}`, tenantOwned(200)),
  'GET /api/documents/:id/events': get((ids) => `/api/documents/${ids.documentId}/events`, tenantOwned(200)),
  'GET /api/events': get('/api/events', tenantList),
  'GET /api/bills': get('/api/bills', tenantList),
  'GET /api/bills/:id': get((ids) => `/api/bills/${ids.billId}`, tenantOwned(200)),
  'PATCH /api/bills/:id': send((ids) => ({ path: `/api/bills/${ids.billId}`, json: { vendorName: 'Matrix Vendor' } }), tenantOwned(200)),
  'GET /api/invoices': get('/api/invoices', tenantList),
  'GET /api/invoices/:id': get((ids) => `/api/invoices/${ids.invoiceId}`, tenantOwned(200)),
  'PATCH /api/invoices/:id': send((ids) => ({ path: `/api/invoices/${ids.invoiceId}`, json: { customerName: 'Matrix Customer' } }), tenantOwned(200)),
  'GET /api/notifications': get('/api/notifications', tenantList),
  'POST /api/notifications/:id/read': send((ids) => ({ path: `/api/notifications/${ids.notificationId}/read` }), userOwned(200)),

  // The admin REST API: job routes on A's active job answer 409 where they would change it.
  'GET /api/admin/queues': get('/api/admin/queues', adminView()),
  'POST /api/admin/queues/:queue/pause': send(() => ({ path: `/api/admin/queues/${UNKNOWN_QUEUE}/pause` }), operatorOnly(404)),
  'POST /api/admin/queues/:queue/resume': send(() => ({ path: `/api/admin/queues/${UNKNOWN_QUEUE}/resume` }), operatorOnly(404)),
  'POST /api/admin/queues/:queue/clean': send(() => ({ path: `/api/admin/queues/${UNKNOWN_QUEUE}/clean`, json: { state: 'completed' } }), operatorOnly(404)),
  'DELETE /api/admin/queues/:queue': send(() => ({ path: `/api/admin/queues/${UNKNOWN_QUEUE}` }), operatorOnly(404)),
  'GET /api/admin/queues/:queue/jobs': get('/api/admin/queues/bill-scan/jobs?state=active', adminView()),
  'GET /api/admin/queues/:queue/jobs/:jobId': get((ids) => `/api/admin/queues/bill-scan/jobs/${ids.jobId}`, adminOwned(200)),
  'POST /api/admin/queues/:queue/jobs/:jobId/retry': send((ids) => ({ path: `/api/admin/queues/bill-scan/jobs/${ids.jobId}/retry` }), adminOwned(409)),
  'POST /api/admin/queues/:queue/jobs/:jobId/promote': send((ids) => ({ path: `/api/admin/queues/bill-scan/jobs/${ids.jobId}/promote` }), adminOwned(409)),
  'DELETE /api/admin/queues/:queue/jobs/:jobId': send((ids) => ({ path: `/api/admin/queues/bill-scan/jobs/${ids.jobId}` }), adminOwned(409)),
  'GET /api/admin/failures': get((ids) => `/api/admin/failures?tenantId=${ids.tenantId}`, adminOwned(200)),
  'GET /api/admin/failures/:id': get((ids) => `/api/admin/failures/${ids.failureId}`, adminOwned(200)),
  'POST /api/admin/failures/:id/retry': send((ids) => ({ path: `/api/admin/failures/${ids.failureId}/retry` }), adminOwned(409)),
  'POST /api/admin/failures/retry': send((ids) => ({ path: '/api/admin/failures/retry', json: { tenantId: ids.tenantId } }), adminOwned(200)),
  'GET /api/admin/maintenance': get('/api/admin/maintenance', adminView()),
  'POST /api/admin/maintenance/:task/run': send((ids) => ({ path: '/api/admin/maintenance/retention/run', json: { tenantId: ids.tenantId } }), adminOwned(200)),
  'GET /api/admin/stats': get((ids) => `/api/admin/stats?tenantId=${ids.tenantId}`, adminOwned(200)),

  // Bull Board: pages and the listing for ADMINs (their own tenant's jobs), A's job for A's ADMIN and OPERATORs, the rest for OPERATORs.
  'GET /admin/queues': get(board(''), adminView()),
  'GET /admin/queues/metrics-history': get(board('/metrics-history'), adminView()),
  'GET /admin/queues/job-schedulers': get(board('/job-schedulers'), adminView()),
  'GET /admin/queues/queue/:queueName': get(board('/queue/bill-scan'), adminView()),
  'GET /admin/queues/queue/:queueName/:jobId': get((ids) => board(`/queue/bill-scan/${ids.jobId}`), adminOwned(200)),
  'GET /admin/queues/static/*': get(board('/static/favicon-32x32.png'), adminView()),
  'GET /admin/queues/api/queues': get(board('/api/queues?activeQueue=bill-scan&status=active'), adminView()),
  'GET /admin/queues/api/queues/:queueName/:jobId': get((ids) => board(`/api/queues/bill-scan/${ids.jobId}`), adminOwned(200)),
  'GET /admin/queues/api/queues/:queueName/:jobId/logs': get((ids) => board(`/api/queues/bill-scan/${ids.jobId}/logs`), adminOwned(200)),
  'GET /admin/queues/api/queues/:queueName/:jobId/flow': get((ids) => board(`/api/queues/bill-scan/${ids.jobId}/flow`), adminOwned(200)),
  // Bull Board's own answers for an active job: not retriable (400), active (409); promote has no check of its own (500).
  'PUT /admin/queues/api/queues/:queueName/:jobId/retry': send((ids) => ({ path: board(`/api/queues/bill-scan/${ids.jobId}/retry`) }), adminOwned(400)),
  'PUT /admin/queues/api/queues/:queueName/:jobId/clean': send((ids) => ({ path: board(`/api/queues/bill-scan/${ids.jobId}/clean`) }), adminOwned(409)),
  'PUT /admin/queues/api/queues/:queueName/:jobId/promote': send((ids) => ({ path: board(`/api/queues/bill-scan/${ids.jobId}/promote`) }), adminOwned(500)),
  'GET /admin/queues/api/redis/stats': get(board('/api/redis/stats'), operatorOnly(200)),
  'GET /admin/queues/api/job-schedulers': get(board('/api/job-schedulers'), operatorOnly(200)),
  'GET /admin/queues/api/queues/:queueName/metrics': get(board('/api/queues/bill-scan/metrics'), operatorOnly(200)),
  'GET /admin/queues/api/queues/:queueName/default-job-options': get(board('/api/queues/bill-scan/default-job-options'), operatorOnly(200)),
  'GET /admin/queues/api/queues/:queueName/workers': get(board('/api/queues/bill-scan/workers'), operatorOnly(200)),
  'GET /admin/queues/api/queues/:queueName/rate-limit': get(board('/api/queues/bill-scan/rate-limit'), operatorOnly(200)),
  'GET /admin/queues/api/queues/:queueName/job-data-schema': get(board('/api/queues/bill-scan/job-data-schema'), operatorOnly(200)),
  // Every queue at once: the OPERATOR's pause is undone by the resume row that follows it.
  'PUT /admin/queues/api/queues/pause': send(() => ({ path: board('/api/queues/pause') }), operatorOnly(200)),
  'PUT /admin/queues/api/queues/resume': send(() => ({ path: board('/api/queues/resume') }), operatorOnly(200)),
  ...Object.fromEntries(
    [
      ['POST', '/add', { name: 'scan', data: {} }],
      ['PUT', '/retry/:queueStatus'],
      ['PUT', '/promote'],
      ['PUT', '/clean/:queueStatus'],
      ['PUT', '/pause'],
      ['PUT', '/resume'],
      ['PUT', '/concurrency', { concurrency: 1 }],
      ['PUT', '/rate-limit', { max: 1, duration: 1000 }],
      ['PUT', '/rate-limit/release'],
      ['PUT', '/empty'],
      ['PUT', '/obliterate'],
      ['PUT', '/job-schedulers/:schedulerId/remove'],
      ['PATCH', '/job-schedulers/:schedulerId', { pattern: '0 0 1 1 *' }],
      ['PUT', '/job-schedulers/:schedulerId/run'],
      ['PATCH', '/:jobId/update-data', { jobData: {} }],
      ['PATCH', '/:jobId/delay', { runAt: Date.now() + 60_000 }],
      ['PATCH', '/:jobId/priority', { priority: 1 }],
      ['PUT', '/:jobId/remove-unprocessed-children'],
    ].map(([method, suffix, json]) => [
      `${String(method)} /admin/queues/api/queues/:queueName${String(suffix)}`,
      // On a queue that does not exist, so the OPERATOR's call reaches Bull Board and changes nothing.
      send(
        (ids) => ({
          path: board(`/api/queues/${UNKNOWN_QUEUE}${String(suffix).replace(':queueStatus', 'completed').replace(':schedulerId', 'retention').replace(':jobId', ids.jobId)}`),
          ...(json ? { json: json as object } : {}),
        }),
        operatorOnly(404),
      ),
    ]),
  ),
};

let t: TestApp;
let baseUrl: string;
let tenantA: TenantFixture;
let ids: Ids;
let tokens: Record<Exclude<Caller, 'anonymous'>, string>;
let jobWorker: Worker;
const upload = {} as Record<'bill' | 'invoice', { payload: Buffer; headers: Record<string, string> }>;

beforeAll(async () => {
  // Many requests from one address in a few seconds: the per-IP and per-tenant limits are other tests' subject.
  t = await createTestApp({ overrides: { RATE_LIMIT_PER_MINUTE: '100000', UPLOAD_RATE_LIMIT_PER_MINUTE: '100000' } });
  baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
  tenantA = await createTenant(t.db);
  const tenantB = await createTenant(t.db);
  const platform = await createTenant(t.db);
  tokens = { otherTenant: tenantB.adminToken, member: tenantA.memberToken, admin: tenantA.adminToken, operator: platform.operatorToken };

  const document = await createDocumentRow(t.db, tenantA);
  await t.queues.bill.add('scan', scanJobFor(document), { jobId: document.id });
  // Taken as a worker would, with a lock that outlives the test: an active job is refused by every job action.
  jobWorker = new Worker('bill-scan', null, { connection: t.workerRedis, prefix: t.config.QUEUE_PREFIX, autorun: false, lockDuration: 600_000 });
  expect((await jobWorker.getNextJob(randomUUID()))?.id).toBe(document.id);

  const { member } = await tenantUsers(t.db, tenantA);
  const bill = await createRecord(t.db, tenantA, { vendorName: 'Vendor', total: '10.00' }, { kind: 'BILL' });
  const invoice = await createRecord(t.db, tenantA, { customerName: 'Customer', total: '20.00' }, { kind: 'INVOICE' });
  const failure = await unnotifiedFailure(t.db, tenantA, member.id, 'matrix.pdf', { resolvedAt: new Date() });
  const notification = await t.db.notification.create({
    data: { tenantId: tenantA.tenantId, userId: member.id, type: 'document.failed', title: 'matrix', message: 'matrix', metadata: {}, dedupeKey: randomUUID() },
  });
  ids = {
    tenantId: tenantA.tenantId,
    entityId: tenantA.entityId,
    documentId: document.id,
    jobId: document.id,
    billId: bill.recordId,
    invoiceId: invoice.recordId,
    notificationId: notification.id,
    failureId: failure.id,
  };
  upload.bill = multipartBody(await textPdf(['Invoice # MATRIX-1', 'Total $1.00'], randomUUID()));
  upload.invoice = multipartBody(await textPdf(['Invoice # MATRIX-2', 'Total $2.00'], randomUUID()));
}, 60_000);
afterAll(async () => {
  await jobWorker?.close();
  await t?.close();
});

/** Ids of A that a response to someone outside A must never contain (unless the request itself carried them). */
const idsOfA = () => Object.values(ids);

async function call(method: string, request: Request, token: string | undefined) {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  let body: Buffer | string | undefined;
  if (request.json) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.form) {
    Object.assign(headers, request.form.headers);
    body = request.form.payload;
  }
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}${request.path}`, { method, headers, body, redirect: 'manual', signal: abort.signal });
  let text = '';
  if (method !== 'HEAD') {
    // An event stream never ends: read what it sends in its first moments, then hang up.
    const streaming = response.headers.get('content-type')?.startsWith('text/event-stream');
    const reading = response.text().then((value) => (text = value), () => undefined);
    if (streaming) await new Promise((resolve) => setTimeout(resolve, 300));
    else await reading;
    abort.abort();
  }
  return { status: response.status, text };
}

const routeKey = (route: { method: string; url: string }) => `${route.method} ${route.url}`;

describe('route × role matrix', () => {
  it('has a row for every registered route (HEAD routes mirror their GET route)', () => {
    const registered = t.app.routeAccess.filter((route) => route.method !== 'HEAD').map(routeKey);
    expect(registered.filter((key) => !(key in table)), 'routes without a row in the matrix').toEqual([]);
    expect(Object.keys(table).filter((key) => !registered.includes(key)), 'rows for routes that no longer exist').toEqual([]);
  });

  it('gives every HEAD route the rule of its GET route', () => {
    const rules = new Map<string, Access>(t.app.routeAccess.map((route) => [routeKey(route), route.access]));
    for (const head of t.app.routeAccess.filter((route) => route.method === 'HEAD')) {
      const url = head.url.length > 1 ? head.url.replace(/\/$/, '') : head.url;
      expect(rules.get(`GET ${url}`), `HEAD ${head.url}`).toBe(head.access);
    }
  });

  it('answers each caller as the table says, and never shows tenant A’s ids to another tenant', async () => {
    const mismatches: string[] = [];
    for (const route of t.app.routeAccess.filter((entry) => entry.method !== 'HEAD')) {
      const row = table[routeKey(route)];
      if (!row) continue;
      const request = row.request(ids);
      for (const caller of callers) {
        const { status, text } = await call(route.method, request, caller === 'anonymous' ? undefined : tokens[caller]);
        if (status !== row.expected[caller]) mismatches.push(`${routeKey(route)} as ${caller}: ${status}, expected ${row.expected[caller]} (${text.slice(0, 120)})`);
        if (caller === 'otherTenant') {
          const asked = `${request.path} ${JSON.stringify(request.json ?? {})}`;
          const leaked = idsOfA().filter((id) => !asked.includes(id) && text.includes(id));
          if (leaked.length > 0) mismatches.push(`${routeKey(route)} showed tenant B ids of tenant A: ${leaked.join(', ')}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  }, 120_000);

  it('refuses an anonymous HEAD request on every route that is not public', async () => {
    const guarded = t.app.routeAccess.filter((route) => route.method === 'HEAD' && route.access !== 'public');
    expect(guarded.length).toBeGreaterThan(0);
    for (const route of guarded) {
      const path = route.url.replace(':queueName', 'bill-scan').replace(/:\w+/g, randomUUID()).replace('*', 'favicon-32x32.png');
      expect((await call('HEAD', { path }, undefined)).status, `HEAD ${route.url}`).toBe(401);
    }
  });
});
