import { resolve } from 'node:path';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { repoRoot } from './database-setup.js';
import { loadDevEnv } from './env-file.js';

/** Loads .env (creating it on first run) and the config; exits with the list of problems if invalid. */
export function loadDevConfig(): Config {
  loadDevEnv();
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

export const devS3Settings = () => ({
  directory: resolve(repoRoot, process.env.DEV_S3_DIR || '.data/s3'),
  port: Number(process.env.DEV_S3_PORT || 4569),
});
