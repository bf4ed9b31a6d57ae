import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';

const ONE_YEAR_S = 365 * 24 * 60 * 60;

/** The comma-separated CORS_ORIGINS as a list; empty when unset. */
export function corsOrigins(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
}

/**
 * What browsers may do with the API. Helmet's headers with a CSP for a JSON API
 * (nothing may load, nothing may frame it); the HTML pages (/docs, Bull Board)
 * replace the CSP with their own. HSTS only in production, where TLS ends in
 * front of the API. CORS only for the origins in CORS_ORIGINS ("*": any):
 * unset, no CORS header is ever sent. Preflights are answered in CORS's
 * onRequest hook, before any route's authentication.
 */
export const browserPolicy = fp(
  async (app: FastifyInstance, config: Pick<Config, 'NODE_ENV' | 'CORS_ORIGINS'>) => {
    await app.register(helmet, {
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      hsts: config.NODE_ENV === 'production' ? { maxAge: ONE_YEAR_S, includeSubDomains: true } : false,
    });
    const origins = corsOrigins(config.CORS_ORIGINS);
    if (origins.length === 0) return;
    await app.register(cors, {
      origin: origins.includes('*') ? '*' : origins,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
      exposedHeaders: ['X-Request-Id', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Idempotent-Replayed'],
      // Bearer tokens, not cookies: browsers need no credentialed requests.
      credentials: false,
      maxAge: 600,
    });
  },
  { name: 'browser-policy' },
);
