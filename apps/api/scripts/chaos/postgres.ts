// npm run chaos:postgres — a private PostgreSQL cluster stopped (immediate) and started again mid-run.
import { runOutageScenario } from './lib/outage.js';

await runOutageScenario({ name: 'postgres', what: 'PostgreSQL', privatePostgres: true, dependency: (env) => env.cluster! });
