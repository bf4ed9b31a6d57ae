import { createTransport } from 'nodemailer';
import type { Config } from '../config.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends e-mail through the SMTP server of SMTP_URL. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

const CONNECTION_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 30_000;

/** The mailer of SMTP_URL / SMTP_FROM, or null when SMTP is not configured (then nothing is sent). */
export function createMailer(config: Pick<Config, 'SMTP_URL' | 'SMTP_FROM'>): Mailer | null {
  if (!config.SMTP_URL || !config.SMTP_FROM) return null;
  // URL settings (host, port, credentials, secure) win over these options; the timeouts stay.
  const transport = createTransport({
    url: config.SMTP_URL,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: CONNECTION_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
  });
  const from = config.SMTP_FROM;
  return {
    async send(message) {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
    close() {
      transport.close();
    },
  };
}

/** Errors that happen before a connection to the server exists: nothing can have been delivered. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Failures before the first recipient was named: about our setup, not about this message. */
const BEFORE_MESSAGE = new Set(['EDNS', 'EAUTH', 'ENOAUTH', 'ETLS', 'ECONFIG']);
const SESSION_COMMAND = /^(CONN|EHLO|HELO|LHLO|STARTTLS|AUTH|MAIL FROM)/;

/**
 * Whether a send error proves the message was not accepted, so sending it
 * again later is right: the server refused it temporarily (4xx), or the
 * session failed before the first recipient (connection, TLS, login, sender
 * refused — a setup problem that an operator fixes). A permanent refusal of
 * the recipient or the message (5xx) would only fail again, and an ambiguous
 * failure (the connection dropped while the data was out) might already have
 * delivered it: neither is repeated.
 */
export function isRetryableSendError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, originalCode, responseCode, command } = error as { code?: string; originalCode?: string; responseCode?: number; command?: string };
  if (typeof responseCode === 'number') return responseCode < 500 || SESSION_COMMAND.test(command ?? '');
  return (originalCode !== undefined && NEVER_CONNECTED.has(originalCode)) || (code !== undefined && BEFORE_MESSAGE.has(code));
}
