// The layouts the host chooses, in Chromium with a real hub on the Đồng Nai plan (issue #13): the host live
// with a district on the floor (a technician's Chromium with the fake camera), three room displays at
// 1920×1080. For each layout the host sets (from its own socket in the console's page), every display shows it
// (data-layout, which picture is main and which beside / inset, the banner with the message) within 300 ms of
// the request's answer, measured on the displays' own clocks and printed; the host's stage preview shows the
// same; a display that reloads comes back in the chosen layout; slides from the host's shared screen (the
// fake capture); gains the host sets reach each display's Web Audio gain node, with real sound flowing.
// With DIEMCAU_DOC_SHOTS=1 the display in each layout goes to docs/screenshots/layout-<name>-1920.png; every
// run writes them to /tmp/shots (or DIEMCAU_SHOTS).
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../shared/domain.ts';
import type { Layout } from '../../shared/programme.ts';
import type { Hub } from '../../server/hub.ts';
import { openPage, waitPlaying } from '../helpers/browser.ts';
import { STAGE_STATE, type StageState, stageMatches, WATCH_STAGE } from '../helpers/stage-state.ts';
import { hubAndBrowser } from '../helpers/test-hub.ts';
import { sleep, waitFor } from '../helpers/wait.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = process.env['DIEMCAU_SHOTS'] ?? '/tmp/shots';
const FULL_HD = { width: 1920, height: 1080 };
const CONFERENCE = 'dong-nai-tap-huan-bau-cu';
const CENTRE = 'tinh-dong-nai';
const SPEAKER = 'xuan-loc';
/** The next speaker, queued while SPEAKER speaks (so the displays hold its picture on standby). */
const NEXT = 'dinh-quan';
const HALLS = ['cam-my', 'long-khanh', 'bien-hoa'] as const;
const MAIN = '.stage video[data-slot="main"]';
/** Every display shows a layout this soon after the host's request is answered. */
const BUDGET_MS = 300;
/**
 * The bound checked: the budget, or on a machine already busier than twice its cores when the file starts
 * (other browser tests running at the same time) a looser one, so that the run stays a check of behaviour;
 * the figures are printed either way.
 */
const busyBefore = (loadavg()[0] ?? 0) > cpus().length * 2;
const bound = (): { ms: number; loaded: boolean } => ({ ms: busyBefore ? 1000 : BUDGET_MS, loaded: busyBefore });
const MESSAGE = 'Tạm nghỉ giải lao 15 phút — hội nghị tiếp tục lúc 10 giờ 30';

let hub: Hub;
let url: string;
let browser: Browser;

hubAndBrowser((started) => ({ hub, url, browser } = started), [SHOTS]);

/** Records the page's WebSockets, so the test can send the host's requests on the console's own connection. */
const RECORD_SOCKETS = `(() => {
  const Original = window.WebSocket;
  const sockets = [];
  window.__sockets = sockets;
  window.WebSocket = class extends Original { constructor(...args) { super(...args); sockets.push(this); } };
})()`;

/**
 * The host's "screen" is a slide drawn on a canvas (getDisplayMedia answered with its stream), so the slides
 * layout shows a slide as a hall would; Chromium's own fake capture (a green test pattern) is what
 * test/e2e/sharing.test.ts shares.
 */
