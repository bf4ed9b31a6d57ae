import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchmarksFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../BENCHMARKS.md');

const HEADER = `# Billflow benchmarks

Each section is written by the npm script named in it (\`npm run bench:…\`,
\`npm run chaos:…\`); a script replaces only its own section. Numbers come
from the machine named in each section.
`;

/**
 * Replaces the section `name` of BENCHMARKS.md (between its start and end
 * markers) with `markdown`, or appends it; other sections stay as they are.
 */
export function writeBenchmarkSection(name: string, markdown: string, file = benchmarksFile): void {
  const start = `<!-- section:${name} -->`;
  const end = `<!-- /section:${name} -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next = from >= 0 && to > from ? current.slice(0, from) + block + current.slice(to + end.length) : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}
