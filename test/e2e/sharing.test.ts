// Screen sharing and the programme controls in Chromium on the Đồng Nai plan (issue #13), with a real hub: the
// host shares its screen from the console and a hall's display plays it, then stops it; a gain set on the
// slider is sent and still shown after a reload; the technician of the point holding the floor is refused
// while the host has not allowed sharing (the reason in Vietnamese), shares once allowed (the display and the
// host's panel show the point's screen), and its sharing stops by itself when the host takes the floor back;
// the host's stop ends a point's sharing; the layout buttons change the programme every display follows.
// Each step's time from the click to what it shows elsewhere is printed at the end.
// Chromium's fake capture (--use-fake-device-for-media-stream with --use-fake-ui-for-media-stream) answers
// getDisplayMedia headless with a 1280×720 "screen" and no picker, so no other flag is needed.
// With DIEMCAU_DOC_SHOTS=1: docs/screenshots/host-programme-1920.png and technician-sharing-1366.png.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../shared/domain.ts';
import type { Hub } from '../../server/hub.ts';
import { programmeWords } from '../../client/i18n/programme.ts';
import { viReasons } from '../../client/i18n/reasons-vi.ts';
import { openPage, waitPlaying } from '../helpers/browser.ts';
import { hubAndBrowser } from '../helpers/test-hub.ts';
import { waitFor } from '../helpers/wait.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = process.env['DIEMCAU_SHOTS'] ?? '/tmp/shots';
const FULL_HD = { width: 1920, height: 1080 };
const LAPTOP = { width: 1366, height: 768 };
const vi = programmeWords.vi;

const CONFERENCE = 'dong-nai-tap-huan-bau-cu';
const CENTRE = 'tinh-dong-nai';
const SPEAKER = 'cam-my';
const SPEAKER_NAME = 'Điểm cầu huyện Cẩm Mỹ';
const HALL = 'xuan-loc';
const SCREEN = '.stage video[data-source="screen"]';

let hub: Hub;
let url: string;
let browser: Browser;

hubAndBrowser((started) => ({ hub, url, browser } = started), [SHOTS]);

