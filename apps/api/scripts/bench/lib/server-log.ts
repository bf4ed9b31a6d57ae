/**
 * For spawnServer's onLine: server log lines at warn or above go to our stderr (a failed
 * job says why). Info lines, and the production-posture warnings a bench on localhost
 * always gets, are dropped.
 */
export function printServerProblems(line: string): void {
  if (/"level":[4-6]\d/.test(line) && !line.includes('"check":"production-posture"')) console.error(line);
}
