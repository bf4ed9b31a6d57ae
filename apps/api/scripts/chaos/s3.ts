// npm run chaos:s3 — the S3 server down mid-run, back on the same port and directory.
import { runOutageScenario } from './lib/outage.js';

await runOutageScenario({ name: 's3', what: 'S3', dependency: (env) => env.s3 });
