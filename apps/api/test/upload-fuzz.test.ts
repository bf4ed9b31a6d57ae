import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textPdf, tinyPng } from './helpers/documents.js';
import { malformedUpload, seededRandom, wellFormedUpload, type FuzzInput } from './helpers/fuzz-inputs.js';
import { tinyJpeg } from './helpers/hostile-files.js';
import { objectKeysOf } from './helpers/storage.js';
import { bearer, createTenant, type TenantFixture } from './helpers/tenants.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const SEED = Number(process.env.FUZZ_SEED ?? randomInt(2 ** 31));
const CASES = Number(process.env.FUZZ_CASES ?? 2_000);
/** Requests in flight at once: the app serves them concurrently, as it would real clients. */
const CONCURRENCY = 4;
/** RSS may grow by this much over the run (caches, pools, allocator slack); a leak per request would pass it. */
const RSS_GROWTH_BOUND_BYTES = 256 * 1024 * 1024;
const ERROR_KEYS = new Set(['code', 'message', 'details']);
/** One answer takes milliseconds; this much is a hang. */
const ANSWER_BOUND_MS = 10_000;

describe('upload fuzzing', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  let seeds: Buffer[];
  beforeAll(async () => {
    // Small upload limit: mutations of the seeds stay far below it, repeated chunks sometimes cross it.
    // A short request timeout bounds bodies the multipart parser stalls on (408), well inside ANSWER_BOUND_MS.
    t = await createTestApp({ overrides: { MAX_UPLOAD_BYTES: String(64 * 1024), REQUEST_TIMEOUT_MS: '3000' } });
    tenant = await createTenant(t.db);
    seeds = [
      await textPdf(['ACME Supplies Ltd', 'Invoice number INV-FUZZ', 'Total due USD 120.00'], 'fuzz'),
      tinyPng,
      tinyJpeg,
    ];
  });
  afterAll(async () => {
    const documents = await t.db.document.findMany({ where: { tenantId: tenant.tenantId }, select: { objectKey: true } });
    // One at a time: s3rver answers InternalError now and then to deletes in parallel.
    for (const document of documents) await t.storage.delete(document.objectKey);
    await t.db.document.deleteMany({ where: { tenantId: tenant.tenantId } });
    await t.close();
  });

  it(`never answers 5xx, keeps the error shape and its memory (FUZZ_SEED=${SEED} FUZZ_CASES=${CASES})`, { timeout: 180_000 }, async () => {
    console.log(`upload fuzz: FUZZ_SEED=${SEED} FUZZ_CASES=${CASES}`);
    const random = seededRandom(SEED);
    const statuses = new Map<string, number>();
    // Warm-up so that lazily loaded code and pools are not counted as growth.
    for (let i = 0; i < 20; i++) await send(wellFormedUpload(random, seeds));
    globalThis.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();

    // One example per kind of input and wrong answer, so that one run lists every distinct problem.
    const problems = new Map<string, string>();
    let nextIndex = 0;
    const sender = async () => {
      // Each input is drawn right after its index is taken, so a seed always yields the same inputs in the same order.
      for (let index = nextIndex++; index < CASES; index = nextIndex++) {
        const input = random.int(2) === 0 ? wellFormedUpload(random, seeds) : malformedUpload(random, seeds);
        const answer = await send(input).catch((error: Error) => error);
        const problem = answer instanceof Error ? answer.message : problemWith(answer);
        const status = answer instanceof Error ? 'no answer' : `${answer.statusCode} ${answer.statusCode < 300 ? '' : (safeJson(answer.body)?.code ?? '')}`;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        const kind = `${input.label.replace(/\d+/g, 'N')} → ${status}`;
        if (problem && !problems.has(kind)) problems.set(kind, `case ${index}: ${problem}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, sender));

    globalThis.gc?.();
    const rssAfter = process.memoryUsage().rss;
    console.log(
      `upload fuzz: ${CASES} cases in ${Date.now() - started} ms; RSS ${Math.round(rssBefore / 1e6)} → ${Math.round(rssAfter / 1e6)} MB; answers:`,
      Object.fromEntries([...statuses].sort()),
    );
    expect(Object.fromEntries(problems), `FUZZ_SEED=${SEED}`).toEqual({});
    expect(rssAfter - rssBefore).toBeLessThan(RSS_GROWTH_BOUND_BYTES);

    // Every accepted upload is a real document: a row, its stored original and its queued job.
    const documents = await t.db.document.findMany({ where: { tenantId: tenant.tenantId }, select: { id: true, objectKey: true, mimeType: true } });
    expect(new Set(documents.map((document) => document.id))).toEqual(accepted);
    expect(new Set(await objectKeysOf(tenant.tenantId))).toEqual(new Set(documents.map((document) => document.objectKey)));
    for (const document of documents) expect(await t.queues.bill.getJob(document.id), document.id).toBeDefined();
    expect(documents.every((document) => ['application/pdf', 'image/png', 'image/jpeg'].includes(document.mimeType))).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  /** Every document id an upload answered with, warm-up included. */
  const accepted = new Set<string>();

  /** What is wrong with an answer, if anything: a 5xx, a body that is not JSON, an error outside `{ code, message, details? }`. */
  function problemWith(response: { statusCode: number; headers: Record<string, unknown>; body: string }): string | undefined {
    const described = `${response.statusCode} ${response.body.slice(0, 200)}`;
    if (response.statusCode >= 500) return `a 5xx: ${described}`;
    const body = safeJson(response.body);
    if (!String(response.headers['content-type']).startsWith('application/json') || !body) return `not JSON: ${described}`;
    if (response.statusCode < 300) return typeof body.documentId === 'string' && body.status === 'QUEUED' ? undefined : `not an upload answer: ${described}`;
    const shaped = typeof body.code === 'string' && typeof body.message === 'string' && Object.keys(body).every((name) => ERROR_KEYS.has(name));
    return shaped ? undefined : `not the error shape: ${described}`;
  }

  /** Sends one input; an answer that takes longer than ANSWER_BOUND_MS fails the run as a hang. */
  async function send(input: FuzzInput) {
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ANSWER_BOUND_MS} ms to ${input.label} (FUZZ_SEED=${SEED})`)), ANSWER_BOUND_MS);
    });
    const request = t.app.inject({
      method: 'POST',
      url: `/api/entities/${tenant.entityId}/bills/scan`,
      headers: { ...input.headers, ...bearer(tenant.memberToken) },
      payload: input.payload,
    });
    const response = await Promise.race([request, hang]).finally(() => clearTimeout(timer));
    if (response.statusCode < 300 && typeof safeJson(response.body)?.documentId === 'string') accepted.add(response.json().documentId);
    return response;
  }
});

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