const SLIDE_SCREEN = `(() => {
  const lines = [
    'Kiểm tra hòm phiếu trước khi bỏ phiếu, có sự chứng kiến của cử tri',
    'Cử tri xuất trình thẻ cử tri, nhận phiếu bầu',
    'Bỏ phiếu kín; tổ bầu cử không được gợi ý, vận động',
    'Kết thúc bỏ phiếu lúc 19 giờ; kiểm phiếu ngay tại phòng bỏ phiếu',
  ];
  const canvas = document.createElement('canvas');
  canvas.width = 1280;
  canvas.height = 720;
  const g = canvas.getContext('2d');
  let tick = 0;
  const draw = () => {
    g.fillStyle = '#ffffff';
    g.fillRect(0, 0, 1280, 720);
    g.fillStyle = '#c8102e';
    g.fillRect(0, 0, 1280, 120);
    g.fillStyle = '#ffffff';
    g.font = 'bold 50px sans-serif';
    g.fillText('Quy trình bỏ phiếu trong ngày bầu cử', 60, 80);
    g.fillStyle = '#1d2433';
    g.font = '36px sans-serif';
    lines.forEach((line, i) => g.fillText('•  ' + line, 70, 215 + i * 95));
    g.fillStyle = '#7a8394';
    g.font = '26px sans-serif';
    g.fillText('Ủy ban bầu cử tỉnh Đồng Nai', 60, 680);
    g.fillText('3/12' + (tick++ % 2 ? ' ' : ''), 1150, 680);
  };
  draw();
  setInterval(draw, 200);
  navigator.mediaDevices.getDisplayMedia = async () => canvas.captureStream(5);
})()`;

/**
 * Sends one socket.io request on the console's open connection (an event with an acknowledgement id the
 * client never uses) and resolves with the answer and when it came (epoch ms).
 */
const REQUEST = (name: string, params: unknown): string => `(async () => {
  const ws = window.__sockets.filter((s) => s.readyState === 1).pop();
  const id = 900000 + (window.__requestId = (window.__requestId || 0) + 1);
  return await new Promise((resolve, reject) => {
    const onMessage = (event) => {
      if (typeof event.data !== 'string' || !event.data.startsWith('43' + id + '[')) return;
      ws.removeEventListener('message', onMessage);
      resolve({ sentAt, answeredAt: Date.now(), answer: JSON.parse(event.data.slice(2 + String(id).length))[0] });
    };
    ws.addEventListener('message', onMessage);
    const sentAt = Date.now();
    ws.send('42' + id + JSON.stringify([${JSON.stringify(name)}, ${JSON.stringify(params)}]));
    setTimeout(() => reject(new Error('no answer to ${name}')), 10000);
  });
})()`;

/**
 * Samples the stage on every animation frame for `ms`: whether the banner covers it, whether the main video
 * is hidden, whose picture it shows and its mean luma (a 32×18 copy of the visible frame, or of the still over
 * it; -1 with no frame).
 */
const SAMPLE_STAGE = (ms: number): string => `(() => new Promise((resolve) => {
  const canvas = document.createElement('canvas');
  canvas.width = 32;
  canvas.height = 18;
  const g = canvas.getContext('2d', { willReadFrequently: true });
  const samples = [];
  const end = performance.now() + ${ms};
  const step = () => {
    const stage = document.querySelector('.stage');
    const video = stage.querySelector('video[data-slot="main"]');
    const still = stage.querySelector('.tv-main canvas.tv-still:not([hidden])');
    let luma = -1;
    if (still || (video && !video.hidden && video.videoWidth > 0)) {
      g.drawImage(still || video, 0, 0, 32, 18);
      const d = g.getImageData(0, 0, 32, 18).data;
      let sum = 0;
      for (let i = 0; i < d.length; i += 4) sum += 0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2];
      luma = sum / (d.length / 4);
    }
    const banner = !stage.querySelector('.tv-banner').hidden;
    const pointId = video ? video.dataset.pointId : '';
    const loading = !!stage.querySelector('video[data-slot="main-next"]:not([hidden])');
    samples.push({ at: Date.now(), banner, hidden: !video || video.hidden, pointId, luma, still: !!still, loading });
    if (performance.now() < end) requestAnimationFrame(step);
    else resolve(samples);
  };
  requestAnimationFrame(step);
}))()`;

interface Sample {
  at: number;
  banner: boolean;
  hidden: boolean;
  pointId: string;
  luma: number;
  /** The picture's last still stood in for it (its track ended before the next picture had a frame). */
  still: boolean;
  /** The next picture was loading behind the visible one. */
  loading: boolean;
}

