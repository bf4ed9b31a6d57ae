// The deployment files (docker-compose.yml, .env.example, Dockerfile) must agree
// with the environment schema in src/config.ts. No Docker engine is needed: the
// files are parsed, not run.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema } from '../src/config.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (file: string) => readFileSync(`${root}${file}`, 'utf8');

/** Read by `npm run dev` only (embedded S3 server), not by the application. */
const DEV_ONLY_KEYS = ['DEV_S3_DIR', 'DEV_S3_PORT'];
/** Values that must come from the operator, never from a default in a file. */
const SECRET_KEYS = ['JWT_SECRET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'POSTGRES_PASSWORD'];
const SECRET_NAME = /SECRET|PASSWORD|ACCESS_KEY/;

// zod 4: .superRefine() returns the same ZodObject, so the shape is still there.
const configKeys = Object.keys(configSchema.shape);
type ConfigKey = keyof typeof configSchema.shape;
/** Keys whose schema rejects "unset" (no default, not optional). */
const requiredKeys = configKeys.filter((key) => !configSchema.shape[key as ConfigKey].safeParse(undefined).success);

/** KEY=value lines of a dotenv file; comments and blank lines skipped. */
function parseDotenv(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
    if (match) entries.set(match[1]!, match[2]!.trim().replace(/^(['"])(.*)\1$/, '$2'));
  }
  return entries;
}

type ComposeService = {
  image?: string;
  build?: unknown;
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: (string | { target: number; published?: string | number })[];
  healthcheck?: { test?: string | string[] };
};
type ComposeFile = { services: Record<string, ComposeService> };

/** A service's environment as KEY → raw (uninterpolated) value, whichever of the two compose syntaxes it uses. */
function environmentOf(service: ComposeService): Map<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return new Map(env.map((item) => {
      const [key, ...value] = item.split('=');
      return [key!, value.join('=')];
    }));
  }
  return new Map(Object.entries(env).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

/** `${VAR}`, `${VAR:?message}` or `${VAR?message}`: a value the operator must supply. */
const REQUIRED_INTERPOLATION = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?\?[^}]*\}$|^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

/** Compose-style interpolation with `supplied` for required variables and the file's own defaults otherwise. */
function interpolate(value: string, supplied: Record<string, string>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (_all, name: string, operator?: string, rest?: string) => {
    if (name in supplied) return supplied[name]!;
    if (operator?.endsWith('-')) return rest ?? '';
    throw new Error(`no value for required variable ${name}`);
  });
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function dockerInstructions(text: string): { keyword: string; args: string }[] {
  const joined = text
    .split(/\r?\n/)
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\r?\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword!.toUpperCase(), args: rest.join(' ') };
    });
}

const compose = parse(read('docker-compose.yml')) as ComposeFile;
const composeText = read('docker-compose.yml');
const envExample = parseDotenv(read('.env.example'));
const dockerfile = dockerInstructions(read('Dockerfile'));

describe('config schema', () => {
  it('exposes its keys through .shape (zod 4 keeps the ZodObject under .superRefine)', () => {
    expect(configKeys).toEqual(expect.arrayContaining(['DATABASE_URL', 'REDIS_URL', 'JWT_SECRET', 'S3_ENDPOINT']));
    expect(requiredKeys).toEqual(expect.arrayContaining(['DATABASE_URL', 'REDIS_URL']));
  });
});

describe('.env.example', () => {
  it('documents every config key', () => {
    const missing = configKeys.filter((key) => !envExample.has(key));
    expect(missing).toEqual([]);
  });

  it('has no key the application does not read', () => {
    const unknown = [...envExample.keys()].filter((key) => !configKeys.includes(key) && !DEV_ONLY_KEYS.includes(key));
    expect(unknown).toEqual([]);
  });

  it('includes the dev-only keys', () => {
    expect([...envExample.keys()]).toEqual(expect.arrayContaining(DEV_ONLY_KEYS));
  });

  it('leaves every secret empty', () => {
    const filled = [...envExample].filter(([key, value]) => (SECRET_KEYS.includes(key) || SECRET_NAME.test(key)) && value !== '');
    expect(filled).toEqual([]);
  });

  it('is a valid configuration once a secret is supplied', () => {
    const env = Object.fromEntries(envExample);
    const result = configSchema.safeParse({ ...env, JWT_SECRET: 'x'.repeat(48) });
    expect(result.error?.issues ?? []).toEqual([]);
  });
});

