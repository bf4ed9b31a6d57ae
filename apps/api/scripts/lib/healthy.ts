/**
 * Waits until the server's GET /health answers status "ok" (PostgreSQL, Redis
 * and S3 all reachable from it), as a load balancer's readiness check would
 * before sending it traffic again.
 */
export async function waitUntilHealthy(serverUrl: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const health = await fetch(`${serverUrl}/health`, { signal: AbortSignal.timeout(5_000) })
      .then((response) => response.json() as Promise<{ status?: string }>)
      .catch(() => undefined);
    if (health?.status === 'ok') return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${serverUrl} did not become healthy within ${timeoutMs} ms`);
}
