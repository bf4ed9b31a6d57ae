import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { createSigner } from 'fast-jwt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { authentication } from '../src/plugins/authentication.js';
import { DEFAULT_JWKS_KEY_OPTIONS, type JwksKeyOptions } from '../src/plugins/jwks-keys.js';
import { errorHandler } from '../src/plugins/error-handler.js';

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const newKey = (kid: string): SigningKey => ({ kid, ...generateKeyPairSync('rsa', { modulusLength: 2048 }) });
const keyA = newKey('key-a');
const keyB = newKey('key-b');

/** An identity provider's JWKS endpoint that counts its fetches; `published` and `hang` change what it does. */
class JwksServer {
  published: SigningKey[] = [keyA];
  fetches = 0;
  hang = false;
  private readonly server: Server = createServer((request, response) => {
    if (request.url !== '/.well-known/jwks.json') return void response.writeHead(404).end();
    this.fetches += 1;
    if (this.hang) return;
    const keys = this.published.map((key) => ({ ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, alg: 'RS256', use: 'sig' }));
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const sign = (key: SigningKey, kid = key.kid) =>
  createSigner({ key: key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, algorithm: 'RS256', kid, expiresIn: 60_000 })({
    sub: 'idp-user',
    tenantId: randomUUID(),
    role: 'MEMBER',
  });

/** The authentication plugin alone, in front of one route that answers 204 to an authenticated caller. */
async function protectedApp(jwksUrl: string, jwks: JwksKeyOptions = DEFAULT_JWKS_KEY_OPTIONS) {
  const app = Fastify();
  await app.register(errorHandler);
  await app.register(authentication, { JWT_JWKS_URL: jwksUrl, jwks });
  app.get('/whoami', { onRequest: (request) => app.authenticate(request) }, async (_request, reply) => reply.code(204).send());
  await app.ready();
  return { app, call: (token: string) => app.inject({ method: 'GET', url: '/whoami', headers: { authorization: `Bearer ${token}` } }).then((response) => response.statusCode) };
}

describe('JWKS key cache and rotation', () => {
  const idp = new JwksServer();
  let jwksUrl: string;
  const apps: { close(): Promise<unknown> }[] = [];
  const started = async (options?: JwksKeyOptions) => {
    const started = await protectedApp(jwksUrl, options);
    apps.push(started.app);
    return started.call;
  };

  beforeAll(async () => {
    jwksUrl = await idp.listen();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    idp.published = [keyA];
    idp.hang = false;
    idp.fetches = 0;
  });
  afterAll(() => idp.close());

  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const quick: JwksKeyOptions = { ...DEFAULT_JWKS_KEY_OPTIONS, cooldownMs: 200 };

  it('fetches the key set once and serves later tokens from the cache', async () => {
    const call = await started();
    expect(await call(sign(keyA))).toBe(204);
    expect(await call(sign(keyA))).toBe(204);
    expect(idp.fetches).toBe(1);
  });

  it('refetches for a new kid after a rotation, and refuses a kid the refreshed set does not hold', async () => {
    const call = await started(quick);
    expect(await call(sign(keyA))).toBe(204);
    idp.published = [keyA, keyB];
    await pause(250);
    expect(await call(sign(keyB))).toBe(204);
    expect(idp.fetches).toBe(2);
    await pause(250);
    expect(await call(sign(keyB, 'key-never-published'))).toBe(401);
    expect(idp.fetches).toBe(3);
    expect(await call(sign(keyA))).toBe(204);
    expect(idp.fetches).toBe(3);
  });

  it('bounds a flood of random kids to one JWKS fetch per cooldown, and learns every published key from it', async () => {
    const call = await started();
    const statuses = await Promise.all(Array.from({ length: 200 }, () => call(sign(keyA, randomUUID()))));
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect(await call(sign(keyA, randomUUID()))).toBe(401);
    expect(idp.fetches).toBe(1);
    expect(await call(sign(keyA))).toBe(204);
    expect(idp.fetches).toBe(1);
  });

  it('answers 401, not 500, when the JWKS endpoint is down, and keeps serving the keys fetched last', async () => {
    const call = await started({ ...DEFAULT_JWKS_KEY_OPTIONS, ttlMs: 100, cooldownMs: 100 });
    expect(await call(sign(keyA))).toBe(204);
    await idp.close();
    try {
      // Each call comes after the TTL and cooldown, so each one tries the dead endpoint first.
      await pause(150);
      expect(await call(sign(keyA))).toBe(204);
      await pause(150);
      expect(await call(sign(keyB))).toBe(401);
    } finally {
      jwksUrl = await idp.listen();
    }
  });

  it('answers 401 within the fetch timeout when the JWKS endpoint hangs', async () => {
    const call = await started({ ...DEFAULT_JWKS_KEY_OPTIONS, fetchTimeoutMs: 300 });
    idp.hang = true;
    const startedAt = Date.now();
    expect(await call(sign(keyA))).toBe(401);
    expect(Date.now() - startedAt).toBeLessThan(3_000);
  });

  it('never asks the JWKS endpoint about tokens in another algorithm', async () => {
    const call = await started();
    const hs256 = createSigner({ key: 'k'.repeat(40), algorithm: 'HS256', kid: keyA.kid, expiresIn: 60_000 })({ sub: 'x', tenantId: randomUUID(), role: 'ADMIN' });
    expect(await call(hs256)).toBe(401);
    expect(idp.fetches).toBe(0);
  });
});
