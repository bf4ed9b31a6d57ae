import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFinalFailure } from '../src/services/scan-failures.js';
import { runTask, scanJobData, tenantUsers, unnotifiedFailure } from './helpers/maintenance.js';
import { startSmtpServer, type TestSmtpServer } from './helpers/smtp.js';
import { createTenant } from './helpers/tenants.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let smtp: TestSmtpServer;

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({ overrides: { SMTP_URL: smtp.url, SMTP_FROM: 'Billflow <billflow@test.invalid>' } });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const mailTo = (address: string) => smtp.messages.filter((message) => message.to.includes(address));
const failureNotifications = (tenantId: string) => t.db.notification.findMany({ where: { tenantId, type: 'document.failed' }, orderBy: { createdAt: 'asc' } });

describe('failure notifier: in-app notifications', () => {
  it('writes one notification per unnotified failure, and none on later runs', async () => {
    const tenant = await createTenant(t.db);
    const { admin, member } = await tenantUsers(t.db, tenant);
    const failures = [
      await unnotifiedFailure(t.db, tenant, member.id, 'march.pdf'),
      await unnotifiedFailure(t.db, tenant, member.id, 'april.pdf'),
      await unnotifiedFailure(t.db, tenant, admin.id, 'may.pdf'),
    ];
    const resolved = await unnotifiedFailure(t.db, tenant, member.id, 'fixed.pdf', { resolvedAt: new Date() });

    expect(await runTask(t, tenant, 'failure-notifier')).toMatchObject({ notified: 3 });
    const notifications = await failureNotifications(tenant.tenantId);
    expect(notifications.map((notification) => notification.dedupeKey).sort()).toEqual(failures.map((failure) => `document.failed:${failure.jobId}:1`).sort());
    expect(notifications.find((notification) => notification.message.startsWith('march.pdf'))).toMatchObject({
      userId: member.id,
      title: 'A document could not be processed',
      message: 'march.pdf: the PDF is damaged',
      metadata: { documentId: failures[0]!.documentId, jobId: failures[0]!.jobId, kind: 'bill', entityId: tenant.entityId },
    });
    const rows = await t.db.jobFailure.findMany({ where: { tenantId: tenant.tenantId } });
    expect(rows.every((row) => row.notifiedAt !== null)).toBe(true);
    expect(rows.find((row) => row.id === resolved.id)?.notifiedAt).not.toBeNull();

    expect(await runTask(t, tenant, 'failure-notifier')).toMatchObject({ notified: 0 });
    expect(await failureNotifications(tenant.tenantId)).toHaveLength(3);
  });

  it('does not notify again what the worker notified already when it recorded the failure', async () => {
    const tenant = await createTenant(t.db);
    const { member } = await tenantUsers(t.db, tenant);
    const data = scanJobData(tenant, { uploadedBy: member.id, filename: 'worker.pdf' });
    await recordFinalFailure(t.db, { jobId: data.documentId, queue: 'bill-scan', jobName: 'scan', data, reason: 'unreadable', attempts: 1 });

    expect(await runTask(t, tenant, 'failure-notifier')).toMatchObject({ notified: 0, emails: 1, emailed: 1 });
    expect(await failureNotifications(tenant.tenantId)).toHaveLength(1);
  });
});

