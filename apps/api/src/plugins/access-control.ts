import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.js';

/**
 * Every route states who may call it: `config: { access: 'public' | 'member' | 'admin' }`.
 * 'member' means any authenticated user of a tenant. A route without a rule
 * fails at registration, so nothing becomes reachable by omission.
 */
export type Access = 'public' | 'member' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** A static bearer token that also opens this route (e.g. METRICS_TOKEN for Prometheus). */
    serviceToken?: string;
  }
}

function presentsToken(request: FastifyRequest, token: string): boolean {
  const presented = Buffer.from(request.headers.authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

/** Routes that third-party plugins register without a rule: the OpenAPI UI is public, Bull Board is for ADMINs. */
const PLUGIN_ROUTE_RULES: [prefix: string, access: Access][] = [
  ['/docs', 'public'],
  ['/admin/queues', 'admin'],
];

export const accessControl = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRoute', (route) => {
      const access = route.config?.access ?? PLUGIN_ROUTE_RULES.find(([prefix]) => route.url.startsWith(prefix))?.[1];
      if (!access) throw new Error(`route ${String(route.method)} ${route.url} declares no access rule`);
      if (access === 'public') return;
      const serviceToken = route.config?.serviceToken;
      const guard = async (request: FastifyRequest) => {
        if (serviceToken && presentsToken(request, serviceToken)) return;
        await app.authenticate(request);
        if (access === 'admin' && request.user.role !== 'ADMIN') throw new AppError(403, 'FORBIDDEN', 'this needs an ADMIN role');
      };
      route.onRequest = [guard, ...(route.onRequest ? [route.onRequest].flat() : [])];
    });
  },
  { name: 'access-control', dependencies: ['authentication'] },
);
