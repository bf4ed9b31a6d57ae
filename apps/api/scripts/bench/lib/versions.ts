import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../src/dev/database-setup.js';

function installedVersion(name: string): string {
  for (const modules of ['node_modules', 'apps/api/node_modules']) {
    try {
      return (JSON.parse(readFileSync(join(repoRoot, modules, name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      // not installed at this level of the workspace
    }
  }
  return 'not installed';
}

/** "- Versions: …" for a benchmark report: Node and the installed libraries that shape the numbers, plus Redis. */
export function versionsLine(redisVersion: string, packages = ['fastify', '@fastify/multipart', 'bullmq', '@aws-sdk/client-s3', '@aws-sdk/lib-storage']): string {
  return `- Versions: Node ${process.version}, ${packages.map((name) => `${name} ${installedVersion(name)}`).join(', ')}, redis-server ${redisVersion}`;
}
