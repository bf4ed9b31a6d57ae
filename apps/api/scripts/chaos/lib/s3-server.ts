import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedS3, type EmbeddedS3 } from '../../../src/dev/embedded-s3.js';
import { freePort } from '../../lib/free-port.js';

export interface ChaosS3 {
  endpoint: string;
  bucket: string;
  /** Closes the listener and cuts every open connection: requests fail until start(). */
  stop(): Promise<void>;
  /** Serves the same directory on the same port again. */
  start(): Promise<void>;
  /** Stops it and deletes its directory. */
  destroy(): Promise<void>;
}

/** A private s3rver (in this process) on a fixed port and directory, so it can go down and come back as the same store. */
export async function startChaosS3(bucket = 'billflow-chaos'): Promise<ChaosS3> {
  const directory = mkdtempSync(join(tmpdir(), 'billflow-chaos-s3-'));
  const port = await freePort();
  let server: EmbeddedS3 | undefined;
  const start = async () => {
    server = await startEmbeddedS3({ directory, port, bucket });
  };
  const stop = async () => {
    await server?.close({ dropConnections: true });
    server = undefined;
  };
  await start();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    start,
    stop,
    async destroy() {
      await stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
