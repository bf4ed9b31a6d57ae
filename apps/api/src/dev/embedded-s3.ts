import S3rver from 's3rver';

/** s3rver's fixed local credentials; it accepts nothing else. Dev and tests only. */
export const EMBEDDED_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface EmbeddedS3 {
  endpoint: string;
  /** Stops listening and waits for open requests; with dropConnections (an outage) every open connection is cut at once. */
  close(options?: { dropConnections?: boolean }): Promise<void>;
}

/** An S3-compatible server on loopback, keeping objects under `directory`. Port 0 picks a free port. */
export async function startEmbeddedS3(options: { directory: string; port: number; bucket: string }): Promise<EmbeddedS3> {
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port,
    directory: options.directory,
    silent: true,
    configureBuckets: [{ name: options.bucket }],
  });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async (closeOptions = {}) => {
      const closed = server.close();
      // Without this, clients' keep-alive connections would still be served: no outage at all.
      if (closeOptions.dropConnections) server.httpServer.closeAllConnections();
      await closed;
    },
  };
}
