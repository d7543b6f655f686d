// The live output end to end, with real parts only: a hub running its recorder process, two points publishing
// real VP8/Opus from Debian's ffmpeg (the centre's host and a district's technician), Debian's nginx with the
// RTMP module as the TV station, and the press page in Chromium.
// The push: added by the host through the protocol, the recorder starts by itself (a push needs the mix), the
// output goes live and ffprobe reads H.264 1280×720 and AAC back from nginx; nginx killed → 'retrying' with
// an attempt count and an error code; nginx back on the same port → live again. The stream key never shows in
// the view, the events the host gets, nor the event log.
// The press page: the public link plays (time advances, frames decode, "đang phát"), its delay behind the
// halls measured from a layout change (the hub's clock at the change, the page's clock when the page's picture
// shows it) and compared with the page's badge; the link switched off → "liên kết đã tắt"; switched on again →
// a new key, the old link stays off; a viewer code typed into the page plays, with the public link off.
// With DIEMCAU_DOC_SHOTS=1: docs/screenshots/press-1920.png, and host-recording-1920.png and -1366.png with a
// real recorder (recording, a push live, the press link on).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../server/hub.ts';
import type { LiveOutputView, RecordingView } from '../../shared/recording.ts';
import type { HeadlessPoint } from '../../scripts/lib/headless/point.ts';
import { RecordStore } from '../../server/store/records.ts';
import { ensureClientBuilt, launch } from '../helpers/browser.ts';
import { NginxRtmp } from '../helpers/nginx-rtmp.ts';
import { CENTRE, CONF, DISTRICT, RecordingHub } from '../helpers/recording-hub.ts';
import { sleep } from '../helpers/wait.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STREAM_KEY = 'dn-tv-khoa-bi-mat-7319';
const FULL_HD = { width: 1920, height: 1080 };
const SHOTS = !!process.env['DIEMCAU_DOC_SHOTS'];

let hub: Hub;
let url: string;
let browser: Browser;
const nginx = new NginxRtmp();
let rec: RecordingHub;
let host: HeadlessPoint;
const errors: string[] = [];
/** Figures of this run, printed at the end. */
const figures: Record<string, number | string> = {};

const view = (): Promise<RecordingView> => rec.view();
const waitForView = (what: string, ok: (v: RecordingView) => boolean, timeoutMs = 20_000) =>
  rec.waitForView(what, ok, timeoutMs, () => nginx.log().slice(-2000));

/** The first `recording.updated` after `since` whose push is in a state that `ok` accepts; resolves with it and when. */
async function pushUpdate(
  since: number,
  ok: (o: LiveOutputView) => boolean,
  timeoutMs: number,
): Promise<{ output: LiveOutputView; at: number }> {
  const payload = await host.waitForEvent('recording.updated', { since, predicate: (v) => v.outputs.some(ok), timeoutMs });
  return { output: payload.outputs.find(ok) as LiveOutputView, at: Date.now() };
}

async function open(path: string, label: string): Promise<Page> {
  const context = await browser.newContext({ viewport: FULL_HD, permissions: ['camera', 'microphone'] });
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(`${label}: ${error.message}`));
  await page.goto(`${url}${path}`);
  return page;
}

