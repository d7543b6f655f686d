// The floor and question flows closed and the rehearsal, in Chromium on both seed plans (Đồng Nai: province + 11
// districts; MTTQ: centre, two central-side points, 63 provinces; one hub and one browser for both): a technician
// asks for the floor during the rehearsal; the host's queue offers no grant to a point that has dropped and says
// why; the host's "video off" on the speaking point puts its name card on the room display instead of a frozen
// frame; going live clears the rehearsal's queue and question (the point reads why). Screenshots at 1920×1080
// (host, hall) and 1366×768 (technician) go to /tmp/shots/ (or DIEMCAU_SHOTS).
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../shared/domain.ts';
import type { Hub } from '../../server/hub.ts';
import { flowsWords } from '../../client/i18n/flows.ts';
import { connect, must } from '../../scripts/lib/hub-client.ts';
import { openPage, waitPlaying } from '../helpers/browser.ts';
import { hubAndBrowser } from '../helpers/test-hub.ts';
import { waitFor } from '../helpers/wait.ts';

const SHOTS = process.env['DIEMCAU_SHOTS'] ?? '/tmp/shots';
const FULL_HD = { width: 1920, height: 1080 };
const LAPTOP = { width: 1366, height: 768 };
const vi = flowsWords.vi;

const PLANS = [
  {
    plan: 'Đồng Nai',
    slug: 'dong-nai',
    conference: 'dong-nai-tap-huan-bau-cu',
    centre: 'tinh-dong-nai',
    speaker: 'bien-hoa',
    speakerName: 'Điểm cầu thành phố Biên Hòa',
    asker: 'Tổ thư ký Biên Hòa',
    dropped: 'tan-phu',
    hall: 'long-khanh',
  },
  {
    plan: 'MTTQ',
    slug: 'mttq',
    conference: 'mttq-giam-sat-bau-cu-dot-1',
    centre: 'trung-uong',
    speaker: 'ha-noi',
    speakerName: 'Ủy ban MTTQ Việt Nam thành phố Hà Nội',
    asker: 'Tổ thư ký Hà Nội',
    dropped: 'cao-bang',
    hall: 'an-giang',
  },
] as const;

let hub: Hub;
let url: string;
let browser: Browser;

hubAndBrowser((started) => ({ hub, url, browser } = started), [SHOTS]);

