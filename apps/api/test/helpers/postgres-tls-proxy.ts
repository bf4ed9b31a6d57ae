import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

/** PostgreSQL's SSLRequest: length 8, then the magic code 1234.5679. */
const SSL_REQUEST_CODE = 80877103;

export interface PostgresTlsProxy {
  port: number;
  /** How each client session went: TLS after an SSLRequest, or plain. */
  sessions: ('tls' | 'plain')[];
  close(): Promise<void>;
}

/**
 * A PostgreSQL server's TLS, in front of a PostgreSQL without it: answers a
 * client's SSLRequest with 'S', does the TLS handshake with the given
 * certificate, and passes the decrypted protocol on to `target`. Plain
 * sessions are passed on as they are. Lets a test prove what a real client
 * (node-postgres) negotiates and verifies when the machine's server has ssl=off.
 */
export async function startPostgresTlsProxy(target: { host: string; port: number }, tls: { cert: Buffer; key: Buffer }): Promise<PostgresTlsProxy> {
  const sessions: PostgresTlsProxy['sessions'] = [];
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const relay = (client: Socket, first?: Buffer) => {
    const upstream = connect(target.port, target.host);
    track(upstream);
    if (first) upstream.write(first);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  };

  const server = createServer((client) => {
    track(client);
    client.once('data', (first: Buffer) => {
      client.pause();
      if (first.length === 8 && first.readInt32BE(0) === 8 && first.readInt32BE(4) === SSL_REQUEST_CODE) {
        client.write('S');
        const secure = new TLSSocket(client, { isServer: true, cert: tls.cert, key: tls.key });
        track(secure);
        secure.once('secure', () => {
          sessions.push('tls');
          relay(secure);
        });
        return;
      }
      sessions.push('plain');
      relay(client, first);
      client.resume();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    sessions,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