const state = async (page: Page): Promise<StageState> => (await page.evaluate(STAGE_STATE)) as StageState;

describe('layouts chosen by the host, on every display and the host’s preview', () => {
  let host: Page;
  let technician: Page;
  const displays: Page[] = [];
  const pageErrors: string[] = [];
  /** Per layout switch and display: when it showed the layout (its pictures, its banner), after the answer and after sending. */
  const figures: Array<{ layout: string; afterAnswerMs: number[]; afterSendMs: number[]; loaded: boolean }> = [];
  const credential = (pointId: string, role: Role): Promise<{ token: string; code: string }> =>
    hub.credentials.issue({ conferenceId: CONFERENCE, pointId, role }, 3600);
  const open = (label: string, path: string): Promise<Page> => openPage(browser, `${url}${path}`, pageErrors, label, undefined, FULL_HD);
  type Answer = { sentAt: number; answeredAt: number; answer: { ok: boolean } };
  const request = async (name: string, params: unknown): Promise<Answer> => {
    const result = (await host.evaluate(REQUEST(name, params))) as Answer;
    expect(result.answer, `${name} ${JSON.stringify(result.answer)}`).toMatchObject({ ok: true });
    return result;
  };
  const shot = async (page: Page, name: string): Promise<void> => {
    await page.waitForTimeout(400); // fonts and the picture settle
    await page.screenshot({ path: join(SHOTS, `layout-${name}-1920.png`) });
    if (process.env['DIEMCAU_DOC_SHOTS']) await page.screenshot({ path: join(ROOT, `docs/screenshots/layout-${name}-1920.png`) });
  };

  /**
   * Sets `layout` and waits until every display shows `want`; returns when each display's stage changed its
   * layout and when its main picture was the one wanted, after the answer (ms; negative: before it).
   */
  async function setLayout(layout: Layout, want: Partial<StageState>, message?: string): Promise<void> {
    for (const page of displays) await page.evaluate('window.__stageLog.length = 0');
    const { sentAt, answeredAt } = await request('programme.setLayout', message === undefined ? { layout } : { layout, message });
    const afterAnswerMs: number[] = [];
    const afterSendMs: number[] = [];
    for (const page of displays) {
      const deadline = Date.now() + 10_000;
      let final: StageState | undefined;
      while (Date.now() < deadline) {
        final = await state(page);
        if (stageMatches(final, want)) break;
        await sleep(50);
      }
      expect(final, `display in ${layout}`).toMatchObject(want);
      const log = (await page.evaluate('window.__stageLog')) as Array<{ at: number; state: StageState }>;
      const shownAt = log.find((e) => stageMatches(e.state, want))?.at ?? Date.now();
      afterAnswerMs.push(shownAt - answeredAt);
      afterSendMs.push(shownAt - sentAt);
    }
    const { ms: limit, loaded } = bound();
    figures.push({ layout, afterAnswerMs, afterSendMs, loaded });
    for (const ms of afterAnswerMs) expect(ms, `${layout}: ${afterAnswerMs.join(', ')} ms`).toBeLessThanOrEqual(limit);
    // The host's preview is drawn by the same code: the same layout, pictures and banner.
    const preview = await state(host);
    expect(preview).toMatchObject(want);
  }

  it('the host goes live with a district on the floor; three halls show the speaker with the centre beside', async () => {
    const hostToken = (await credential(CENTRE, 'host')).token;
    const context = await browser.newContext({ viewport: FULL_HD, permissions: ['camera', 'microphone'] });
    await context.addInitScript(RECORD_SOCKETS);
    await context.addInitScript(SLIDE_SCREEN);
    host = await context.newPage();
    host.on('pageerror', (error) => pageErrors.push(`host: ${error.message}`));
    await host.goto(`${url}/?video=360#token=${hostToken}`);
    await host.locator('.host-console').waitFor({ timeout: 20_000 });
    for (const hall of HALLS) displays.push(await open(`display ${hall}`, `/?code=${(await credential(hall, 'viewer')).code}`));
    // Before the start: the banner in every hall, and in the host's preview.
    for (const page of [...displays, host]) await page.locator('.stage .banner').waitFor({ state: 'visible', timeout: 20_000 });
    expect(await state(host)).toMatchObject({ layout: 'auto', shown: 'banner', banner: true });

    await request('conference.setStatus', { status: 'live' });
    for (const page of displays) await waitPlaying(page, MAIN, CENTRE);
    technician = await open('technician', `/?video=360&code=${(await credential(SPEAKER, 'technician')).code}`);
    await technician.locator('.point-console').waitFor({ timeout: 20_000 });
    await waitFor(
      () =>
        hub.conferences
          .get(CONFERENCE)
          ?.view()
          .points.find((p) => p.id === SPEAKER)?.connection === 'connected',
      'on',
    );
    await request('floor.grant', { pointId: SPEAKER, seconds: 600 });
    await request('agenda.goto', { itemId: 'trong-ngay-bau-cu' });
    for (const page of displays) {
      await waitPlaying(page, MAIN, SPEAKER);
      await waitPlaying(page, '.stage video[data-slot="side"]', CENTRE);
      await page.evaluate(WATCH_STAGE);
    }
    await waitPlaying(host, MAIN, SPEAKER);
    const want = { layout: 'auto', shown: 'speaker', arrangement: 'beside', main: `${SPEAKER}/camera`, second: `${CENTRE}/camera` };
    for (const page of [...displays, host]) expect(await state(page)).toMatchObject({ ...want, banner: false });
    await displays[0]?.locator('.lower-third').waitFor({ state: 'visible' });
    await shot(displays[0] as Page, 'auto');
  }, 180_000);

  it('each layout reaches every display within 300 ms of the answer, and the host’s preview shows the same', async () => {
    const speaker = `${SPEAKER}/camera`;
    const centre = `${CENTRE}/camera`;
    await setLayout('centre', { layout: 'centre', shown: 'centre', arrangement: 'single', main: centre, second: '', banner: false });
    expect(await displays[0]?.locator('.lower-third').isHidden()).toBe(true);
    await shot(displays[0] as Page, 'centre');
    await setLayout('speaker', { layout: 'speaker', shown: 'speaker', arrangement: 'single', main: speaker, second: '', banner: false });
    await shot(displays[0] as Page, 'speaker');
    await setLayout('side_by_side', { layout: 'side_by_side', shown: 'side_by_side', arrangement: 'split', main: speaker, second: centre });
    await shot(displays[0] as Page, 'side_by_side');
    // Slides with nothing shared: the automatic layout.
    await setLayout('slides', { layout: 'slides', shown: 'speaker', arrangement: 'beside', main: speaker, second: centre });
    await setLayout('banner', { layout: 'banner', shown: 'banner', banner: true, message: MESSAGE }, MESSAGE);
    expect(await displays[0]?.locator('.lower-third').isHidden()).toBe(true);
    await shot(displays[0] as Page, 'banner');
    await setLayout('auto', { layout: 'auto', shown: 'speaker', arrangement: 'beside', main: speaker, second: centre, banner: false });
  }, 120_000);

  it('slides: the host shares its screen; slides large with the speaker beside them', async () => {
    await setLayout('slides', { layout: 'slides', shown: 'speaker', main: `${SPEAKER}/camera` });
    await host.locator('.programme-panel .share-button').click();
    await host.locator('.programme-panel[data-shared="true"]').waitFor({ timeout: 15_000 });
    const want = { layout: 'slides', shown: 'slides', arrangement: 'inset', main: `${CENTRE}/screen`, second: `${SPEAKER}/camera` };
    for (const page of displays) {
      await waitPlaying(page, MAIN, CENTRE);
      expect(await state(page)).toMatchObject(want);
    }
    expect(await state(host)).toMatchObject(want);
    await shot(displays[0] as Page, 'slides');
    await host.screenshot({ path: join(SHOTS, 'layout-host-slides-1920.png') });
    // Automatic while something is shared: the same.
    await setLayout('auto', { ...want, layout: 'auto' });
    await setLayout('centre', { layout: 'centre', shown: 'centre', main: `${CENTRE}/camera`, second: '' });
  }, 120_000);

  it('a display that reloads shows the chosen layout', async () => {
    await setLayout('side_by_side', { layout: 'side_by_side', shown: 'side_by_side', arrangement: 'split' });
    const page = displays[1] as Page;
    await page.reload();
    await waitPlaying(page, MAIN, undefined);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (await state(page)).shown !== 'side_by_side') await sleep(100);
    expect(await state(page)).toMatchObject({ layout: 'side_by_side', shown: 'side_by_side', arrangement: 'split', banner: false });
    await page.evaluate(WATCH_STAGE);
  }, 60_000);

  it('gains: each display’s gain node follows the host, with real sound flowing', async () => {
    await request('programme.setGain', { pointId: CENTRE, gainDb: 6 });
    await request('programme.setGain', { pointId: SPEAKER, gainDb: 3 });
    for (const page of displays) {
      const sounds = await waitSounds(page, (s) => gainOf(s, CENTRE)?.nodeGain !== undefined && near(gainOf(s, SPEAKER)?.nodeGain, 1.413));
      expect(gainOf(sounds, CENTRE)).toMatchObject({ gainDb: 6, route: 'webaudio', context: 'running' });
      expect(gainOf(sounds, CENTRE)?.nodeGain).toBeCloseTo(10 ** (6 / 20), 3);
      expect(gainOf(sounds, SPEAKER)?.nodeGain).toBeCloseTo(10 ** (3 / 20), 3);
      // Chromium's fake microphone beeps: the loudest window after the gain is well above silence.
      const loudest = await loudestLevel(page, SPEAKER);
      expect(loudest, 'the speaker’s sound after its gain (dBFS)').toBeGreaterThan(-50);
      console.info(`gain at ${await page.evaluate('location.search')}: loudest ${loudest.toFixed(1)} dBFS`);
    }
    // A cut: the element's volume, no gain node.
    await request('programme.setGain', { pointId: CENTRE, gainDb: -6 });
    for (const page of displays) {
      const sounds = await waitSounds(page, (s) => gainOf(s, CENTRE)?.route === 'element');
      expect(gainOf(sounds, CENTRE)).toMatchObject({ gainDb: -6, nodeGain: null });
    }
    const volume = (await displays[0]?.evaluate(
      `document.querySelector('.remote-audio audio[data-point-id="${CENTRE}"]').volume`,
    )) as number;
    expect(volume).toBeCloseTo(10 ** (-6 / 20), 3);
    await request('programme.setGain', { pointId: CENTRE, gainDb: 0 });
  }, 60_000);

  it('the floor moves to the next speaker: every display goes from one picture to the next, no black frame, no banner', async () => {
    if ((await host.locator('.programme-panel[data-shared="true"]').count()) > 0) await request('programme.stopSharing', {});
    await setLayout('auto', { layout: 'auto', shown: 'speaker', arrangement: 'beside', main: `${SPEAKER}/camera` });
    const next = await open('next technician', `/?video=360&code=${(await credential(NEXT, 'technician')).code}`);
    await next.locator('.point-console').waitFor({ timeout: 20_000 });
    await next.click('[data-tab="floor"]');
    await next.click('[data-action="ask"]');
    await waitFor(
      () =>
        hub.conferences
          .get(CONFERENCE)
          ?.view()
          .floor.queue.some((r) => r.pointId === NEXT) === true,
      'queued',
    );
    await sleep(2000); // the displays take its picture on standby
    const sampling = displays.map((page) => page.evaluate(SAMPLE_STAGE(4000)) as Promise<Sample[]>);
    await sleep(300);
    const { answeredAt } = await request('floor.grant', { pointId: NEXT, seconds: 300 });
    const switchMs: number[] = [];
    const loadingMs: number[] = [];
    for (const [i, samples] of (await Promise.all(sampling)).entries()) {
      const bad = samples.filter((x) => x.banner || x.hidden || x.luma < 16);
      expect(bad, `display ${HALLS[i]}: frames with the banner, nothing or black`).toEqual([]);
      expect(samples.at(-1)?.pointId).toBe(NEXT);
      switchMs.push((samples.find((x) => x.pointId === NEXT)?.at ?? Number.NaN) - answeredAt);
      loadingMs.push((samples.find((x) => x.loading)?.at ?? Number.NaN) - answeredAt);
      const lowest = Math.min(...samples.map((x) => x.luma)).toFixed(0);
      const stills = samples.filter((x) => x.still).length;
      console.info(`switch on ${HALLS[i]}: ${samples.length} frames sampled, lowest luma ${lowest}, ${stills} on the last still`);
    }
    console.info(
      `speaker switch ${SPEAKER} → ${NEXT} after the grant's answer: its picture loading from ${loadingMs.join(' / ')} ms, ` +
        `on screen from ${switchMs.join(' / ')} ms`,
    );
    for (const page of [...displays, host]) {
      expect(await state(page)).toMatchObject({ shown: 'speaker', main: `${NEXT}/camera`, second: `${CENTRE}/camera` });
    }
    await next.context().close();
  }, 120_000);

  it('figures', () => {
    const lines = figures.map(
      ({ layout, afterAnswerMs, afterSendMs, loaded }) =>
        `  ${layout.padEnd(12)} after the answer ${afterAnswerMs.join(' / ')} ms; after sending ${afterSendMs.join(' / ')} ms` +
        (loaded ? ' (machine busy before the start: load above twice the cores)' : ''),
    );
    const worst = (key: 'afterAnswerMs' | 'afterSendMs'): number => Math.max(...figures.flatMap((f) => f[key]));
    const median = (key: 'afterAnswerMs' | 'afterSendMs'): number => {
      const all = figures.flatMap((f) => f[key]).sort((a, b) => a - b);
      return all[all.length >> 1] ?? 0;
    };
    console.info(
      `layout on ${HALLS.length} displays (picture and banner as chosen), ${figures.length} switches:\n${lines.join('\n')}\n` +
        `  worst ${worst('afterAnswerMs')} ms after the answer (median ${median('afterAnswerMs')}), ` +
        `${worst('afterSendMs')} ms after sending (median ${median('afterSendMs')})`,
    );
    expect(pageErrors).toEqual([]);
  });
});