describe.each(PLANS)('rehearsal, floor and questions in the browser: $plan', (plan) => {
  const { slug, conference: CONFERENCE, centre: CENTRE, speaker: SPEAKER, dropped: DROPPED, hall: HALL } = plan;
  let host: Page;
  let point: Page;
  let display: Page;
  const pageErrors: string[] = [];
  const credential = (pointId: string, role: Role): Promise<{ token: string; code: string }> =>
    hub.credentials.issue({ conferenceId: CONFERENCE, pointId, role }, 3600);
  const open = (label: string, path: string, viewport: { width: number; height: number }): Promise<Page> =>
    openPage(browser, `${url}${path}`, pageErrors, label, undefined, viewport);
  const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `${name}-${slug}.png`) });

  it('in rehearsal a technician asks for the floor; the queue offers no grant to a dropped point', async () => {
    host = await open('host', `/?video=360#token=${(await credential(CENTRE, 'host')).token}`, FULL_HD);
    await host.locator('.host-console').waitFor({ timeout: 20_000 });
    await host.click('[data-action="rehearse"]');
    await host.locator('.badge.status[data-status="rehearsal"]').waitFor({ timeout: 10_000 });

    point = await open('technician', `/?video=360&code=${(await credential(SPEAKER, 'technician')).code}`, LAPTOP);
    await point.locator('.point-console').waitFor({ timeout: 20_000 });
    await point.click('[data-tab="floor"]');
    const ask = point.locator('[data-action="ask"]');
    await ask.waitFor({ timeout: 20_000 });
    await point.locator('.floor-hint[data-status="rehearsal"]').filter({ hasText: vi['flows.rehearsal'] }).waitFor({ timeout: 10_000 });
    expect(await ask.isDisabled()).toBe(false);
    await ask.click();
    await host.locator(`.floor-request[data-point-id="${SPEAKER}"]`).waitFor({ timeout: 10_000 });

    // A point that asks and then drops: its request stays, with no grant offered and the reason in words.
    const dropped = await connect(url, { token: (await credential(DROPPED, 'technician')).token });
    await must(dropped.request('floor.request', { note: 'Hỏi về tổ bầu cử' }));
    dropped.close();
    const grant = host.locator(`.floor-request[data-point-id="${DROPPED}"] [data-action="grant"]`);
    await host
      .locator(`.floor-request[data-point-id="${DROPPED}"] .offline`)
      .filter({ hasText: vi['flows.offline'] })
      .waitFor({ timeout: 10_000 });
    expect(await grant.isDisabled()).toBe(true);
    expect(await host.locator(`.floor-request[data-point-id="${SPEAKER}"] [data-action="grant"]`).isDisabled()).toBe(false);
    await shot(host, 'flows-host-queue-offline');
    await shot(point, 'flows-point-rehearsal-1366');
  }, 90_000);

  it('the host turns the speaker’s video off: the hall sees its name card, not a frozen frame', async () => {
    display = await open('display', `/?code=${(await credential(HALL, 'viewer')).code}`, FULL_HD);
    await host.click(`.floor-request[data-point-id="${SPEAKER}"] [data-action="grant"]`);
    await waitPlaying(display, '.stage video[data-slot="main"]', SPEAKER);
    await host.locator(`.tile[data-point-id="${SPEAKER}"] [data-action="mute-video"]`).dispatchEvent('click');
    const card = display.locator(`.name-card[data-point-id="${SPEAKER}"]`);
    await card.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await card.innerText()).toContain(plan.speakerName);
    expect(await card.innerText()).toContain(vi['flows.nameCard']);
    expect(await display.locator('.stage video[data-slot="main"]').isHidden()).toBe(true);
    await display.locator('.lower-third').waitFor({ state: 'visible', timeout: 5000 });
    await shot(display, 'flows-display-name-card');
    await shot(host, 'flows-host-name-card');
    // The technician's laptop on air, and the host console at 1366×768: the on-air label and time on one line.
    await point.click('[data-tab="floor"]');
    const onAir = point.locator('.on-air');
    await onAir.waitFor({ state: 'visible', timeout: 10_000 });
    // The time left stays on one line (its box is less than two font sizes high).
    const [height, fontSize] = (await point.evaluate(
      "(() => { const t = document.querySelector('.on-air-time'); " +
        'return [t.getBoundingClientRect().height, parseFloat(getComputedStyle(t).fontSize)]; })()',
    )) as [number, number];
    expect(height).toBeGreaterThan(0);
    expect(height).toBeLessThan(fontSize * 2);
    await shot(point, 'flows-point-on-air-1366');
    await host.setViewportSize(LAPTOP);
    await shot(host, 'flows-host-1366');
    await host.setViewportSize(FULL_HD);
  }, 90_000);

  it('going live clears the rehearsal: the queue empties and the point reads why its question was set aside', async () => {
    await point.click('[data-tab="questions"]');
    await point.fill('input[name="asker"]', plan.asker);
    await point.fill('input[name="unit"]', 'Ủy ban bầu cử phường');
    await point.fill('textarea[name="text"]', 'Câu hỏi thử trong buổi tổng duyệt?');
    await point.click('[data-action="submit-question"]');
    // The form keeps the asker and unit for the next question.
    await point.locator('.my-questions .question').first().waitFor({ timeout: 10_000 });
    expect(await point.inputValue('input[name="asker"]')).toBe(plan.asker);
    expect(await point.inputValue('input[name="unit"]')).toBe('Ủy ban bầu cử phường');

    await host.click('[data-action="start"]');
    await host.locator('.badge.status[data-status="live"]').waitFor({ timeout: 10_000 });
    await waitFor(() => hub.conferences.get(CONFERENCE)?.view().floor.queue.length === 0, 'the queue set aside');
    await host.locator('.floor-request').first().waitFor({ state: 'detached', timeout: 10_000 });
    await point.click('[data-tab="questions"]');
    const why = point.locator('.my-questions .question[data-status="dismissed"] .q-answer[data-reason="rehearsal"]');
    await why.waitFor({ timeout: 10_000 });
    expect(await why.innerText()).toBe(vi['flows.rehearsalDismissed']);
    await shot(point, 'flows-point-live-1366');
    expect(pageErrors).toEqual([]);
    // This plan's pages go, so the next plan's run has the machine to itself.
    for (const page of [host, point, display]) await page.context().close();
  }, 90_000);
});
