import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../src/dev/tokens.js';
import { bearer, type TenantFixture } from './helpers/tenants.js';
import { appWithTenant, createTestApp, type TestApp } from './helpers/test-app.js';
import { TEST_JWT_SECRET } from './helpers/test-config.js';

const getDocument = (t: TestApp, headers: Record<string, string>) =>
  t.app.inject({ method: 'GET', url: `/api/documents/${randomUUID()}`, headers });
const nowS = () => Math.floor(Date.now() / 1000);
/** An HS256 token with explicit exp/nbf (seconds), for the clock-tolerance edges. */
const signAt = (times: { exp: number; nbf?: number }) =>
  createSigner({ key: TEST_JWT_SECRET })({ sub: 'u', tenantId: randomUUID(), role: 'ADMIN', ...times });

describe('HS256 bearer tokens', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  beforeAll(async () => ({ t, tenant } = await appWithTenant()));
  afterAll(() => t.close());

  it('lets a valid token through (404: the document does not exist)', async () => {
    expect((await getDocument(t, bearer(tenant.memberToken))).statusCode).toBe(404);
  });

  it.each([
    ['no header', {}],
    ['a malformed header', { authorization: 'Token abc' }],
    ['garbage', bearer('not.a.jwt')],
    ['another secret', bearer(mintToken('x'.repeat(40), { sub: 'u', tenantId: randomUUID(), role: 'ADMIN' }))],
    ['an expired token', bearer(createSigner({ key: TEST_JWT_SECRET, expiresIn: 1 })({ sub: 'u', tenantId: randomUUID(), role: 'ADMIN', iat: 1_000 }))],
    ['no exp', bearer(createSigner({ key: TEST_JWT_SECRET })({ sub: 'u', tenantId: randomUUID(), role: 'ADMIN' }))],
    ['a missing tenantId', bearer(createSigner({ key: TEST_JWT_SECRET, expiresIn: 60_000 })({ sub: 'u', role: 'ADMIN' }))],
    ['an unknown role', bearer(createSigner({ key: TEST_JWT_SECRET, expiresIn: 60_000 })({ sub: 'u', tenantId: randomUUID(), role: 'OWNER' }))],
    ['alg HS512', bearer(createSigner({ key: TEST_JWT_SECRET, algorithm: 'HS512', expiresIn: 60_000 })({ sub: 'u', tenantId: randomUUID(), role: 'ADMIN' }))],
    ['alg none (unsigned)', bearer(createSigner({ algorithm: 'none', expiresIn: 60_000 })({ sub: 'u', tenantId: randomUUID(), role: 'ADMIN' }))],
    ['no sub', bearer(createSigner({ key: TEST_JWT_SECRET, expiresIn: 60_000 })({ tenantId: randomUUID(), role: 'ADMIN' }))],
    ['a token expired 40 s ago (beyond the 30 s tolerance)', bearer(signAt({ exp: nowS() - 40 }))],
    ['a token not valid before 40 s from now', bearer(signAt({ nbf: nowS() + 40, exp: nowS() + 600 }))],
  ])('answers 401 for %s', async (_name, headers) => {
    const response = await getDocument(t, headers);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it.each([
    ['expired 10 s ago', { exp: nowS() - 10 }],
    ['valid from 10 s from now', { nbf: nowS() + 10, exp: nowS() + 600 }],
  ])('tolerates clock skew within 30 s: a token %s passes', async (_name, times) => {
    expect((await getDocument(t, bearer(signAt(times)))).statusCode).toBe(404);
  });
});

describe('HS256 tokens with JWT_ISSUER and JWT_AUDIENCE configured', () => {
  const issuer = 'https://idp.billflow.test';
  const audience = 'billflow-api';
  let t: TestApp;
  const claims = () => ({ sub: 'u', tenantId: randomUUID(), role: 'MEMBER' as const });
  beforeAll(async () => {
    t = await createTestApp({ overrides: { JWT_ISSUER: issuer, JWT_AUDIENCE: audience } });
  });
  afterAll(() => t.close());

  it('accepts the configured issuer and audience', async () => {
    expect((await getDocument(t, bearer(mintToken(TEST_JWT_SECRET, claims(), { issuer, audience })))).statusCode).toBe(404);
  });

  it.each([
    ['a wrong issuer', { issuer: 'https://evil.invalid', audience }],
    ['a wrong audience', { issuer, audience: 'another-api' }],
    ['no issuer', { audience }],
    ['no audience', { issuer }],
  ])('answers 401 for %s', async (_name, options) => {
    expect((await getDocument(t, bearer(mintToken(TEST_JWT_SECRET, claims(), options)))).statusCode).toBe(401);
  });
});

describe('RS256 tokens from a JWKS URL', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'test-key-1';
  let jwks: Server;
  let t: TestApp;
  let issuer: string;

  beforeAll(async () => {
    jwks = createServer((request, response) => {
      if (request.url !== '/.well-known/jwks.json') return void response.writeHead(404).end();
      const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`;
    t = await createTestApp({ overrides: { JWT_SECRET: '', JWT_JWKS_URL: `${issuer}/.well-known/jwks.json`, JWT_ISSUER: issuer } });
  });
  afterAll(async () => {
    await t.close();
    jwks.close();
  });

  const sign = (key: string, header: { kid: string }, iss = issuer) =>
    createSigner({ key, algorithm: 'RS256', kid: header.kid, expiresIn: 60_000, iss })({ sub: 'idp-user', tenantId: randomUUID(), role: 'MEMBER' });

  it('accepts a token signed by the published key', async () => {
    const token = sign(privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, { kid });
    const response = await getDocument(t, bearer(token));
    expect(response.statusCode, response.body).toBe(404);
  });

  it('refuses a token from another issuer', async () => {
    const token = sign(privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, { kid }, 'https://evil.invalid');
    expect((await getDocument(t, bearer(token))).statusCode).toBe(401);
  });

  it('refuses a token signed by an unknown key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    expect((await getDocument(t, bearer(sign(other, { kid })))).statusCode).toBe(401);
  });

  it('refuses an unsigned token (alg none) naming the published key', async () => {
    const token = createSigner({ algorithm: 'none', kid, expiresIn: 60_000, iss: issuer })({ sub: 'x', tenantId: randomUUID(), role: 'ADMIN' });
    expect((await getDocument(t, bearer(token))).statusCode).toBe(401);
  });

  it('refuses a token without exp signed by the published key', async () => {
    const token = createSigner({ key: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, algorithm: 'RS256', kid, iss: issuer })({ sub: 'x', tenantId: randomUUID(), role: 'ADMIN' });
    expect((await getDocument(t, bearer(token))).statusCode).toBe(401);
  });

  it('refuses an HS256 token even when signed with the public key text (algorithm confusion)', async () => {
    const pem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
    const token = createSigner({ key: pem, algorithm: 'HS256', kid, expiresIn: 60_000, iss: issuer })({ sub: 'x', tenantId: randomUUID(), role: 'ADMIN' });
    expect((await getDocument(t, bearer(token))).statusCode).toBe(401);
  });
});
