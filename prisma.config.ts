// Prisma 6.19 with the JS (WASM) schema engine: the native engines cannot be
// downloaded on our machines (see README, "Prisma"). The two work-arounds
// below fix bugs in @prisma/adapter-pg 6.19 that only the migrate path hits.
import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';
import pg from 'pg';

const PG_NAME_OID = 19;
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

function connectionFields(url: string): pg.PoolConfig {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.slice(1)),
    ssl: parsed.searchParams.get('sslmode') === 'require' ? { rejectUnauthorized: false } : undefined,
  };
}

type Queryable = { performIO(query: unknown): Promise<{ fields: { dataTypeID: number }[] }> };

/** prisma/orm#27403: catalog columns of type `name` and `"char"` are reported as text. */
function reportCatalogTypesAsText(queryable: object): void {
  const proto = Object.getPrototypeOf(Object.getPrototypeOf(queryable)) as Queryable & { patched?: true };
  if (proto.patched) return;
  const performIO = proto.performIO;
  proto.performIO = async function (this: Queryable, query: unknown) {
    const result = await performIO.call(this, query);
    for (const field of result.fields) {
      if (field.dataTypeID === PG_NAME_OID || field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    }
    return result;
  };
  proto.patched = true;
}

/**
 * Discrete connection fields (pg ignores `database` next to a connectionString)
 * and a shadow database that accepts whole migration scripts and is dropped
 * after its pool closes.
 */
class MigratePg extends PrismaPg {
  constructor(private readonly fields: pg.PoolConfig) {
    super(fields);
  }

  override async connect() {
    const adapter = await super.connect();
    reportCatalogTypesAsText(adapter);
    return adapter;
  }

  override async connectToShadowDb() {
    const database = `prisma_shadow_${randomUUID().replaceAll('-', '')}`;
    const admin = new pg.Client(this.fields);
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`);
    await admin.end();
    const shadow = new PrismaPg({ ...this.fields, database });
    const adapter = await shadow.connect();
    reportCatalogTypesAsText(adapter);
    // Migrate replays each migration into the shadow as one parameterless
    // executeRaw; pg's extended protocol refuses several statements in one.
    const executeRaw = adapter.executeRaw.bind(adapter);
    adapter.executeRaw = async (query) => {
      if (query.args.length > 0) return executeRaw(query);
      await adapter.executeScript(query.sql);
      return 0;
    };
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      const dropper = new pg.Client(this.fields);
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await dropper.end();
    };
    return adapter;
  }
}

export default defineConfig({
  schema: 'prisma/schema.prisma',
  engine: 'js',
  experimental: { adapter: true },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set (see .env.example)');
    return new MigratePg(connectionFields(url));
  },
});
