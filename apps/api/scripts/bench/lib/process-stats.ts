import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * User + system CPU time the process has used so far, in ms (Linux /proc, 1/CLK_TCK resolution);
 * with `children`, plus that of its child processes that have ended (native tesseract runs one per page).
 */
export function cpuMs(pid: number, options: { children?: boolean } = {}): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime, stime, cutime and cstime are fields 14 to 17 of the whole line.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const children = options.children ? Number(fields[13]) + Number(fields[14]) : 0;
  return ((Number(fields[11]) + Number(fields[12]) + children) * 1000) / ticksPerSecond;
}

/** Current (VmRSS) and peak (VmHWM) resident memory of the process, in bytes. */
export function residentBytes(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

/** User + system CPU time, in ms, of every process whose command name is `comm` (e.g. all of PostgreSQL's backends and helpers). */
export function cpuMsOfCommand(comm: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === comm) total += cpuMs(Number(entry));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return total;
}

/** CPU time the whole machine has been busy (all cores; user, nice, system, irq and softirq), in ms (Linux /proc/stat). */
export function machineBusyMs(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq] = ticks.map(Number) as number[];
  return ((user! + nice! + system! + irq! + softirq!) * 1000) / ticksPerSecond;
}
