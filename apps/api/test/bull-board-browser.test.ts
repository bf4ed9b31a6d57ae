import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanJobFor } from '../src/services/scan-jobs.js';
import { createDocumentRow } from './helpers/records.js';
import { createTenant, type TenantFixture } from './helpers/tenants.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** Debian's Chromium; .ci/run installs it. Without it this file is reported as skipped, never as passed. */
const CHROMIUM = '/usr/bin/chromium';

describe.skipIf(!existsSync(CHROMIUM))('Bull Board in a real browser', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    t = await createTestApp({ workers: true });
    tenant = await createTenant(t.db);
    baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it('renders the queues for an OPERATOR who logs in with the token as Basic password, with no CSP violations', async () => {
    const context = await browser.newContext({ httpCredentials: { username: 'operator', password: tenant.operatorToken } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));

    const response = await page.goto(`${baseUrl}/admin/queues`);
    expect(response?.status()).toBe(200);
    await page.getByText('bill-scan').first().waitFor({ timeout: 15_000 });
    await page.getByText('invoice-scan').first().waitFor();
    // The board asks Google Fonts for a typeface; the policy blocks that on purpose (no third-party calls
    // from an admin's browser) and the board falls back to system fonts. Anything else blocked is a bug.
    const blocked = problems.filter((problem) => /Content Security Policy|Refused to/i.test(problem) && !problem.includes('https://fonts.googleapis.com/'));
    expect(blocked, problems.join('\n')).toEqual([]);
    await context.close();
  });

  it("shows an ADMIN its own tenant's jobs, not another tenant's, and no other tenant's job page", async () => {
    const stranger = await createTenant(t.db);
    const delayed = async (owner: TenantFixture) => {
      const document = await createDocumentRow(t.db, owner);
      await t.queues.bill.add('scan', scanJobFor(document), { jobId: document.id, delay: 600_000 });
      return document.id;
    };
    const own = await delayed(tenant);
    const foreign = await delayed(stranger);
    const context = await browser.newContext({ httpCredentials: { username: 'admin', password: tenant.adminToken } });
    const page = await context.newPage();
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });

    expect((await page.goto(`${baseUrl}/admin/queues/queue/bill-scan?status=delayed`))?.status()).toBe(200);
    await page.getByText(own).first().waitFor({ timeout: 15_000 });
    expect(await page.getByText(foreign).count()).toBe(0);
    const foreignPage = `${baseUrl}/admin/queues/queue/bill-scan/${foreign}`;
    expect((await page.goto(foreignPage))?.status()).toBe(404);
    // Its own job's page loads everything it asks for: nothing the board needs for it is OPERATOR-only.
    expect((await page.goto(`${baseUrl}/admin/queues/queue/bill-scan/${own}`, { waitUntil: 'networkidle' }))?.status()).toBe(200);
    await page.getByText(own).first().waitFor({ timeout: 15_000 });
    expect(failed).toEqual([`404 ${foreignPage}`]);
    await context.close();
  });

  it('shows a MEMBER no board', async () => {
    const context = await browser.newContext({ httpCredentials: { username: 'member', password: tenant.memberToken } });
    const response = await (await context.newPage()).goto(`${baseUrl}/admin/queues`);
    expect(response?.status()).toBe(403);
    await context.close();
  });
});
