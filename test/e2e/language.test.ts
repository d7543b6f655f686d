// The Vietnamese interface as a new user meets it, in Chromium: a join code used twice, a code that does
// not exist, a host meeting an open roll call and uploading a file the hub refuses, a point saving a
// question the centre already took, and a connection test that failed. Each time the page shows the client's Vietnamese words for the
// hub's reason, and its whole visible text holds none of the hub's English `message` lines (taken from the
// frames the page received and from the same refusals made directly) and no reason code. Screenshots of
// each view go to /tmp/shots/ (or DIEMCAU_SHOTS) for a person to look at.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';

import { describe, expect, it } from 'vitest';

import type { Role } from '../../shared/domain.ts';
import { REASONS, type Reason } from '../../shared/errors.ts';
import type { ReadinessMeasurement } from '../../shared/records.ts';
import type { Hub } from '../../server/hub.ts';
import { readinessText, reasonText } from '../../client/i18n/describe.ts';
import { enReasons } from '../../client/i18n/reasons-en.ts';
import { viReasons } from '../../client/i18n/reasons-vi.ts';
import { connect, JoinRefused, type HubClient } from '../../scripts/lib/hub-client.ts';

import { openPage, waitPlaying } from '../helpers/browser.ts';
import { hubAndBrowser } from '../helpers/test-hub.ts';

const SHOTS = process.env['DIEMCAU_SHOTS'] ?? '/tmp/shots';
const CONFERENCE = 'dong-nai-tap-huan-bau-cu';
const CENTRE = 'tinh-dong-nai';
/** The point whose technician meets a refusal and a failed connection test. */
const POINT = 'xuan-loc';
const FULL_HD = { width: 1920, height: 1080 };
const LAPTOP = { width: 1366, height: 768 };

/** A connection test that fails on loss, bitrate, signalling and a silent microphone. */
const POOR_LINK: ReadinessMeasurement = {
  signallingRoundTripMs: 620,
  send: { bitrateKbps: 900, lossPercent: 7.2, jitterMs: 12, roundTripMs: 80 },
  receive: { bitrateKbps: 120.5, lossPercent: 0.4, jitterMs: 8, roundTripMs: 75 },
  microphoneLevelDb: -127,
};

let hub: Hub;
let url: string;
let browser: Browser;
let host: Page;
const pageErrors: string[] = [];
/** Every English line and reason the hub sent, to the pages or to this test's own sockets. */
const hubEnglish = new Set<string>();
const hubReasons = new Set<string>();

const credential = (pointId: string, role: Role): Promise<{ token: string; code: string }> =>
  hub.credentials.issue({ conferenceId: CONFERENCE, pointId, role }, 3600);

/** Walks a decoded frame (or wire error) and keeps every refusal's English message and reason. */
function collect(value: unknown): void {
  if (Array.isArray(value)) for (const item of value) collect(item);
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record['reason'] === 'string' && typeof record['message'] === 'string') {
      hubEnglish.add(record['message']);
      hubReasons.add(record['reason']);
    }
    for (const item of Object.values(record)) collect(item);
  }
}

