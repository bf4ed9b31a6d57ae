import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Metrics } from '../services/metrics.js';

export interface MetricsOptions {
  metrics: Metrics;
  /** A static bearer token Prometheus may use instead of an ADMIN token. */
  metricsToken?: string;
  /** Serve /metrics on the main port (false when METRICS_PORT runs a separate internal server). */
  exposeRoute: boolean;
}

/** Times every HTTP request by route template and status; serves GET /metrics to ADMINs or METRICS_TOKEN. */
export const metricsPlugin = fp(
  async (app: FastifyInstance, { metrics, metricsToken, exposeRoute }: MetricsOptions) => {
    app.addHook('onResponse', async (request, reply) => {
      metrics.httpDuration.observe(
        { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });
    if (!exposeRoute) return;
    app.get(
      '/metrics',
      {
        config: { access: 'admin', ...(metricsToken ? { serviceToken: metricsToken } : {}) },
        logLevel: 'warn',
        schema: { tags: ['operations'], summary: 'Prometheus metrics (ADMIN token or METRICS_TOKEN)', produces: ['text/plain'] },
      },
      async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
    );
  },
  { name: 'metrics', dependencies: ['access-control'] },
);

/** /metrics on an internal port of its own, without authentication (METRICS_PORT). */
export async function startMetricsServer(metrics: Metrics, host: string, port: number): Promise<FastifyInstance> {
  const server = Fastify({ logger: false });
  server.get('/metrics', async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  await server.listen({ host, port });
  return server;
}
