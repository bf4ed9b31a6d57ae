import closeWithGrace from 'close-with-grace';
import type { Config } from './config.js';
import { createLogger } from './logger.js';
import { enforceProductionPosture } from './production-checks.js';
import { createRuntime } from './runtime.js';

/** Starts API + workers and closes them on SIGTERM/SIGINT. Resolves once listening. */
export async function start(config: Config): Promise<{ url: string; close: () => Promise<void> }> {
  const logger = createLogger(config);
  enforceProductionPosture(config, logger);
  const runtime = await createRuntime(config, logger);
  const graceful = closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_MS, logger }, async ({ err, signal }) => {
    if (err) logger.error({ err }, 'shutting down after an error');
    else logger.info({ signal }, 'shutting down');
    await runtime.close();
  });
  runtime.app.addHook('onClose', async () => graceful.uninstall());
  const url = await runtime.app.listen({ host: config.HOST, port: config.PORT });
  return { url, close: runtime.close };
}