async function until(page: Page, expression: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms: ${expression}`);
    await sleep(100);
  }
}

const text = async (page: Page, selector: string): Promise<string> => ((await page.textContent(selector)) ?? '').trim();

/** The page's video: its time, frames decoded, and whether it plays (not paused, has a picture). */
const videoState = (page: Page) =>
  page.evaluate(`(() => {
    const v = document.querySelector('video.press-video');
    const q = v.getVideoPlaybackQuality();
    const frames = q.totalVideoFrames;
    return { time: v.currentTime, frames, dropped: q.droppedVideoFrames, width: v.videoWidth, height: v.videoHeight, paused: v.paused };
  })()`) as Promise<{ time: number; frames: number; dropped: number; width: number; height: number; paused: boolean }>;

/**
 * In the page: `window.__mean(x, y, w, h)`, the mean [R, G, B] of a region of the picture the page shows now
 * (in the programme's 1280×720); `window.__bandYellow()`, whether the top band (x 100–1180, y 20–120) is
 * yellow, which only the banner composition makes it (its ground, drawn by the mixer: it neither waits for a
 * point's key frame nor needs a point's picture on a busy machine); `window.__pictures()`, whether the beside
 * composition shows both points' pictures (not the dark filler of a stalled source).
 */
const BAND = `(() => {
  const c = document.createElement('canvas');
  c.width = 320; c.height = 180;
  const g = c.getContext('2d', { willReadFrequently: true });
  window.__mean = (x, y, w, h) => {
    g.drawImage(document.querySelector('video.press-video'), 0, 0, 320, 180);
    const d = g.getImageData(x / 4, y / 4, w / 4, h / 4).data;
    const sum = [0, 0, 0];
    for (let i = 0; i < d.length; i += 4) { sum[0] += d[i]; sum[1] += d[i + 1]; sum[2] += d[i + 2]; }
    return sum.map((v) => v / (d.length / 4));
  };
  window.__bandYellow = () => {
    const [r, gr, b] = window.__mean(100, 20, 1080, 100);
    return r > 180 && gr > 150 && b < 90;
  };
  const bright = ([r, gr, b]) => 0.299 * r + 0.587 * gr + 0.114 * b > 60;
  window.__pictures = () => bright(window.__mean(100, 100, 800, 400)) && bright(window.__mean(1020, 40, 220, 100));
})()`;

/** Looks at every frame the page presents: `window.__yellowAt` is the page's clock at the first with the band yellow. */
const WATCH_BAND = `(() => {
  const v = document.querySelector('video.press-video');
  window.__yellowAt = null;
  window.__looked = 0;
  const look = () => {
    window.__looked++;
    if (window.__bandYellow()) window.__yellowAt = Date.now();
    else v.requestVideoFrameCallback(look);
  };
  v.requestVideoFrameCallback(look);
})()`;

beforeAll(async () => {
  ensureClientBuilt();
  rec = await RecordingHub.start();
  ({ hub, url } = rec);
  [browser] = await Promise.all([launch(), nginx.start()]);
  host = await rec.join(CENTRE, 'host', { width: 640, height: 360 });
  await rec.join(DISTRICT, 'technician', { width: 640, height: 360 });
  await host.call('conference.setStatus', { status: 'live' });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await rec?.close();
  await nginx.dispose();
  console.log('live output figures', figures);
}, 30_000);

describe('the live output', () => {
  it('pushes the programme to nginx-rtmp, retries while nginx is gone and goes live again, its key hidden', async () => {
    expect(hub.recording.of(hub.conferences.get(CONF) as NonNullable<ReturnType<Hub['conferences']['get']>>).recorderPid).toBeUndefined();
    const since = host.mark();
    const addedAt = Date.now();
    const added = await host.call('recording.addOutput', { url: nginx.url(STREAM_KEY), label: 'Đài PT-TH Đồng Nai' });
    expect(added.outputs).toHaveLength(1);
    expect(added.outputs[0]).toMatchObject({ url: `rtmp://127.0.0.1:${nginx.port}/live/••••`, enabled: true, state: 'connecting' });
    const live = await pushUpdate(since, (o) => o.state === 'live', 30_000);
    figures['push: add → live (ms)'] = live.at - addedAt;
    expect((await view()).recorder).toBe('running');

    // What the TV station receives.
    const args = ['-v', 'error', '-rw_timeout', '8000000', '-show_streams', '-of', 'json', nginx.url(STREAM_KEY)];
    const { stdout } = await run('ffprobe', args, { timeout: 20_000 });
    const streams = (JSON.parse(stdout) as { streams: Array<Record<string, unknown>> }).streams;
    expect(streams.find((s) => s['codec_type'] === 'video')).toMatchObject({ codec_name: 'h264', width: 1280, height: 720 });
    expect(streams.find((s) => s['codec_type'] === 'audio')).toMatchObject({ codec_name: 'aac' });

    // The station goes away: the push retries, counting its attempts and saying why.
    const cut = host.mark();
    const cutAt = Date.now();
    await nginx.stop();
    const retrying = await pushUpdate(cut, (o) => o.state === 'retrying', 15_000);
    figures['push: nginx killed → retrying (ms)'] = retrying.at - cutAt;
    expect(retrying.output.attempt).toBeGreaterThanOrEqual(1);
    expect(retrying.output.error).toMatch(/^[A-Z][A-Z0-9_]+$/);
    figures['push: error when cut'] = retrying.output.error ?? '';
    await pushUpdate(cut, (o) => o.state === 'retrying' && o.attempt >= 2, 15_000);
    const down = (await view()).outputs[0] as LiveOutputView;
    expect(down.state).toBe('retrying');
    expect(down.error).toBe('ECONNREFUSED');

    // Back on the same port: the next attempt goes live.
    const back = host.mark();
    const backAt = Date.now();
    await nginx.start();
    const again = await pushUpdate(back, (o) => o.state === 'live', 40_000);
    figures['push: nginx back → live (ms)'] = again.at - backAt;
    expect(again.output.attempt).toBe(0);

    // The stream key: nowhere in what the host sees nor in the log.
    const seen = [JSON.stringify(await view()), JSON.stringify(host.eventsOf('recording.updated'))];
    for (const s of seen) expect(s).not.toContain(STREAM_KEY);
    const rows = new RecordStore(hub.db).events(CONF).filter((e) => e.action.startsWith('recording.'));
    expect(rows.map((e) => e.action)).toContain('recording.output_add');
    expect(JSON.stringify(rows)).not.toContain(STREAM_KEY);
  }, 90_000);

  it('plays the programme on the press page through the public link, a few seconds behind the halls', async () => {
    // The district has the floor: the programme shows it large, the centre beside it.
    await host.call('floor.grant', { pointId: DISTRICT, seconds: 600 });
    const on = await host.call('recording.setPress', { enabled: true });
    const key = on.press.key as string;
    expect(key).toBeTruthy();
    const page = await open(`/press.html?c=${CONF}&k=${key}`, 'press');
    const openedAt = Date.now();
    await until(page, `document.body.dataset.state === 'playing'`, 30_000);
    figures['press: page opened → playing (ms)'] = Date.now() - openedAt;
    expect(await text(page, '.press-state')).toBe('Đang phát');
    const a = await videoState(page);
    await sleep(2000);
    const b = await videoState(page);
    expect(b.time - a.time).toBeGreaterThan(1.2);
    expect(b.frames - a.frames).toBeGreaterThan(25);
    expect(b).toMatchObject({ width: 1280, height: 720, paused: false });

    // The delay: the layout changes at the hub; the page shows it some seconds later (one machine, one clock).
    await sleep(1000);
    await page.evaluate(BAND);
    await page.evaluate(WATCH_BAND);
    await sleep(500);
    expect(await page.evaluate('window.__looked')).toBeGreaterThan(5);
    expect(await page.evaluate('window.__yellowAt')).toBeNull();
    const changedAt = Date.now();
    await host.call('programme.setLayout', { layout: 'banner' });
    await until(page, 'window.__yellowAt !== null', 20_000);
    const delayMs = ((await page.evaluate('window.__yellowAt')) as number) - changedAt;
    figures['press: delay behind the hall (ms)'] = delayMs;
    const badge = await text(page, '.press-badge');
    figures['press: badge'] = badge;
    expect(badge).toMatch(/^● TRỰC TIẾP/);
    expect(delayMs).toBeGreaterThan(1000);
    expect(delayMs).toBeLessThan(12_000);
    await host.call('programme.setLayout', { layout: 'auto' });
    if (SHOTS) {
      // Both pictures on screen (a busy machine can leave a point's picture stalled for a while).
      await until(page, '!window.__bandYellow() && window.__pictures()', 30_000).catch(() =>
        console.warn('press-1920.png: a picture is missing'),
      );
      await sleep(300);
      await page.screenshot({ path: join(ROOT, 'docs/screenshots/press-1920.png') });
    }

    // Switched off: the page says so within its retry period; on again: a new key, the old link stays off.
    const offAt = Date.now();
    await host.call('recording.setPress', { enabled: false });
    await until(page, `document.body.dataset.state === 'off'`, 30_000);
    figures['press: link off → page says off (ms)'] = Date.now() - offAt;
    expect(await text(page, '.press-state')).toBe('Liên kết đã tắt');
    expect(await page.isVisible('.press-overlay')).toBe(true);
    const again = await host.call('recording.setPress', { enabled: true });
    expect(again.press.key).toBeTruthy();
    expect(again.press.key).not.toBe(key);
    const old = await fetch(`${url}/api/conferences/${CONF}/live/${key}/index.m3u8`);
    expect(old.status).toBe(403);
    await sleep(3000);
    expect(await page.evaluate('document.body.dataset.state')).toBe('off');
    await page.context().close();
  }, 90_000);

  it('plays with a viewer code typed into the page while the public link is off', async () => {
    await host.call('recording.setPress', { enabled: false });
    const viewer = await hub.credentials.issue({ conferenceId: CONF, pointId: 'xuan-loc', role: 'viewer' }, 3600);
    const page = await open('/press.html', 'press code');
    await page.fill('form.press-join input[name="code"]', viewer.code);
    await page.click('form.press-join button[type="submit"]');
    await until(page, `document.body.dataset.state === 'playing'`, 30_000);
    expect(await text(page, '.press-title')).toBe(hub.conferences.get(CONF)?.spec.title);
    const a = await videoState(page);
    await sleep(1500);
    const b = await videoState(page);
    expect(b.time - a.time).toBeGreaterThan(0.8);
    expect(b.frames).toBeGreaterThan(a.frames);
    await page.context().close();
  }, 60_000);

  it('shows the host the real recorder: recording, the push live, the press link on', async () => {
    await host.call('recording.setPress', { enabled: true });
    await host.call('recording.start', {});
    await waitForView('the recorder writing', (v) => v.recording && v.writtenMs > 2000 && v.outputs[0]?.state === 'live', 30_000);
    if (!SHOTS) return;
    // The console replaces the headless host's session (one connection per point): the last thing this file does.
    const { code } = await hub.credentials.issue({ conferenceId: CONF, pointId: CENTRE, role: 'host' }, 3600);
    const console_ = await open(`/?code=${code}`, 'host console');
    await console_.waitForSelector('[data-view="host"]');
    await console_.click('[data-tab="recording"]');
    await console_.waitForSelector('.recording[data-recording="true"] .rec-live:not([hidden])');
    await until(console_, `document.querySelector('.rec-chip')?.textContent === 'đang phát'`);
    await until(console_, `!!document.querySelector('[data-press="link"]')`);
    await sleep(1500);
    await console_.screenshot({ path: join(ROOT, 'docs/screenshots/host-recording-1920.png') });
    await console_.setViewportSize({ width: 1366, height: 768 });
    await sleep(500);
    await console_.screenshot({ path: join(ROOT, 'docs/screenshots/host-recording-1366.png') });
  }, 60_000);

  it('had no page error', () => {
    expect(errors).toEqual([]);
  });
});