interface Sound {
  pointId: string;
  gainDb: number;
  route: string;
  nodeGain: number | null;
  level: number | null;
  context: string | null;
}

const gainOf = (sounds: Sound[], pointId: string): Sound | undefined => sounds.find((s) => s.pointId === pointId);
const near = (value: number | null | undefined, want: number): boolean => value != null && Math.abs(value - want) < 0.001;

async function waitSounds(page: Page, ok: (sounds: Sound[]) => boolean): Promise<Sound[]> {
  const deadline = Date.now() + 10_000;
  let sounds: Sound[] = [];
  while (Date.now() < deadline) {
    sounds = (await page.evaluate('window.diemcauSound ? window.diemcauSound() : []')) as Sound[];
    if (ok(sounds)) return sounds;
    await sleep(100);
  }
  throw new Error(`sounds never as wanted: ${JSON.stringify(sounds)}`);
}

/** The loudest level (dBFS) of `pointId`'s sound after its gain over 3 s. */
async function loudestLevel(page: Page, pointId: string): Promise<number> {
  let loudest = -200;
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline) {
    const sounds = (await page.evaluate('window.diemcauSound()')) as Sound[];
    loudest = Math.max(loudest, gainOf(sounds, pointId)?.level ?? -200);
    await sleep(40);
  }
  return loudest;
}
