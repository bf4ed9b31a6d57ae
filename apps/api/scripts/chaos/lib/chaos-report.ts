import { machineLine, writeBenchmarkSection } from '@billflow/benchmarks';
import type { ChaosVerdict } from './outcome-checks.js';

export interface ChaosReport {
  scenario: string;
  docs: number;
  /** "5 kills", "15 s outage". */
  fault: string;
  seconds: number;
  verdict: ChaosVerdict;
  /** Cut-off uploads (no Document) whose file and row the servers' reconciler removed, from their logs. */
  cutOffUploadsCleaned: number;
  settings: string;
}

const HEADER = ['scenario', 'docs', 'fault', '2xx uploads', '503s', 'other answers', 'records', 'failures', 'lost', 'duplicated', 'orphans', 'cut-off uploads cleaned up', 'cut-off uploads left', 'missing objects', 'stuck', 'rows behind rejects', 'time'];

function row(report: ChaosReport): string[] {
  const { counts } = report.verdict;
  const others = Object.entries(counts.statuses)
    .filter(([status]) => !/^2\d\d$/.test(status) && status !== '503')
    .map(([status, n]) => `${n}× ${status}`)
    .join(', ');
  return [
    `chaos:${report.scenario}`,
    String(report.docs),
    report.fault,
    String(counts.accepted),
    String(counts.statuses['503'] ?? 0),
    others || '0',
    String(counts.records),
    String(counts.failures),
    String(counts.lost),
    String(counts.duplicated),
    String(counts.orphans),
    String(report.cutOffUploadsCleaned),
    String(counts.abandonedUploads),
    String(counts.missingObjects),
    String(counts.stuck),
    String(counts.leftBehind),
    `${report.seconds.toFixed(0)} s`,
  ];
}

function markdownTable(report: ChaosReport): string {
  return [HEADER, HEADER.map(() => '---'), row(report)].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Prints the summary (and every violation); writes BENCHMARKS.md's `chaos-<scenario>` section unless told not to. */
export function publishChaosReport(report: ChaosReport, writeBenchmarks: boolean): void {
  const verdict = report.verdict.violations.length === 0 ? 'PASS' : 'FAIL';
  console.log(`\n${markdownTable(report)}\n`);
  for (const violation of report.verdict.violations) console.log(`VIOLATION: ${violation}`);
  console.log(`chaos:${report.scenario}: ${verdict}`);
  if (!writeBenchmarks) return;
  const lines = [
    `## chaos:${report.scenario}`,
    '',
    machineLine(),
    `- Settings: ${report.settings}`,
    `- Result: **${verdict}**${report.verdict.violations.length ? ` — ${report.verdict.violations.join('; ')}` : ''}`,
    '',
    markdownTable(report),
  ];
  writeBenchmarkSection(`chaos-${report.scenario}`, lines.join('\n'));
}
