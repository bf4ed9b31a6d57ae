import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { applyMigrations, ensureDatabase } from '../../../src/dev/database-setup.js';

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A new, migrated database `billflow_chaos_<random>` on the server of `serverUrl`; drop() removes it (and ends its connections). */
export async function createScratchDatabase(serverUrl: string): Promise<ScratchDatabase> {
  const name = `billflow_chaos_${randomBytes(4).toString('hex')}`;
  const url = withDatabase(serverUrl, name);
  await ensureDatabase(url);
  await applyMigrations(url);
  return {
    url,
    async drop() {
      const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres'), connectionTimeoutMillis: 3_000 });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
