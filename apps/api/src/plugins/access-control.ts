import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, HTTPMethods } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.js';
import { bullBoardAccess, BULL_BOARD_PATH } from './bull-board-routes.js';
import type { Role } from './claims.js';

/**
 * Every route states who may call it: `config: { access: 'public' | 'member' | 'admin' | 'operator' }`.
 * 'member' means any authenticated user of a tenant; the levels nest
 * (OPERATOR ⊇ ADMIN ⊇ MEMBER). A route without a rule fails at registration,
 * so nothing becomes reachable by omission.
 */
export type Access = 'public' | 'member' | 'admin' | 'operator';

/** One registered method + URL and its rule (HEAD routes Fastify adds for GET routes included). */
export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** A static bearer token that also opens this route (e.g. METRICS_TOKEN for Prometheus). */
    serviceToken?: string;
  }
  interface FastifyInstance {
    /** Every route registered so far with its access rule, for the route × role matrix test. */
    readonly routeAccess: readonly RouteAccess[];
  }
}

const LEVEL: Record<Access, number> = { public: 0, member: 1, admin: 2, operator: 3 };
const ROLE_LEVEL: Record<Role, number> = { MEMBER: LEVEL.member, ADMIN: LEVEL.admin, OPERATOR: LEVEL.operator };

function presentsToken(request: FastifyRequest, token: string): boolean {
  const presented = Buffer.from(request.headers.authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

/** Routes that third-party plugins register without a rule: the OpenAPI UI is public, Bull Board has rules per route. */
function pluginRouteAccess(method: string, url: string): Access | undefined {
  // @fastify/cors's catch-all preflight route; preflights are answered in its onRequest hook, before any guard.
  if (method === 'OPTIONS' && url === '*') return 'public';
  if (url.startsWith('/docs')) return 'public';
  if (url.startsWith(BULL_BOARD_PATH)) return bullBoardAccess(method, url);
  return undefined;
}

/** A route with several methods gets the strictest of their rules. */
function pluginRouteRule(methods: string[], url: string): Access | undefined {
  const rules = methods.map((method) => pluginRouteAccess(method, url));
  if (rules.includes(undefined)) return undefined;
  return (rules as Access[]).sort((a, b) => LEVEL[b] - LEVEL[a])[0];
}

export const accessControl = fp(
  async (app: FastifyInstance) => {
    const registered: RouteAccess[] = [];
    app.decorate('routeAccess', registered);

    app.addHook('onRoute', (route) => {
      const methods = [route.method].flat() as HTTPMethods[];
      const access = route.config?.access ?? pluginRouteRule(methods, route.url);
      if (!access) throw new Error(`route ${String(route.method)} ${route.url} declares no access rule`);
      for (const method of methods) registered.push({ method, url: route.url, access });
      if (access === 'public') return;
      const serviceToken = route.config?.serviceToken;
      const guard = async (request: FastifyRequest) => {
        if (serviceToken && presentsToken(request, serviceToken)) return;
        await app.authenticate(request);
        if (ROLE_LEVEL[request.user.role] < LEVEL[access]) throw new AppError(403, 'FORBIDDEN', `this needs the ${access.toUpperCase()} role`);
      };
      route.onRequest = [guard, ...(route.onRequest ? [route.onRequest].flat() : [])];
    });
  },
  { name: 'access-control', dependencies: ['authentication'] },
);
