import { loadDevConfig } from './dev-env-config.js';
import { prepareDemo } from './demo-tenants.js';

/** `npm run seed`: idempotent; the last line printed is the JSON summary other tools parse. */
const summary = await prepareDemo(loadDevConfig());
console.log(JSON.stringify(summary));
