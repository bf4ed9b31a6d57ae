import os from 'node:os';

/** "- Machine: …" for a benchmark report: cores, CPU model, memory, kernel, Node and the date. */
export function machineLine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `- Machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}; run on ${new Date().toISOString().slice(0, 10)}`;
}
