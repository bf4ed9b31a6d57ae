import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';

/** A Server-Sent Events response: `event:` + one `data:` line of JSON per message, comment lines as heartbeats. */
export interface EventStream {
  send(event: string, data: unknown): void;
  /** Ends the response; the client sees the stream close. */
  end(): void;
  /** Runs once, when the stream ends for any reason (end(), client gone, server closing). */
  onClose(listener: () => void): void;
  readonly closed: boolean;
}

declare module 'fastify' {
  interface FastifyReply {
    /** Takes the response over (reply.hijack) and starts an event stream on it. */
    eventStream(): EventStream;
  }
}

export interface EventStreamOptions {
  /** A comment line this often keeps proxies and idle timeouts from closing a quiet stream (default 15 s). */
  heartbeatMs?: number;
  /** The client's reconnection delay, sent as `retry:` (default 3 s). */
  retryMs?: number;
}

/**
 * `reply.eventStream()` for routes that stream (fastify's inject does not:
 * test these over a real port). Every open stream is ended when the server
 * closes, so a connected client never holds up a graceful shutdown.
 */
export const eventStream = fp(
  async (app: FastifyInstance, options: EventStreamOptions) => {
    const heartbeatMs = options.heartbeatMs ?? 15_000;
    const retryMs = options.retryMs ?? 3_000;
    const open = new Set<EventStream>();

    app.decorateReply('eventStream', function (this: FastifyReply): EventStream {
      const raw = this.raw;
      this.hijack();
      raw.writeHead(200, {
        ...(this.getHeaders() as OutgoingHttpHeaders),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // nginx and similar proxies would otherwise buffer the stream.
        'x-accel-buffering': 'no',
        'x-request-id': this.request.id,
      });
      raw.flushHeaders();
      raw.write(`retry: ${retryMs}\n\n`);

      const listeners: (() => void)[] = [];
      let closed = false;
      const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), heartbeatMs);
      const stream: EventStream = {
        get closed() {
          return closed;
        },
        send(event, data) {
          if (!closed) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        },
        end() {
          if (!closed) raw.end();
          cleanUp();
        },
        onClose(listener) {
          if (closed) listener();
          else listeners.push(listener);
        },
      };
      const cleanUp = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        open.delete(stream);
        for (const listener of listeners.splice(0)) {
          try {
            listener();
          } catch (error) {
            this.log.warn({ err: error }, 'event stream: a close listener failed');
          }
        }
      };
      // 'close' fires when the client goes away as well as after end().
      raw.on('close', cleanUp);
      open.add(stream);
      // The client may have left before the stream opened (its 'close' is already past).
      if (raw.destroyed || this.request.raw.socket.destroyed) cleanUp();
      return stream;
    });

    app.addHook('preClose', async () => {
      for (const stream of [...open]) stream.end();
    });
  },
  { name: 'event-stream' },
);
