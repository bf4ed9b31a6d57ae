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
  }
}

/** The OpenAPI UI and document are public by design; everything else declares its rule. */
const PUBLIC_PREFIXES = ['/docs'];

export const accessControl = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRoute', (route) => {
      const access = route.config?.access ?? (PUBLIC_PREFIXES.some((prefix) => route.url.startsWith(prefix)) ? 'public' : undefined);
      if (!access) throw new Error(`route ${String(route.method)} ${route.url} declares no access rule`);
      if (access === 'public') return;
      const guard = async (request: FastifyRequest) => {
        await app.authenticate(request);
        if (access === 'admin' && request.user.role !== 'ADMIN') throw new AppError(403, 'FORBIDDEN', 'this needs an ADMIN role');
      };
      route.onRequest = [guard, ...(route.onRequest ? [route.onRequest].flat() : [])];
    });
  },
  { name: 'access-control', dependencies: ['authentication'] },
);
