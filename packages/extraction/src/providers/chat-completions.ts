/**
 * One structured-output call to an OpenAI-compatible chat-completions endpoint, with an overall
 * deadline and retries. Errors carry short, fixed descriptions only: never the request (document
 * text, key) nor the response body.
 */

export type ModelFailureKind = 'timeout' | 'network' | 'http' | 'rate-limited' | 'bad-response' | 'refused';

export class ModelCallError extends Error {
  constructor(
    readonly kind: ModelFailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'ModelCallError';
  }
}

export interface ChatCallOptions {
  url: string;
  apiKey: string;
  body: unknown;
  /** Budget for the whole call, retries and waits included. */
  timeoutMs: number;
  /** Further attempts after the first. */
  retries: number;
  fetch: typeof fetch;
  signal?: AbortSignal;
}

/** First retry waits this long; each further one twice as long. */
export const BACKOFF_BASE_MS = 500;
/** A Retry-After longer than this is shortened to it. */
export const MAX_RETRY_AFTER_MS = 10_000;

/**
 * POSTs the body and returns choices[0].message.content. Retries network errors, 429 (after its
 * Retry-After, capped) and 5xx with exponential backoff; gives up as a timeout when the budget
 * runs out, including when the next wait would outlast it. Rejects with the caller's signal's
 * reason when that signal aborts.
 */
export async function callChatCompletions(options: ChatCallOptions): Promise<string> {
  const { signal: callerSignal } = options;
  callerSignal?.throwIfAborted();
  const deadline = Date.now() + options.timeoutMs;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
  const attempts = options.retries + 1;

  for (let attempt = 1; ; attempt++) {
    let failure: ModelCallError;
    let wait = BACKOFF_BASE_MS * 2 ** (attempt - 1);
    try {
      const response = await options.fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${options.apiKey}` },
        body: JSON.stringify(options.body),
        signal,
      });
      if (response.ok) return contentOf(await response.text());
      await response.body?.cancel().catch(() => undefined);
      const status = response.status;
      if (status === 429) {
        failure = new ModelCallError('rate-limited', `HTTP 429 after ${attempt} attempt(s)`);
        const retryAfter = retryAfterMs(response.headers.get('retry-after'));
        if (retryAfter !== null) wait = Math.min(retryAfter, MAX_RETRY_AFTER_MS);
      } else if (status >= 500) {
        failure = new ModelCallError('http', `HTTP ${status} after ${attempt} attempt(s)`);
      } else {
        throw new ModelCallError('http', `HTTP ${status}`);
      }
    } catch (error) {
      if (callerSignal?.aborted) throw callerSignal.reason;
      if (timeout.aborted) throw new ModelCallError('timeout', `timeout after ${options.timeoutMs} ms`);
      if (error instanceof ModelCallError) throw error;
      failure = new ModelCallError('network', `network error after ${attempt} attempt(s)`);
    }
    if (attempt >= attempts) throw failure;
    if (Date.now() + wait >= deadline) throw new ModelCallError('timeout', `timeout after ${options.timeoutMs} ms (${failure.message})`);
    await sleep(wait, signal).catch(() => {
      if (callerSignal?.aborted) throw callerSignal.reason;
      throw new ModelCallError('timeout', `timeout after ${options.timeoutMs} ms`);
    });
  }
}

/** choices[0].message.content of a chat-completions response. */
function contentOf(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ModelCallError('bad-response', 'response is not JSON');
  }
  const message = (parsed as { choices?: { message?: { content?: unknown; refusal?: unknown } }[] } | null)?.choices?.[0]?.message;
  if (typeof message?.content === 'string' && message.content.trim() !== '') return message.content;
  if (typeof message?.refusal === 'string' && message.refusal !== '') throw new ModelCallError('refused', 'model refused');
  throw new ModelCallError('bad-response', 'response has no message content');
}

/** Retry-After as delta-seconds or an HTTP date, in ms; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null) return null;
  const trimmed = header.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
