import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './database-setup.js';

/**
 * Loads the repo's .env; on first run creates it from .env.example with a
 * freshly generated JWT_SECRET, so a newcomer needs no manual step and no
 * secret ever has a shared default. Variables already set in the environment win.
 */
export function loadDevEnv(): { created: boolean } {
  const envPath = join(repoRoot, '.env');
  const created = !existsSync(envPath);
  if (created) {
    copyFileSync(join(repoRoot, '.env.example'), envPath);
    const secret = randomBytes(48).toString('base64url');
    writeFileSync(envPath, readFileSync(envPath, 'utf8').replace(/^JWT_SECRET=.*$/m, `JWT_SECRET=${secret}`), { mode: 0o600 });
  }
  process.loadEnvFile(envPath);
  return { created };
}
