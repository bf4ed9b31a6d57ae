import type { Logger } from 'pino';
import type { Database } from '../db.js';
import type { Notification } from '../generated/prisma/client.js';
import { DOCUMENT_FAILED, failureNotification } from './failure-notifications.js';
import { isRetryableSendError, type Mailer } from './mailer.js';
import { documentReferenceSchema } from './scan-queues.js';

export interface FailureNotifierDeps {
  db: Database;
  /** null: SMTP is not configured, only in-app notifications are written. */
  mailer: Mailer | null;
  logger: Logger;
  batchSize: number;
  /** Only this tenant's failures and notifications (an admin's targeted run); all when unset. */
  tenantId?: string;
}

export interface FailureNotifierSummary {
  /** In-app notifications written for failures nobody had been told about. */
  notified: number;
  emailEnabled: boolean;
  /** Messages the SMTP server accepted (one per user per run). */
  emails: number;
  /** Notifications those messages listed. */
  emailed: number;
  /** Notifications of users without a known address (users of an external identity provider): never e-mailed. */
  skipped: number;
  /** Notifications whose message failed; `retryable` of them are sent again by a later run. */
  failed: number;
  retryable: number;
}

/** In-app batches per run: bounds one run while a backlog drains. */
const MAX_BATCHES = 20;
/** Older notifications are not e-mailed any more (e.g. the backlog of a time without SMTP). */
export const EMAIL_MAX_AGE_MS = 24 * 60 * 60 * 1_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Tells users about failed documents: writes the in-app notification of every
 * JobFailure nobody was told about yet, then (with SMTP configured) e-mails
 * each user one message listing their new failure notifications.
 *
 * E-mail is at most once per notification: a run first claims the
 * notifications it will send (a conditional update, so two runs never claim
 * the same one), then sends, then records the delivery. A crash between claim
 * and delivery loses those messages instead of sending them twice; the
 * in-app notification is there either way. A claim is released for a later
 * run only when the error proves nothing was delivered (see isRetryableSendError).
 */
export async function runFailureNotifier(deps: FailureNotifierDeps): Promise<FailureNotifierSummary> {
  const notified = await notifyUnnotifiedFailures(deps);
  const email = deps.mailer ? await emailFailureNotifications(deps, deps.mailer) : { emails: 0, emailed: 0, skipped: 0, failed: 0, retryable: 0 };
  return { notified, emailEnabled: deps.mailer !== null, ...email };
}

/** JobFailure rows with notifiedAt = null → one in-app notification each (never two: the dedupe key), then marked. */
async function notifyUnnotifiedFailures({ db, batchSize, tenantId }: FailureNotifierDeps): Promise<number> {
  let notified = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const rows = await db.jobFailure.findMany({ where: { notifiedAt: null, tenantId }, orderBy: [{ failedAt: 'asc' }, { id: 'asc' }], take: batchSize });
    if (rows.length === 0) break;
    // A failure that was resolved meanwhile is not news any more; it is only marked.
    const open = rows.filter((row) => !row.resolvedAt);
    const notifications = open.map((row) => {
      const document = documentReferenceSchema.pick({ filename: true, kind: true }).safeParse(row.data);
      return failureNotification({ ...row, filename: document.success ? document.data.filename : 'A document', kind: document.success ? document.data.kind : 'unknown' });
    });
    notified += await db.$transaction(async (tx) => {
      const created = await tx.notification.createMany({ data: notifications, skipDuplicates: true });
      await tx.jobFailure.updateMany({ where: { id: { in: rows.map((row) => row.id) }, notifiedAt: null }, data: { notifiedAt: new Date() } });
      return created.count;
    });
    if (rows.length < batchSize) break;
  }
  return notified;
}

interface Recipient {
  email: string;
  name: string;
}

/** One batch per run: claim, group by user, one message per user. */
async function emailFailureNotifications({ db, logger, batchSize, tenantId: scope }: FailureNotifierDeps, mailer: Mailer) {
  const summary = { emails: 0, emailed: 0, skipped: 0, failed: 0, retryable: 0 };
  const candidates = await db.notification.findMany({
    where: { type: DOCUMENT_FAILED, tenantId: scope, emailClaimedAt: null, createdAt: { gte: new Date(Date.now() - EMAIL_MAX_AGE_MS) } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true },
    take: batchSize,
  });
  if (candidates.length === 0) return summary;
  // Only what this run's update changed is ours: a concurrent run got the rest.
  const claimed = await db.notification.updateManyAndReturn({
    where: { id: { in: candidates.map((candidate) => candidate.id) }, emailClaimedAt: null },
    data: { emailClaimedAt: new Date() },
  });

  const byUser = new Map<string, Notification[]>();
  for (const notification of claimed) {
    const key = `${notification.tenantId}/${notification.userId}`;
    byUser.set(key, [...(byUser.get(key) ?? []), notification]);
  }
  const recipients = await recipientsOf(db, claimed);

  for (const notifications of byUser.values()) {
    const { tenantId, userId } = notifications[0]!;
    const ids = notifications.map((notification) => notification.id);
    const recipient = recipients.get(`${tenantId}/${userId}`);
    if (!recipient) {
      summary.skipped += ids.length;
      await db.notification.updateMany({ where: { id: { in: ids } }, data: { emailError: 'no e-mail address for this user' } });
      continue;
    }
    try {
      await mailer.send({ to: recipient.email, ...failureDigest(recipient, notifications) });
    } catch (error) {
      const retryable = isRetryableSendError(error);
      summary.failed += ids.length;
      if (retryable) summary.retryable += ids.length;
      logger.warn({ err: error, tenantId, userId, notifications: ids.length, retryable }, 'could not e-mail failure notifications');
      const emailError = error instanceof Error ? error.message.slice(0, 500) : 'send failed';
      await db.notification.updateMany({ where: { id: { in: ids } }, data: { emailError, ...(retryable ? { emailClaimedAt: null } : {}) } });
      continue;
    }
    summary.emails += 1;
    summary.emailed += ids.length;
    await db.notification.updateMany({ where: { id: { in: ids } }, data: { emailedAt: new Date(), emailError: null } });
  }
  return summary;
}

/**
 * The address of each notified user, by tenant/user. The uploader is a JWT
 * subject: only users known in this database (same tenant) have an address.
 */
async function recipientsOf(db: Database, notifications: Notification[]): Promise<Map<string, Recipient>> {
  const ids = [...new Set(notifications.map((notification) => notification.userId))].filter((id) => UUID.test(id));
  if (ids.length === 0) return new Map();
  const users = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, tenantId: true, email: true, name: true } });
  return new Map(users.map((user) => [`${user.tenantId}/${user.id}`, { email: user.email, name: user.name }]));
}

/** The text of one user's message. Notification messages are "<file name>: <reason>", already meant for users. */
export function failureDigest(recipient: Recipient, notifications: Notification[]): { subject: string; text: string } {
  const count = notifications.length;
  const subject = count === 1 ? 'Billflow: a document could not be processed' : `Billflow: ${count} documents could not be processed`;
  const lines = notifications.map((notification) => `- ${notification.message.replace(/[\r\n]+/g, ' ')}`);
  const text = [
    `Hello ${recipient.name},`,
    '',
    count === 1 ? 'Billflow could not process this document:' : `Billflow could not process these ${count} documents:`,
    '',
    ...lines,
    '',
    'Uploading a file again queues it once more. Your notifications in Billflow list the same failures.',
    '',
  ].join('\n');
  return { subject, text };
}
