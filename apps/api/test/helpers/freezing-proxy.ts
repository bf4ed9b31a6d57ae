import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

export interface FreezingProxy {
  port: number;
  /** From now on, a connection whose client sends bytes matching `pattern` hangs right there: nothing more goes either way. */
  arm(pattern: RegExp): void;
  /** Settles when a connection froze: the client is blocked inside the matching command. */
  frozen: Promise<void>;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of Redis or PostgreSQL that can stop one connection at
 * an exact command. A child server talking through it is frozen at a known
 * point of its work (e.g. inside the first query of a transaction), so a test
 * can SIGKILL it there: a deterministic crash between two steps.
 */
export async function startFreezingProxy(target: { host: string; port: number }): Promise<FreezingProxy> {
  const sockets = new Set<Socket>();
  let pattern: RegExp | undefined;
  let markFrozen!: () => void;
  const frozen = new Promise<void>((resolve) => (markFrozen = resolve));

  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    let stuck = false;
    // Commands may straddle TCP chunks: match over the end of the previous chunk too.
    let tail = '';
    client.on('data', (chunk: Buffer) => {
      if (stuck) return;
      if (pattern) {
        const text = tail + chunk.toString('latin1');
        if (pattern.test(text)) {
          stuck = true;
          markFrozen();
          return;
        }
        tail = text.slice(-512);
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!stuck) client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    arm(next) {
      pattern = next;
    },
    frozen,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