describe('failure notifier: e-mail', () => {
  it('sends each user one message per run listing their new failures, and never the same notification twice', async () => {
    const tenant = await createTenant(t.db);
    const { admin, member } = await tenantUsers(t.db, tenant);
    await unnotifiedFailure(t.db, tenant, member.id, 'march.pdf');
    await unnotifiedFailure(t.db, tenant, member.id, 'april.pdf');
    await unnotifiedFailure(t.db, tenant, admin.id, 'may.pdf');

    expect(await runTask(t, tenant, 'failure-notifier')).toEqual({ notified: 3, emailEnabled: true, emails: 2, emailed: 3, skipped: 0, failed: 0, retryable: 0 });
    const [memberMail, ...moreMemberMail] = mailTo(member.email);
    expect(moreMemberMail).toEqual([]);
    expect(memberMail).toMatchObject({ from: 'billflow@test.invalid', subject: 'Billflow: 2 documents could not be processed' });
    expect(memberMail!.text).toContain(`Hello ${member.name},`);
    expect(memberMail!.text).toContain('- march.pdf: the PDF is damaged');
    expect(memberMail!.text).toContain('- april.pdf: the PDF is damaged');
    expect(mailTo(admin.email)).toHaveLength(1);
    expect(mailTo(admin.email)[0]!.subject).toBe('Billflow: a document could not be processed');
    expect((await failureNotifications(tenant.tenantId)).every((notification) => notification.emailedAt !== null)).toBe(true);

    expect(await runTask(t, tenant, 'failure-notifier')).toMatchObject({ emails: 0, emailed: 0 });
    await unnotifiedFailure(t.db, tenant, member.id, 'june.pdf');
    expect(await runTask(t, tenant, 'failure-notifier')).toMatchObject({ notified: 1, emails: 1, emailed: 1 });
    const latest = mailTo(member.email);
    expect(latest).toHaveLength(2);
    expect(latest[1]!.text).toContain('june.pdf');
    expect(latest[1]!.text).not.toContain('march.pdf');
  });

  it('two runs at the same time e-mail each notification once', async () => {
    const tenant = await createTenant(t.db);
    const { member } = await tenantUsers(t.db, tenant);
    await Promise.all(['a.pdf', 'b.pdf', 'c.pdf'].map((name) => unnotifiedFailure(t.db, tenant, member.id, name)));

    const results = await Promise.all([runTask(t, tenant, 'failure-notifier'), runTask(t, tenant, 'failure-notifier')]);
    expect(results.reduce((sum, result) => sum + result.emailed, 0)).toBe(3);
    expect(results.reduce((sum, result) => sum + result.notified, 0)).toBe(3);
    const listed = mailTo(member.email).flatMap((message) => message.text.split('\n').filter((line) => line.startsWith('- ')));
    expect(listed.sort()).toEqual(['- a.pdf: the PDF is damaged', '- b.pdf: the PDF is damaged', '- c.pdf: the PDF is damaged']);
  });

  it('skips users without a known address (identity-provider subjects) for good', async () => {
    const tenant = await createTenant(t.db);
    await unnotifiedFailure(t.db, tenant, 'auth0|external-user', 'external.pdf');

    expect(await runTask(t, tenant, 'failure-notifier')).toMatchObject({ notified: 1, emails: 0, skipped: 1 });
    const [notification] = await failureNotifications(tenant.tenantId);
    expect(notification).toMatchObject({ emailedAt: null, emailError: 'no e-mail address for this user' });
    expect(notification!.emailClaimedAt).not.toBeNull();
    expect(await runTask(t, tenant, 'failure-notifier')).toMatchObject({ skipped: 0 });
  });

  it('sends again after a temporary refusal (451), and never after a crash between claim and send (at most once)', async () => {
    const tenant = await createTenant(t.db);
    const { member } = await tenantUsers(t.db, tenant);
    await unnotifiedFailure(t.db, tenant, member.id, 'refused.pdf');

    smtp.refuseNext(1);
    expect(await runTask(t, tenant, 'failure-notifier')).toMatchObject({ emails: 0, failed: 1, retryable: 1 });
    expect((await failureNotifications(tenant.tenantId))[0]).toMatchObject({ emailClaimedAt: null, emailedAt: null, emailError: expect.stringMatching(/try again later/) });
    expect(await runTask(t, tenant, 'failure-notifier')).toMatchObject({ emails: 1, emailed: 1, failed: 0 });
    expect(mailTo(member.email)).toHaveLength(1);

    // What a process that died after claiming and before sending leaves behind: claimed, never e-mailed.
    await unnotifiedFailure(t.db, tenant, member.id, 'crashed.pdf');
    expect(await runTask(t, tenant, 'failure-notifier')).toMatchObject({ notified: 1, emails: 1 });
    const crashed = (await failureNotifications(tenant.tenantId)).find((notification) => notification.message.startsWith('crashed.pdf'))!;
    await t.db.notification.update({ where: { id: crashed.id }, data: { emailedAt: null } });
    expect(await runTask(t, tenant, 'failure-notifier')).toMatchObject({ emails: 0, emailed: 0 });
    expect(mailTo(member.email)).toHaveLength(2);
  });

  it('writes only in-app notifications when SMTP is not configured', async () => {
    const plain = await createTestApp();
    try {
      const tenant = await createTenant(plain.db);
      const { member } = await tenantUsers(plain.db, tenant);
      await unnotifiedFailure(plain.db, tenant, member.id, 'quiet.pdf');
      expect(await runTask(plain, tenant, 'failure-notifier')).toEqual({ notified: 1, emailEnabled: false, emails: 0, emailed: 0, skipped: 0, failed: 0, retryable: 0 });
      const [notification] = await plain.db.notification.findMany({ where: { tenantId: tenant.tenantId } });
      expect(notification).toMatchObject({ emailClaimedAt: null, emailedAt: null });
      expect(mailTo(member.email)).toEqual([]);
    } finally {
      await plain.close();
    }
  });
});
