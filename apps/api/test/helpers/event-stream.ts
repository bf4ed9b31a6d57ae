import { waitFor } from './wait.js';

export interface StreamMessage {
  event: string;
  data: string;
}

export interface EventStreamClient {
  status: number;
  headers: Headers;
  /** Messages received so far (comments excluded). */
  messages: StreamMessage[];
  /** Heartbeat and other comment lines received so far. */
  comments: string[];
  /** Resolves when the server ends the stream (or close() was called). */
  ended: Promise<void>;
  /** Waits for the first message that matches. */
  next(match: (message: StreamMessage) => boolean, timeoutMs?: number): Promise<StreamMessage>;
  close(): void;
}

/** A real HTTP client for a Server-Sent Events route (fetch streaming: `inject` does not stream). */
export async function connectEventStream(url: string, token: string | undefined): Promise<EventStreamClient> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    signal: controller.signal,
  });
  const messages: StreamMessage[] = [];
  const comments: string[] = [];
  const parse = (block: string) => {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comments.push(line.slice(1).trim());
      else if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (data.length > 0) messages.push({ event, data: data.join('\n') });
  };
  const ended = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  })();
  return {
    status: response.status,
    headers: response.headers,
    messages,
    comments,
    ended,
    next: (match, timeoutMs = 20_000) => waitFor(async () => messages.find(match), timeoutMs, 'a matching event'),
    close: () => controller.abort(),
  };
}

/** The `data` of every `event: document` message, parsed. */
export const documentEvents = (client: EventStreamClient) =>
  client.messages.filter((message) => message.event === 'document').map((message) => JSON.parse(message.data) as Record<string, unknown>);

/** Rejects if the promise has not settled in time. */
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
