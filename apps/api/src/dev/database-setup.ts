import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** Creates the database named in the URL when it does not exist yet (local PostgreSQL only needs the server). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

/** Names of committed migrations the database has not finished applying. */
async function pendingMigrations(databaseUrl: string): Promise<string[]> {
  const committed = readdirSync(join(repoRoot, 'prisma', 'migrations'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    // Two queries: PostgreSQL resolves every table a statement names before running it.
    const { rows: tables } = await client.query<{ exists: boolean }>(`SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS exists`);
    if (!tables[0]?.exists) return committed;
    const { rows } = await client.query<{ applied: string[] | null }>(
      'SELECT array_agg(migration_name) AS applied FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const applied = new Set(rows[0]?.applied ?? []);
    return committed.filter((name) => !applied.has(name));
  } finally {
    await client.end();
  }
}

/**
 * `prisma migrate deploy`: applies the committed migrations, never generates
 * new ones. Skipped when nothing is pending, since the CLI alone takes ~11 s here.
 */
export async function applyMigrations(databaseUrl: string): Promise<void> {
  if ((await pendingMigrations(databaseUrl)).length === 0) return;
  await promisify(execFile)('npx', ['prisma', 'migrate', 'deploy'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
}
