import { createS3Client, ObjectStorage } from '../services/object-storage.js';
import { start } from '../server.js';
import { prepareDemo } from './demo-tenants.js';
import { devS3Settings, loadDevConfig } from './dev-env-config.js';
import { EMBEDDED_S3_CREDENTIALS, startEmbeddedS3 } from './embedded-s3.js';
import { postgresProblem, redisProblem } from './preflight.js';

/**
 * `npm run dev`: checks PostgreSQL and Redis, applies migrations, seeds the demo
 * tenants, starts an embedded S3 server unless S3_ENDPOINT is set, then runs
 * API + workers and prints a token and a curl line to try it.
 */
let config = loadDevConfig();

const problems = (await Promise.all([postgresProblem(config.DATABASE_URL), redisProblem(config.REDIS_URL)])).filter(Boolean);
if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exit(1);
}

const demo = await prepareDemo(config);

if (!config.S3_ENDPOINT) {
  const s3 = await startEmbeddedS3({ ...devS3Settings(), bucket: config.S3_BUCKET });
  config = {
    ...config,
    S3_ENDPOINT: s3.endpoint,
    S3_FORCE_PATH_STYLE: true,
    S3_ACCESS_KEY_ID: EMBEDDED_S3_CREDENTIALS.accessKeyId,
    S3_SECRET_ACCESS_KEY: EMBEDDED_S3_CREDENTIALS.secretAccessKey,
  };
  process.once('exit', () => void s3.close());
}
await new ObjectStorage(createS3Client(config), config.S3_BUCKET).ensureBucket();

const { url } = await start(config);
const base = url.replace('0.0.0.0', '127.0.0.1');
console.log(`
Billflow is running at ${base}  (API docs: ${base}/docs)

Demo tenant ${demo.tenantId}, entity ${demo.entityId}
ADMIN token (24 h):
  export TOKEN=${demo.adminToken}
Upload the sample bill:
  curl -s -H "Authorization: Bearer $TOKEN" -F file=@examples/sample-invoice.pdf ${base}/api/entities/${demo.entityId}/bills/scan
Then follow links.self:
  curl -s -H "Authorization: Bearer $TOKEN" ${base}/api/documents/<documentId>

OPERATOR token (24 h; every tenant's jobs): Bull Board at ${base}/admin/queues asks for a login:
any user name, this token as the password.
  ${demo.operatorToken}
`);
