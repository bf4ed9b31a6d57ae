/**
 * `tsx apps/api/scripts/bench/cpu-profile-summary.ts <file.cpuprofile> [--top 40]`
 *
 * Summarises a V8 CPU profile (node --cpu-prof, e.g. bench:upload --cpu-prof <dir>): self time
 * by package (node_modules/<package>, Node internals, our source) and by function, idle excluded
 * from the shares.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '40' } }, allowPositionals: true });
if (positionals.length !== 1) throw new Error('usage: cpu-profile-summary.ts <file.cpuprofile> [--top N]');
const profile = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as CpuProfile;
const top = Number(values.top);

/** node_modules/@scope/name or node_modules/name (the innermost), node:internal, our source path, or V8's own entries. */
function packageOf(url: string, functionName: string): string {
  if (!url) return `(${functionName || 'native'})`;
  const modules = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.startsWith('node:')) return 'node (internal)';
  const source = /\/(apps|packages)\/([^/]+)\/(src|scripts)\//.exec(url);
  return source ? `${source[1]}/${source[2]}` : url;
}

const nodesById = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMsByFunction = new Map<string, number>();
const selfMsByPackage = new Map<string, number>();
let busyMs = 0;
profile.samples.forEach((nodeId, index) => {
  const { functionName, url, lineNumber } = nodesById.get(nodeId)!.callFrame;
  const ms = (profile.timeDeltas[index] ?? 0) / 1000;
  if (functionName === '(idle)') return;
  busyMs += ms;
  const pkg = packageOf(url, functionName);
  const where = url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(apps|packages)\//, '$1/')}:${lineNumber + 1}` : '';
  const fn = `${functionName || '(anonymous)'} ${where}`.trim();
  selfMsByFunction.set(fn, (selfMsByFunction.get(fn) ?? 0) + ms);
  selfMsByPackage.set(pkg, (selfMsByPackage.get(pkg) ?? 0) + ms);
});

function print(title: string, totals: Map<string, number>) {
  console.log(`\n${title}`);
  for (const [name, ms] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / busyMs).toFixed(1).padStart(5)}%  ${name}`);
  }
}

console.log(`busy (not idle): ${busyMs.toFixed(0)} ms`);
print('self time by package', selfMsByPackage);
print('self time by function', selfMsByFunction);
