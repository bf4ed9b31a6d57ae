import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { waitFor } from './helpers/wait.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Keeps the event loop busy for `ms`, in 100 ms synchronous blocks with a turn of the loop between them. */
async function saturateEventLoop(ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const blockEnd = Math.min(end, Date.now() + 100);
    while (Date.now() < blockEnd) {
      // Busy on purpose: this is the overload.
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const get = (url: string) => t!.app.inject({ method: 'GET', url });

/** The app once its start-up work (schema compilation) has left the measured second. */
async function calmApp(overrides: Record<string, string>): Promise<TestApp> {
  t = await createTestApp({ overrides });
  await waitFor(async () => ((await get('/no-such-route')).statusCode === 404 ? true : undefined), 5_000, 'the app to be calm');
  return t;
}

async function expectShedThenRecovered(): Promise<void> {
  await saturateEventLoop(2_500);
  const shed = await get('/no-such-route');
  expect(shed.statusCode).toBe(503);
  expect(shed.headers['retry-after']).toBe('2');
  expect(shed.json()).toEqual({ code: 'OVERLOADED', message: 'the server is overloaded; try again shortly', details: { retryAfterSeconds: 2 } });
  // Not exempt: a load balancer should take the instance out while it is overloaded.
  const health = await get('/health');
  expect(health.statusCode).toBe(503);
  expect(health.json()).toMatchObject({ code: 'OVERLOADED' });

  await waitFor(async () => ((await get('/no-such-route')).statusCode === 404 ? true : undefined), 5_000, 'requests to pass again');
  expect((await get('/health')).statusCode).toBe(200);
}

describe('load shedding', () => {
  it('answers 503 with Retry-After while the event loop is busier than MAX_EVENT_LOOP_UTILIZATION, then recovers', async () => {
    await calmApp({ MAX_EVENT_LOOP_UTILIZATION: '0.9', MAX_EVENT_LOOP_DELAY_MS: '60000' });
    await expectShedThenRecovered();
  });

  it('answers 503 while the mean event-loop delay is above MAX_EVENT_LOOP_DELAY_MS, then recovers', async () => {
    await calmApp({ MAX_EVENT_LOOP_UTILIZATION: '1', MAX_EVENT_LOOP_DELAY_MS: '40' });
    await expectShedThenRecovered();
  });
});
