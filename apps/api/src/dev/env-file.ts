import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './database-setup.js';

/**
 * Loads the repo's .env. On a first run with no signing key configured it
 * creates .env from .env.example with a freshly generated JWT_SECRET, so a
 * newcomer needs no manual step and no secret ever has a shared default.
 * Variables already set in the environment win over the file.
 */
export function loadDevEnv(): void {
  const envPath = join(repoRoot, '.env');
  if (!existsSync(envPath)) {
    if (process.env.JWT_SECRET || process.env.JWT_JWKS_URL) return;
    const secret = randomBytes(48).toString('base64url');
    const example = readFileSync(join(repoRoot, '.env.example'), 'utf8');
    writeFileSync(envPath, example.replace(/^JWT_SECRET=.*$/m, `JWT_SECRET=${secret}`), { mode: 0o600 });
    console.log('Created .env from .env.example with a new random JWT_SECRET.');
  }
  process.loadEnvFile(envPath);
}
