// The client's web security in Debian's Chromium (playwright-core) against a real in-process hub serving
// the built client: no Content-Security-Policy violation on any view (host console, point console, room
// display, join form), markup in a question (text, asker, unit) shown as literal text at the host, and a
// single-use join code across reloads: the same PC reloads with its stored session token, another PC
// with the same code gets the join form saying the code was used.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Role } from '../../shared/domain.ts';
import type { Hub } from '../../server/hub.ts';
import { connect, must, type HubClient as SignalClient } from '../../scripts/lib/hub-client.ts';
import { ensureClientBuilt, launch } from '../helpers/browser.ts';
import { startHub } from '../helpers/test-hub.ts';

const CONF = 'dong-nai-tap-huan-bau-cu';
const MARKUP = '<img src=x onerror="window.__pwned=1"><b>đậm</b><script>window.__pwned=2</script>';

let hub: Hub;
let url: string;
let browser: Browser;
const contexts: BrowserContext[] = [];
const violations: string[] = [];
const errors: string[] = [];
const signals: SignalClient[] = [];

beforeAll(async () => {
  ensureClientBuilt();
  ({ hub, url } = await startHub());
  browser = await launch();
}, 120_000);

afterAll(async () => {
  for (const s of signals) s.close();
  await browser?.close();
  await hub?.close('test done');
}, 60_000);

const issue = (pointId: string, role: Role) => hub.credentials.issue({ conferenceId: CONF, pointId, role }, 3600);

async function newContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, permissions: ['camera', 'microphone'] });
  // Runs before the page's own scripts (and is not subject to its CSP): records every violation.
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => {
    (window.__csp ??= []).push(e.violatedDirective + ' ' + e.blockedURI);
  });`);
  contexts.push(context);
  return context;
}

async function open(label: string, path: string, context?: BrowserContext): Promise<Page> {
  const page = await (context ?? (await newContext())).newPage();
  page.on('pageerror', (error) => errors.push(`${label}: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(`${label}: ${message.text()}`);
  });
  await page.goto(`${url}${path}`);
  return page;
}

async function recordedViolations(page: Page): Promise<string[]> {
  return (await page.evaluate('window.__csp ?? []')) as string[];
}

describe('browser security', () => {
  it('shows markup in questions as literal text, with no CSP violation on the host console or the join form', async () => {
    const host = await open('host', `/#token=${(await issue('tinh-dong-nai', 'host')).token}`);
    await host.locator('[data-view="host"]').waitFor({ timeout: 20_000 });
    const secretary = await connect(url, { token: (await issue('long-khanh', 'secretary')).token });
    signals.push(secretary);
    const asked = await must(secretary.request('question.submit', { asker: MARKUP, unit: '<i>Tổ</i>', category: 'Khác', text: MARKUP }));
    await host.click('[data-tab="questions"]');
    const card = host.locator(`.question[data-question-id="${asked.id}"]`);
    await card.waitFor({ timeout: 10_000 });
    expect(await card.locator('.q-text').textContent()).toBe(MARKUP);
    expect(await card.locator('img, b, script, i').count()).toBe(0);
    expect(await host.evaluate('window.__pwned')).toBeUndefined();
    expect(await recordedViolations(host)).toEqual([]);

    const form = await open('join form', '/');
    await form.locator('input[name="code"]').waitFor();
    expect(await recordedViolations(form)).toEqual([]);
  }, 60_000);

  it('a technician page reloads with its stored token; the same code on another PC is refused with a clear message', async () => {
    const { code } = await issue('bien-hoa', 'technician');
    const pc = await newContext();
    const page = await open('technician', `/?code=${code}`, pc);
    await page.locator('[data-view="point"]').waitFor({ timeout: 20_000 });
    const stored = (await page.evaluate('Object.entries(localStorage)')) as Array<[string, string]>;
    const bare = code.replace('-', '');
    expect(stored.length).toBe(1);
    for (const [key, value] of stored) {
      expect(key).not.toContain(bare);
      expect(key).not.toContain(code);
      expect(value.split('.')).toHaveLength(3);
    }
    await page.reload();
    await page.locator('[data-view="point"]').waitFor({ timeout: 20_000 });
    expect(await recordedViolations(page)).toEqual([]);

    const other = await open('other PC', `/?code=${code}`);
    await other.locator('.join .error').waitFor({ timeout: 20_000 });
    // The reason in the user's words (Vietnamese by default), never the hub's English line.
    expect(await other.locator('.join .error').getAttribute('data-reason')).toBe('join.code_used');
    expect(await other.locator('.join .error').textContent()).toMatch(/đã được dùng/);

    // The stored token revoked (lost PC): the reload falls back to the code form with the reason.
    hub.credentials.revoke(CONF, 'bien-hoa', 'technician');
    await page.reload();
    await page.locator('.join .error').waitFor({ timeout: 20_000 });
    expect(await page.locator('.join .error').getAttribute('data-reason')).toBe('token.revoked');
    expect(await page.locator('.join .error').textContent()).toMatch(/đã bị thu hồi/);
    expect((await page.evaluate('Object.keys(localStorage)')) as string[]).toEqual([]);
  }, 90_000);

  it('the room display shows no CSP violation while it plays', async () => {
    const { code } = await issue('xuan-loc', 'viewer');
    const display = await open('display', `/?code=${code}`);
    await display.locator('.banner').waitFor({ state: 'visible', timeout: 20_000 });
    await display.waitForTimeout(1000);
    expect(await recordedViolations(display)).toEqual([]);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);
});
