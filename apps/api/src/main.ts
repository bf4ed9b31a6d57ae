import { ConfigError, loadConfig } from './config.js';
import { start } from './server.js';

/** Production entry: `node dist/main.js` (migrations are applied before, by the deployment). */
try {
  await start(loadConfig());
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
