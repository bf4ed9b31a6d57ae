/** A progress line rewritten in place on a terminal; nothing when the output is a file. */
export function progress(line: string): void {
  if (process.stdout.isTTY) process.stdout.write(`\r  ${line}`);
}
