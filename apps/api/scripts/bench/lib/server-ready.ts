import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits until GET /health answers 200, as an orchestrator's readiness probe does:
 * a server listens before its Redis connection is up, and answers uploads 503 until then.
 */
export async function waitUntilHealthy(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`${url}/health`).then((response) => response.status, () => 0);
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url}/health answered ${status} for ${timeoutMs} ms`);
    await sleep(100);
  }
}