describe('screen sharing and the programme controls in the browser', () => {
  let host: Page;
  let point: Page;
  let display: Page;
  const pageErrors: string[] = [];
  const credential = (pointId: string, role: Role): Promise<{ token: string; code: string }> =>
    hub.credentials.issue({ conferenceId: CONFERENCE, pointId, role }, 3600);
  const open = (label: string, path: string, viewport: { width: number; height: number }): Promise<Page> =>
    openPage(browser, `${url}${path}`, pageErrors, label, undefined, viewport);
  const programme = () => hub.conferences.get(CONFERENCE)?.view().programme;
  const shareButton = (): ReturnType<Page['locator']> => point.locator('.point-share .share-button');
  const hostShare = (): ReturnType<Page['locator']> => host.locator('.programme-panel .share-button');
  /** How long each step took, from the click to what it shows elsewhere (printed at the end). */
  const took: Array<[string, number]> = [];
  const timed = async (what: string, work: () => Promise<unknown>): Promise<void> => {
    const start = Date.now();
    await work();
    took.push([what, Date.now() - start]);
  };

  it('the host shares its screen from the console: a hall plays it, and it is gone when the host stops', async () => {
    host = await open('host', `/?video=360#token=${(await credential(CENTRE, 'host')).token}`, FULL_HD);
    await host.locator('.programme-panel').waitFor({ timeout: 20_000 });
    await host.click('[data-action="start"]');
    await host.locator('.badge.status[data-status="live"]').waitFor({ timeout: 10_000 });
    display = await open('display', `/?code=${(await credential(HALL, 'viewer')).code}`, FULL_HD);
    // The hall shows the centre before anything is shared.
    await waitPlaying(display, '.stage video[data-slot="main"]', CENTRE);

    expect(await host.locator('.programme-panel .shared-text').innerText()).toBe(vi['programme.nothingShared']);
    await timed('host share → the hall plays it', async () => {
      await hostShare().click();
      await waitPlaying(display, SCREEN, CENTRE);
    });
    // Who shares, with the one stop (the share button itself steps aside meanwhile).
    await hostShare().waitFor({ state: 'hidden', timeout: 15_000 });
    const who = host.locator('.programme-panel .shared-text');
    expect(await who.innerText()).toBe(vi['programme.sharedBy'].replace('{name}', 'Điểm cầu tỉnh Đồng Nai (máy này)'));

    await timed('host stop → gone from the hall', async () => {
      await host.click('.programme-panel [data-action="stop-all"]');
      await expectNoScreen(display);
    });
    await host.locator('.programme-panel .share-button[data-sharing="false"]').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await hostShare().innerText()).toBe(vi['programme.shareHere']);
    expect(await who.innerText()).toBe(vi['programme.nothingShared']);
  }, 120_000);

  it('a gain set on the slider goes to the hub and is shown after a reload', async () => {
    await host.click('[data-tab="gains"]');
    const rows = host.locator('.gain-row');
    expect(await rows.count()).toBe(12);
    expect(await rows.first().getAttribute('data-point-id')).toBe(CENTRE);
    const slider = host.locator(`.gain-row[data-point-id="${SPEAKER}"] input[type="range"]`);
    await slider.focus();
    for (let i = 0; i < 3; i++) await host.keyboard.press('ArrowRight');
    await waitFor(() => programme()?.gains[SPEAKER] === 3, 'the gain at the hub', 10_000);
    await host.locator(`.gain-row[data-point-id="${SPEAKER}"][data-gain="3"] .gain-value`).filter({ hasText: '+3 dB' }).waitFor();
    // Search without the marks finds the point; the filter keeps the changed ones.
    await host.fill('input[name="gain-search"]', 'cam my');
    expect(await host.locator('.gain-row:not([hidden])').count()).toBe(1);
    await host.fill('input[name="gain-search"]', '');
    await host.selectOption('select[name="gain-filter"]', 'changed');
    expect(await host.locator('.gain-row:not([hidden])').count()).toBe(1);
    await host.selectOption('select[name="gain-filter"]', 'all');

    await host.reload();
    await host.locator('.programme-panel').waitFor({ timeout: 20_000 });
    await host.click('[data-tab="gains"]');
    const value = host.locator(`.gain-row[data-point-id="${SPEAKER}"] .gain-value`);
    await value.filter({ hasText: '+3 dB' }).waitFor({ timeout: 10_000 });
    expect(await slider.inputValue()).toBe('3');
  }, 120_000);

  it('the speaking point is refused until the host allows it, then shares; taking the floor back stops it', async () => {
    point = await open('technician', `/?video=360&code=${(await credential(SPEAKER, 'technician')).code}`, LAPTOP);
    await point.locator('.point-console').waitFor({ timeout: 20_000 });
    await point.click('[data-tab="floor"]');
    // Off the floor: offered with why not.
    const hint = point.locator('.point-share .share-hint');
    await point.locator('.point-share .share-hint[data-reason="media.screen_not_on_floor"]').waitFor({ timeout: 10_000 });
    expect(await hint.innerText()).toBe(viReasons['media.screen_not_on_floor']);
    expect(await shareButton().isDisabled()).toBe(true);
    await point.screenshot({ path: join(SHOTS, 'sharing-technician-off-floor-1366.png') });

    await point.click('[data-action="ask"]');
    await host.click(`.floor-request[data-point-id="${SPEAKER}"] [data-action="grant"]`);
    await point.locator('.point-floor[data-state="on-air"]').waitFor({ timeout: 10_000 });
    await point.locator('.point-share .share-hint[data-reason="media.screen_sharing_off"]').waitFor({ timeout: 10_000 });
    expect(await hint.innerText()).toBe(viReasons['media.screen_sharing_off']);
    expect(await shareButton().isDisabled()).toBe(true);
    // The hub has the last word: a share that reaches it anyway is refused, and the refusal reads in Vietnamese.
    await point.evaluate("document.querySelector('.point-share .share-button').disabled = false");
    await shareButton().click();
    const refusal = point.locator('.toast-error[data-reason="media.screen_sharing_off"]');
    await refusal.waitFor({ timeout: 15_000 });
    expect(await refusal.innerText()).toContain(viReasons['media.screen_sharing_off']);
    expect(await shareButton().getAttribute('data-sharing')).toBe('false');
    await expectNoScreen(display);

    // The host allows it: the technician shares, the hall and the host's panel show the point's screen.
    await host.check('input[name="allow-sharing"]');
    await waitFor(() => programme()?.pointSharing === true, 'sharing allowed at the hub');
    await point.locator('.point-share[data-state="ready"]').waitFor({ timeout: 10_000 });
    expect(await hint.innerText()).toBe(vi['share.may']);
    await timed('point share → the hall plays it', async () => {
      await shareButton().click();
      await waitPlaying(display, SCREEN, SPEAKER);
    });
    await point.locator('.point-share[data-state="sharing"]').waitFor({ timeout: 15_000 });
    expect(await shareButton().innerText()).toBe(vi['share.stop']);
    expect(await hint.innerText()).toBe(vi['share.on']);
    await waitPlaying(host, `.programme-panel .shared-thumb[data-point-id="${SPEAKER}"]`, SPEAKER);
    expect(await host.locator('.programme-panel .shared-text').innerText()).toBe(vi['programme.sharedBy'].replace('{name}', SPEAKER_NAME));
    if (process.env['DIEMCAU_DOC_SHOTS']) {
      await point.screenshot({ path: join(ROOT, 'docs/screenshots/technician-sharing-1366.png') });
    }
    await point.screenshot({ path: join(SHOTS, 'sharing-technician-1366.png') });
    // The host while the point shares: who shares with its thumbnail, the gains beside (one set to +3 dB).
    if (process.env['DIEMCAU_DOC_SHOTS']) {
      await host.screenshot({ path: join(ROOT, 'docs/screenshots/host-programme-1920.png') });
    }
    await host.screenshot({ path: join(SHOTS, 'sharing-host-programme-1920.png') });
    await host.setViewportSize(LAPTOP);
    await host.screenshot({ path: join(SHOTS, 'sharing-host-programme-1366.png') });
    await host.locator('.programme-panel').scrollIntoViewIfNeeded();
    await host.screenshot({ path: join(SHOTS, 'sharing-host-programme-left-1366.png') });
    await host.setViewportSize(FULL_HD);

    // The host takes the floor back: the hub closes the point's screen, its button is "Share" again.
    await timed('floor taken back → the point stops sharing', async () => {
      await host.click('[data-action="revoke"]');
      await point.locator('.point-share .share-button[data-sharing="false"]').waitFor({ timeout: 15_000 });
    });
    await point.locator('.toast').filter({ hasText: vi['share.stopped'] }).waitFor({ timeout: 10_000 });
    expect(await shareButton().innerText()).toBe(vi['share.start']);
    await expectNoScreen(display);
  }, 120_000);

  it('the host’s stop ends a point’s sharing', async () => {
    await point.click('[data-action="ask"]');
    await host.click(`.floor-request[data-point-id="${SPEAKER}"] [data-action="grant"]`);
    await point.locator('.point-share[data-state="ready"]').waitFor({ timeout: 10_000 });
    await shareButton().click();
    await point.locator('.point-share[data-state="sharing"]').waitFor({ timeout: 15_000 });
    await waitPlaying(display, SCREEN, SPEAKER);
    await timed('host stop → the point stops sharing', async () => {
      await host.locator('.programme-panel [data-action="stop-all"]').click();
      await point.locator('.point-share .share-button[data-sharing="false"]').waitFor({ timeout: 15_000 });
    });
    await expectNoScreen(display);
    // Still on the floor and still allowed: it may share again.
    await point.locator('.point-share[data-state="ready"]').waitFor({ timeout: 10_000 });
    expect(await point.locator('.point-floor').getAttribute('data-state')).toBe('on-air');
  }, 120_000);

  it('the layout buttons change the programme every display follows; a gain goes back to 0 dB', async () => {
    for (const layout of ['centre', 'side_by_side', 'banner', 'auto'] as const) {
      await host.click(`.layout-button[data-layout="${layout}"]`);
      await waitFor(() => programme()?.layout === layout, `the layout ${layout} at the hub`, 10_000);
      await host.locator(`.layout-button[data-layout="${layout}"][aria-pressed="true"]`).waitFor({ timeout: 5000 });
      // The display marks the layout it shows once its stage supports layouts.
      if ((await display.locator('.stage[data-layout]').count()) > 0) {
        await display.locator(`.stage[data-layout="${layout}"]`).waitFor({ timeout: 10_000 });
      }
    }
    // The banner's message: typed under the banner layout and shown on Enter.
    await host.click('.layout-button[data-layout="banner"]');
    await host.fill('input[name="banner-message"]', 'Hội nghị tiếp tục lúc 14 giờ 00');
    await host.press('input[name="banner-message"]', 'Enter');
    await waitFor(() => programme()?.message === 'Hội nghị tiếp tục lúc 14 giờ 00', 'the message at the hub', 10_000);
    await host.click('.layout-button[data-layout="auto"]');
    await waitFor(() => programme()?.layout === 'auto', 'back to automatic', 10_000);
    // A gain back to 0 dB.
    await host.click(`.gain-row[data-point-id="${SPEAKER}"] [data-action="reset-gain"]`);
    await waitFor(() => programme()?.gains[SPEAKER] === undefined, 'the gain back to 0 dB', 10_000);
    expect(pageErrors.filter((e) => !e.includes('action failed'))).toEqual([]);
    console.log(took.map(([what, ms]) => `${what}: ${ms} ms`).join('\n'));
  }, 120_000);
});

/** No screen plays on `page`'s stage (the element gone, or hidden with its source cleared). */
async function expectNoScreen(page: Page): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const playing = (await page.evaluate(
      `[...document.querySelectorAll(${JSON.stringify(SCREEN)})].filter((v) => !v.hidden && v.srcObject).length`,
    )) as number;
    if (playing === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('a screen still plays on the stage');
}
