// npm run chaos:redis — Redis (nothing on disk) killed and started empty mid-run: the reconciler re-enqueues from PostgreSQL.
import { runOutageScenario } from './lib/outage.js';

await runOutageScenario({ name: 'redis', what: 'Redis', dependency: (env) => env.redis });
