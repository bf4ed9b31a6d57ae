import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ConfigError } from '../src/config.js';
import { createDatabase, databaseSsl } from '../src/db.js';
import { createRedis, type RedisConfig } from '../src/redis.js';
import { freePort } from '../scripts/lib/free-port.js';
import { createTestApp } from './helpers/test-app.js';
import { startPostgresTlsProxy, type PostgresTlsProxy } from './helpers/postgres-tls-proxy.js';
import { createTestCertificates, type TestCertificates } from './helpers/test-certificates.js';
import { waitFor } from './helpers/wait.js';

const silent = pino({ level: 'silent' });
let certificates: TestCertificates;

beforeAll(() => {
  certificates = createTestCertificates();
});
afterAll(() => certificates.remove());

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('Redis over TLS (a private redis-server with only a TLS port)', () => {
  let redisServer: ChildProcess;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    redisServer = spawn(
      'redis-server',
      ['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--tls-cert-file', certificates.certFile, '--tls-key-file', certificates.keyFile, '--tls-auth-clients', 'no', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await waitFor(async () => ((await accepts(port)) ? true : undefined), 10_000, 'the TLS redis-server');
  });
  afterAll(async () => {
    redisServer.kill('SIGTERM');
    await once(redisServer, 'exit');
  });

  /** Connects as the app does, and resolves with PONG or the first connection error's message. */
  async function ping(config: Omit<RedisConfig, 'REDIS_URL'> & { REDIS_URL?: string }): Promise<string> {
    const redis = createRedis({ REDIS_URL: `redis://127.0.0.1:${port}`, ...config }, 'worker', silent);
    try {
      return await Promise.race([redis.ping(), once(redis, 'error').then(([error]) => `error: ${(error as Error).message}`)]);
    } finally {
      redis.disconnect();
    }
  }

  it('connects with REDIS_TLS=true and the CA in REDIS_TLS_CA_FILE', async () => {
    expect(await ping({ REDIS_TLS: true, REDIS_TLS_CA_FILE: certificates.caFile })).toBe('PONG');
  });

  it('connects with a rediss:// URL and the CA', async () => {
    expect(await ping({ REDIS_URL: `rediss://127.0.0.1:${port}`, REDIS_TLS: false, REDIS_TLS_CA_FILE: certificates.caFile })).toBe('PONG');
  });

  it('refuses a server whose certificate another CA signed', async () => {
    expect(await ping({ REDIS_TLS: true, REDIS_TLS_CA_FILE: certificates.otherCaFile })).toMatch(/^error: .*(certificate|verify)/is);
  });

  it('refuses the private CA when only the system CAs are trusted', async () => {
    expect(await ping({ REDIS_TLS: true })).toMatch(/^error: .*(certificate|verify)/is);
  });

  it('is what the app connects with: /health sees Redis up over TLS', async () => {
    const t = await createTestApp({ overrides: { REDIS_URL: `rediss://127.0.0.1:${port}`, REDIS_TLS_CA_FILE: certificates.caFile } });
    try {
      // The request connection queues nothing while it connects: ask until the TLS handshake is done.
      const redisCheck = () => t.app.inject({ method: 'GET', url: '/health' }).then((response) => response.json().checks.redis.status as string);
      await waitFor(async () => ((await redisCheck()) === 'up' ? true : undefined), 5_000, 'Redis up over TLS');
    } finally {
      await t.close();
    }
  });

  it('names the variable when the CA file cannot be read', () => {
    expect(() => createRedis({ REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_TLS: true, REDIS_TLS_CA_FILE: '/nonexistent/ca.pem' }, 'worker', silent)).toThrow(ConfigError);
  });
});

describe('PostgreSQL over TLS (node-postgres through a TLS-terminating proxy)', () => {
  let proxy: PostgresTlsProxy;
  let proxiedUrl: string;

  beforeAll(async () => {
    const target = new URL(inject('databaseUrl'));
    proxy = await startPostgresTlsProxy(
      { host: target.hostname, port: Number(target.port || 5432) },
      { cert: readFileSync(certificates.certFile), key: readFileSync(certificates.keyFile) },
    );
    target.host = `127.0.0.1:${proxy.port}`;
    proxiedUrl = target.toString();
  });
  afterAll(() => proxy.close());

  /** One query through the proxy as the app connects; resolves with how the session went, or the error. */
  async function query(mode: 'disable' | 'require' | 'verify-full', caFile?: string): Promise<string> {
    const before = proxy.sessions.length;
    const db = createDatabase(proxiedUrl, databaseSsl({ DATABASE_SSL_MODE: mode, DATABASE_SSL_CA_FILE: caFile }));
    try {
      const [row] = await db.$queryRaw<{ answer: number }[]>`SELECT 42 AS answer`;
      expect(row?.answer).toBe(42);
      return proxy.sessions.slice(before).join(',');
    } catch (error) {
      return `error: ${(error as Error).message}`;
    } finally {
      await db.$disconnect();
    }
  }

  it('DATABASE_SSL_MODE=require encrypts the session (certificate not checked)', async () => {
    expect(await query('require')).toBe('tls');
  });

  it('verify-full connects when DATABASE_SSL_CA_FILE holds the signing CA', async () => {
    expect(await query('verify-full', certificates.caFile)).toBe('tls');
  });

  it('verify-full refuses a certificate another CA signed', async () => {
    expect(await query('verify-full', certificates.otherCaFile)).toMatch(/^error: .*(certificate|verify)/is);
  });

  it('verify-full refuses the private CA when only the system CAs are trusted', async () => {
    expect(await query('verify-full')).toMatch(/^error: .*(certificate|verify)/is);
  });

  it('is what the app connects with: /health sees the database up over a verified TLS session', async () => {
    const before = proxy.sessions.length;
    const t = await createTestApp({ overrides: { DATABASE_URL: proxiedUrl, DATABASE_SSL_MODE: 'verify-full', DATABASE_SSL_CA_FILE: certificates.caFile } });
    try {
      const health = await t.app.inject({ method: 'GET', url: '/health' });
      expect(health.json()).toMatchObject({ checks: { database: { status: 'up' } } });
      expect(proxy.sessions.slice(before)).toContain('tls');
      expect(proxy.sessions.slice(before)).not.toContain('plain');
    } finally {
      await t.close();
    }
  });

  it('disable stays plain', async () => {
    expect(await query('disable')).toBe('plain');
  });
});