/** Keeps the hub's refusals out of every socket.io frame the page receives from now on. */
function watchFrames(page: Page): void {
  page.on('websocket', (ws) =>
    ws.on('framereceived', ({ payload }) => {
      const text = typeof payload === 'string' ? payload : payload.toString('utf8');
      const start = text.search(/[[{]/);
      if (start < 0) return;
      try {
        collect(JSON.parse(text.slice(start)));
      } catch {
        // not JSON (pings, binary attachments)
      }
    }),
  );
}

async function open(label: string, path: string, viewport = LAPTOP): Promise<Page> {
  const page = await openPage(browser, `${url}${path}`, pageErrors, label, undefined, viewport);
  watchFrames(page);
  return page;
}

/** The join refusal a direct socket gets for `code`; its English line and reason are kept. */
async function refusedJoin(code: string): Promise<JoinRefused> {
  const error = await connect(url, { code }).then(
    (client) => {
      client.close();
      throw new Error(`the hub took ${code}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(JoinRefused);
  collect(error);
  return error as JoinRefused;
}

/** A request this test's own socket expects the hub to refuse, with `reason`. */
async function refused(reason: Reason, work: ReturnType<HubClient['request']>): Promise<void> {
  const result = await work;
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.reason).toBe(reason);
  collect(result.error);
}

/** What a person sees on the page: its text holds no English line of the hub, no reason code, no placeholder. */
async function expectOnlyOwnWords(page: Page): Promise<string> {
  const text = (await page.evaluate('document.body.innerText')) as string;
  expect(hubEnglish.size).toBeGreaterThan(0);
  for (const english of hubEnglish) expect(text, 'an English line of the hub is shown').not.toContain(english);
  for (const reason of [...Object.keys(REASONS), ...hubReasons]) expect(text, `reason ${reason} is shown`).not.toContain(reason);
  expect(text).not.toMatch(/\{\w+\}/);
  return text;
}

const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `${name}.png`) });

async function typeCode(page: Page, code: string): Promise<string> {
  await page.fill('input[name="code"]', code);
  await page.click('.join button[type="submit"]');
  const error = page.locator('.join .error');
  await error.waitFor({ timeout: 15_000 });
  return (await error.innerText()).trim();
}

hubAndBrowser((started) => ({ hub, url, browser } = started), [SHOTS]);

describe('the Vietnamese interface shows the hub’s refusals in its own words', () => {
  it('a technician code typed again after its first use', async () => {
    const { code } = await credential('long-khanh', 'technician');
    (await connect(url, { code })).close();
    expect((await refusedJoin(code)).reason).toBe('join.code_used');

    const page = await open('join-used', '/');
    const line = await typeCode(page, code);
    expect(line).toBe(`Không vào được hội nghị: ${viReasons['join.code_used']}`);
    // The reason stays readable for scripts, in an attribute no one sees.
    expect(await page.locator('.join .error').getAttribute('data-reason')).toBe('join.code_used');
    await expectOnlyOwnWords(page);
    await shot(page, 'join-code-used');
  }, 60_000);

  it('an unknown code, in Vietnamese and after a switch to English', async () => {
    expect((await refusedJoin('ZZZZ-ZZZZ')).reason).toBe('join.code_unknown');
    const page = await open('join-unknown', '/');
    const line = await typeCode(page, 'zzzz-zzzz');
    expect(line).toBe(`Không vào được hội nghị: ${viReasons['join.code_unknown']}`);
    await expectOnlyOwnWords(page);
    await shot(page, 'join-code-unknown');

    // The refusal follows a language switch, in the client's English, not the hub's.
    await page.click('.join .lang');
    await page.locator('.join .error').filter({ hasText: enReasons['join.code_unknown'] }).waitFor({ timeout: 5000 });
    await expectOnlyOwnWords(page);
    await shot(page, 'join-code-unknown-en');
    await page.click('.join .lang');
    await page.locator('.join .error').filter({ hasText: viReasons['join.code_unknown'] }).waitFor({ timeout: 5000 });
  }, 60_000);

  it('the host meets an open roll call (the button waits) and uploads a file the hub does not accept', async () => {
    // The same refusals made directly first: their English lines are what the page must not show.
    const direct = await connect(url, { token: (await credential(CENTRE, 'host')).token });
    expect((await direct.request('rollcall.start', { seconds: 600 })).ok).toBe(true);
    await refused('rollcall.open', direct.request('rollcall.start', { seconds: 60 }));
    direct.close();
    const hostToken = (await credential(CENTRE, 'host')).token;
    const form = new FormData();
    form.append('file', new Blob(['not a document'], { type: 'text/plain' }), 'ghi-chu.txt');
    const upload = await fetch(`${url}/api/conferences/${CONFERENCE}/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hostToken}` },
      body: form,
    });
    const answer = (await upload.json()) as { error: { reason: string; message: string } };
    expect(answer.error.reason).toBe('document.type');
    collect(answer.error);

    host = await open('host', `/?video=360#token=${hostToken}`, FULL_HD);
    await host.locator('.host-console').waitFor({ timeout: 20_000 });
    await waitPlaying(host, '.stage video[data-slot="main"]', CENTRE);
    await host.click('[data-tab="attendance"]');
    await host.locator('.roll-state').filter({ hasText: 'Đang điểm danh' }).waitFor({ timeout: 10_000 });
    // One roll call at a time: the console does not offer a second while this one is open.
    expect(await host.locator('[data-action="rollcall"]').isDisabled()).toBe(true);

    await host.click('[data-tab="documents"]');
    await host.setInputFiles('.doc-upload input[type="file"]', { name: 'ghi-chu.txt', mimeType: 'text/plain', buffer: Buffer.from('x') });
    await host.click('.doc-upload button[type="submit"]');
    const toast = host.locator('.toast-error[data-reason="document.type"]');
    await toast.waitFor({ timeout: 10_000 });
    expect(await toast.innerText()).toContain('Không thực hiện được');
    // The browser logs the refused upload's answer (400) itself: that one line is the refusal asked for here.
    const logged = pageErrors.findIndex((e) => e.startsWith('host console:') && e.includes('status of 400'));
    expect(logged).toBeGreaterThanOrEqual(0);
    pageErrors.splice(logged, 1);
    await expectOnlyOwnWords(host);
    await shot(host, 'host-console-refused');
  }, 60_000);

  it('a point’s failed connection test and a refused edit of a question the centre already took', async () => {
    // A poor link reported for the point before its technician opens the console: the hub's verdict.
    const tester = await connect(url, { token: (await credential(POINT, 'technician')).token });
    const verdict = await tester.call('readiness.report', POOR_LINK);
    expect(verdict.state).toBe('not_ready');
    tester.close();

    const point = await open('point', `/?video=360&code=${(await credential(POINT, 'technician')).code}`);
    await point.locator('.point-console').waitFor({ timeout: 20_000 });
    await point.click('[data-tab="test"]');
    const results = point.locator('.test-results[data-state="not_ready"]');
    await results.waitFor({ timeout: 10_000 });
    const shown = await results.innerText();
    expect(shown).toContain('Mất gói gửi: 7,2 % (tối đa 5 %)');
    expect(shown).toContain('Tốc độ nhận thấp: 120,5 kbit/s (tối thiểu 150 kbit/s)');
    for (const reason of verdict.reasons) expect(shown).toContain(readinessText(reason));
    await expectOnlyOwnWords(point);
    await shot(point, 'point-console-readiness');

    // The technician starts correcting a question; meanwhile the host accepts it; saving is refused.
    const question = 'Người ứng cử có được vận động bầu cử qua mạng xã hội không?';
    await point.click('[data-tab="questions"]');
    await point.fill('input[name="asker"]', 'Trần Thị Bích');
    await point.fill('textarea[name="text"]', question);
    await point.click('[data-action="submit-question"]');
    const mine = point.locator('.my-questions .question').filter({ hasText: question });
    await mine.locator('[data-action="edit"]').click();
    await host.click('[data-tab="questions"]');
    await host.locator('.questions .question').filter({ hasText: question }).locator('[data-action="accept"]').click();
    await point.locator('.my-questions .question[data-status="queued"]').filter({ hasText: question }).waitFor({ timeout: 10_000 });
    await point.fill('textarea[name="text"]', `${question} Xin cảm ơn.`);
    await point.click('[data-action="submit-question"]');
    const toast = point.locator('.toast-error[data-reason="question.moderated"]');
    await toast.waitFor({ timeout: 10_000 });
    const expected = reasonText('question.moderated', { status: 'queued' });
    expect(expected).toContain('“Chờ trả lời”');
    expect(await toast.innerText()).toBe(`Không thực hiện được: ${expected}`);
    expect(hubReasons).toContain('question.moderated');
    await expectOnlyOwnWords(point);
    await shot(point, 'point-console-refused');

    // The host's board shows the same reasons for that point.
    await host.click('[data-tab="attendance"]');
    const row = host.locator(`.board tr[data-point-id="${POINT}"]`);
    await row.locator('.ready-reason').first().waitFor({ timeout: 10_000 });
    expect(await row.innerText()).toContain('Mất gói gửi: 7,2 % (tối đa 5 %)');
    await expectOnlyOwnWords(host);
    await shot(host, 'host-console-readiness');
  }, 90_000);

  it('the room display, and no page failed', async () => {
    const display = await open('display', `/?code=${(await credential('bien-hoa', 'viewer')).code}`, FULL_HD);
    await display.locator('.banner').waitFor({ timeout: 20_000 });
    await expectOnlyOwnWords(display);
    await shot(display, 'room-display');
    // Refused actions are logged to the console on purpose ("action failed"); nothing else may fail.
    expect(pageErrors.filter((e) => !/console: action failed/.test(e))).toEqual([]);
  }, 60_000);
});