describe('docker-compose.yml', () => {
  it('has postgres, redis, minio and api services', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'redis', 'minio', 'api']));
  });

  it('gives the api only variables of the config schema', () => {
    const unknown = [...environmentOf(compose.services.api!).keys()].filter((key) => !configKeys.includes(key));
    expect(unknown).toEqual([]);
  });

  it('sets every required config key for the api, with compose-internal hosts', () => {
    const env = environmentOf(compose.services.api!);
    expect(requiredKeys.filter((key) => !env.has(key))).toEqual([]);
    expect(env.get('HOST')).toBe('0.0.0.0');
    expect(env.get('S3_ENDPOINT')).toBe('http://minio:9000');
    expect(env.get('S3_FORCE_PATH_STYLE')).toBe('true');
    expect(env.get('DATABASE_URL')).toMatch(/@postgres:5432\//);
    expect(env.get('REDIS_URL')).toMatch(/^redis:\/\/redis:6379/);
    const loopback = [...env].filter(([, value]) => /localhost|127\.0\.0\.1/.test(value));
    expect(loopback).toEqual([]);
  });

  it('gives the api a valid configuration once the secrets are supplied', () => {
    const supplied = Object.fromEntries(SECRET_KEYS.map((key) => [key, key === 'S3_ACCESS_KEY_ID' ? 'a'.repeat(20) : 'x'.repeat(48)]));
    const env = Object.fromEntries([...environmentOf(compose.services.api!)].map(([key, value]) => [key, interpolate(value, supplied)]));
    const result = configSchema.safeParse(env);
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it('publishes the api on 3000 and starts it after healthy dependencies', () => {
    const api = compose.services.api!;
    expect(api.build).toBeDefined();
    expect(api.ports?.map(String)).toContain('3000:3000');
    const dependsOn = api.depends_on as Record<string, { condition?: string }>;
    for (const service of ['postgres', 'redis', 'minio']) {
      expect(dependsOn[service]?.condition, service).toBe('service_healthy');
      expect(compose.services[service]?.healthcheck?.test, `${service} healthcheck`).toBeDefined();
    }
  });

  it('has no default for any secret', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [key, value] of environmentOf(service)) {
        if (SECRET_KEYS.includes(key) || SECRET_NAME.test(key)) {
          expect(value, `${name}.${key}`).toMatch(REQUIRED_INTERPOLATION);
        }
      }
    }
    const secretWithDefault = new RegExp(`\\$\\{(${SECRET_KEYS.join('|')}):?-`);
    expect(composeText).not.toMatch(secretWithDefault);
  });

  it('puts no literal password into DATABASE_URL', () => {
    const url = environmentOf(compose.services.api!).get('DATABASE_URL')!;
    const password = /^postgres(?:ql)?:\/\/[^:@/]+:(.+)@[^@]+$/.exec(url)?.[1];
    if (password !== undefined) expect(password).toMatch(REQUIRED_INTERPOLATION);
  });
});

describe('Dockerfile', () => {
  it('is a multi-stage build', () => {
    expect(dockerfile.filter((instruction) => instruction.keyword === 'FROM').length).toBeGreaterThan(1);
  });

  it('runs as a non-root user', () => {
    const users = dockerfile.filter((instruction) => instruction.keyword === 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)!.args).not.toMatch(/^(root|0)(:|$)/);
  });

  it('has a HEALTHCHECK on /health', () => {
    const healthcheck = dockerfile.find((instruction) => instruction.keyword === 'HEALTHCHECK');
    expect(healthcheck?.args).toMatch(/\/health\b/);
    expect(healthcheck?.args).not.toMatch(/^NONE$/i);
  });

  it('applies migrations before starting the api', () => {
    const entrypoint = read('docker-entrypoint.sh');
    expect(entrypoint).toMatch(/prisma migrate deploy/);
    expect(entrypoint).toMatch(/exec "\$@"/);
    expect(dockerfile.some((instruction) => instruction.keyword === 'COPY' && instruction.args.includes('docker-entrypoint.sh'))).toBe(true);
    expect(dockerfile.find((instruction) => instruction.keyword === 'CMD')?.args).toMatch(/apps\/api\/dist\/main\.js/);
  });

  it('copies every workspace manifest before `npm ci` (npm ci fails on a workspace it cannot find)', () => {
    const manifests = ['apps', 'packages'].flatMap((folder) =>
      readdirSync(`${root}${folder}`)
        .map((name) => `${folder}/${name}/package.json`)
        .filter((manifest) => existsSync(`${root}${manifest}`)),
    );
    const copied = dockerfile.filter((instruction) => instruction.keyword === 'COPY').map((instruction) => instruction.args);
    const missing = manifests.filter((manifest) => !copied.some((args) => args.split(/\s+/).includes(manifest)));
    expect(missing).toEqual([]);
  });

  it('exposes the port the api listens on', () => {
    expect(dockerfile.filter((instruction) => instruction.keyword === 'EXPOSE').map((instruction) => instruction.args)).toContain('3000');
  });
});
