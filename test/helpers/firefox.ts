// Debian's Firefox ESR for the browser tests, driven by puppeteer-core over WebDriver BiDi (Playwright cannot
// drive a stock Firefox). Firefox runs inside a test network namespace (NetLink): it gathers no loopback ICE
// candidates, only those of the machine's interfaces, so against a hub on 127.0.0.1 its ICE fails; in the
// namespace its one interface is the link, and the hub listens on the link's root side.
//
// Firefox's remote agent only listens on the namespace's own loopback, which this process cannot reach. So
// Firefox runs under a small relay (inside the namespace too): the relay starts Firefox, and when Firefox
// says where WebDriver BiDi listens, it opens a TCP relay to it on the namespace's link address, same port,
// and tells puppeteer that address instead; the relay puts the loopback address in the handshake's Host
// header, the only one the remote agent's HTTP server answers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

import type { NetLink } from '../../scripts/netem/link.ts';
import { STAGE_STATE, type StageState, stageMatches, WATCH_STAGE } from './stage-state.ts';

export const FIREFOX = process.env['FIREFOX_PATH'] ?? '/usr/bin/firefox-esr';

/** What Firefox needs here besides puppeteer's own automation preferences. */
export function firefoxPrefs(secureHosts: string[] = []): Record<string, unknown> {
  return {
    // A fake camera and microphone, granted without asking.
    'media.navigator.streams.fake': true,
    'media.navigator.permission.disabled': true,
    // Remote media plays without a gesture.
    'media.autoplay.default': 0,
    'media.autoplay.blocking_policy': 0,
    // Web Audio too (a display's boosted sound runs through an AudioContext), without a click; and a mock
    // audio output: with no sound device (no /dev/snd, no PulseAudio) an AudioContext stays suspended even
    // after a click, which puts the client's "click to start" prompt over every page that plays a boost.
    'media.autoplay.block-webaudio': false,
    'media.cubeb.force_mock_context': true,
    // The hub's plain-HTTP address counts as secure (as a deployment's HTTPS would), for getUserMedia.
    ...(secureHosts.length > 0 ? { 'dom.securecontext.allowlist': secureHosts.join(',') } : {}),
    // No first-run pages, updates, telemetry, portal or connectivity probes, prefetching.
    'browser.aboutwelcome.enabled': false,
    'datareporting.policy.firstRunURL': '',
    'toolkit.telemetry.enabled': false,
    'toolkit.telemetry.unified': false,
    'toolkit.telemetry.reportingpolicy.firstRun': false,
    'app.update.auto': false,
    'app.update.checkInstallTime': false,
    'browser.discovery.enabled': false,
    'extensions.blocklist.enabled': false,
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'network.dns.disablePrefetch': true,
    'network.prefetch-next': false,
    'media.gmp-manager.updateEnabled': false,
    'media.gmp-gmpopenh264.autoupdate': false,
    'media.gmp-gmpopenh264.enabled': false,
  };
}

/** The relay Firefox runs under: argv host firefox args…; rewrites the BiDi address line to `host`. */
const RELAY = `import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
const [host, binary, ...args] = process.argv.slice(2);
const child = spawn(binary, args, { stdio: ['ignore', 'inherit', 'pipe'] });
const LISTENING = /^WebDriver BiDi listening on ws:\\/\\/(?:127\\.0\\.0\\.1|localhost|\\[::1\\]):(\\d+)(.*)$/;
async function relay(line) {
  const m = LISTENING.exec(line);
  if (!m) return line;
  const server = createServer((socket) => {
    const upstream = connect(Number(m[1]), '127.0.0.1');
    // The handshake's Host header names the loopback address (the remote agent's HTTP server knows no other).
    let head = '';
    const rewrite = (chunk) => {
      head += chunk.toString('latin1');
      if (!head.includes('\\r\\n\\r\\n')) return;
      socket.off('data', rewrite);
      upstream.write(Buffer.from(head.replace(/^Host: .*$/im, 'Host: 127.0.0.1:' + m[1]), 'latin1'));
      socket.pipe(upstream);
    };
    socket.on('data', rewrite);
    upstream.pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
    upstream.on('close', () => socket.destroy());
  });
  await new Promise((resolve) => server.listen(Number(m[1]), host, resolve));
  server.unref();
  return 'WebDriver BiDi listening on ws://' + host + ':' + m[1] + m[2];
}
let queue = Promise.resolve();
let rest = '';
child.stderr.setEncoding('utf8');
child.stderr.on('data', (chunk) => {
  const lines = (rest + chunk).split('\\n');
  rest = lines.pop();
  for (const line of lines) queue = queue.then(() => relay(line)).then((out) => { process.stderr.write(out + '\\n'); });
});
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => queue.then(() => process.exit(code ?? (signal ? 1 : 0))));
`;

const quote = (arg: string): string => `'${arg.replaceAll("'", `'\\''`)}'`;

export interface FirefoxOptions {
  /** Hosts (no port) whose plain-HTTP pages count as secure contexts. */
  secureHosts?: string[];
  /** More preferences, over firefoxPrefs(). */
  prefs?: Record<string, unknown>;
  /** Default true; false needs an X display (`display`, e.g. Xvfb's), which screen capture needs. */
  headless?: boolean;
  /** The X display (DISPLAY) of a Firefox that is not headless. */
  display?: string;
}

/** Firefox ESR, headless unless told, inside `link`'s namespace. Close it with closeFirefox. */
export async function launchFirefox(link: NetLink, options: FirefoxOptions = {}): Promise<Browser> {
  const dir = mkdtempSync(join(os.tmpdir(), 'diemcau-firefox-'));
  const relay = join(dir, 'relay.mjs');
  writeFileSync(relay, RELAY);
  const [ip, args] = link.exec(process.execPath, relay, link.nsAddress, FIREFOX);
  const wrapper = join(dir, 'firefox-in-netns');
  writeFileSync(wrapper, `#!/bin/sh\nexec ${[ip, ...args].map(quote).join(' ')} "$@"\n`, { mode: 0o755 });
  try {
    const browser = await puppeteer.launch({
      browser: 'firefox',
      protocol: 'webDriverBiDi',
      executablePath: wrapper,
      headless: options.headless ?? true,
      extraPrefsFirefox: { ...firefoxPrefs(options.secureHosts), ...options.prefs },
      timeout: 60_000,
      env: { ...process.env, ...(options.display ? { DISPLAY: options.display } : {}) },
      // FIREFOX_DUMPIO=1 shows Firefox's own output (with remote.log.level for the remote agent's).
      dumpio: process.env['FIREFOX_DUMPIO'] === '1',
    });
    browser.once('disconnected', () => rmSync(dir, { recursive: true, force: true }));
    return browser;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Closes Firefox and waits for its processes to end; kills their group if they do not end by themselves. */
export async function closeFirefox(browser: Browser | undefined): Promise<void> {
  if (!browser) return;
  const child = browser.process();
  const running = (): boolean => !!child && child.exitCode === null && child.signalCode === null;
  const exited = running() ? new Promise((resolve) => child?.once('exit', resolve)) : Promise.resolve();
  const closed = browser
    .close()
    .catch(() => undefined)
    .then(() => exited);
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 15_000))]);
  if (running() && child?.pid !== undefined) {
    try {
      process.kill(-child.pid, 'SIGKILL'); // puppeteer starts it as the leader of its own process group
    } catch {
      // already gone
    }
  }
}

/**
 * A page in a fresh user context (its own storage, as a separate machine would have) and its own window,
 * `viewport` sized;
 * uncaught page errors and console errors go to `errors`, console warnings to `log` when given.
 */
export async function openFirefoxPage(
  browser: Browser,
  url: string,
  errors: string[],
  label: string,
  log?: (line: string) => void,
  viewport = { width: 1280, height: 720 },
): Promise<Page> {
  const context = await browser.createBrowserContext();
  // A window of its own: a tab behind another is a background tab, which Firefox paints about once a second.
  const page = await context.newPage({ type: 'window' });
  await page.setViewport(viewport);
  page.on('pageerror', (error) => errors.push(`${label}: ${error instanceof Error ? error.message : String(error)}`));
  page.on('console', (message) => {
    const text = message.text().split('\n')[0] ?? '';
    if (message.type() === 'error') errors.push(`${label} console: ${text}`);
    if (message.type() === 'warn') log?.(`${label} console: ${text}`);
  });
  await page.goto(url);
  return page;
}

export interface FirefoxPlayback {
  pointId: string;
  width: number;
  height: number;
  /** New frames presented over the measurement (requestVideoFrameCallback calls). */
  frames: number;
  /** Frames painted over the measurement (Firefox's mozPaintedFrames), -1 where the browser has no such count. */
  painted: number;
  /**
   * getVideoPlaybackQuality().totalVideoFrames over the measurement: always 0 in Firefox ESR 153 for a
   * MediaStream source (it counts decoded file frames only), so kept for the record, not judged.
   */
  qualityFrames: number;
  advancedSeconds: number;
  paused: boolean;
}

/** Whether the <video> at `selector` plays over about 1.2 s: new frames presented and painted, currentTime moving. */
export async function firefoxPlayback(page: Page, selector: string): Promise<FirefoxPlayback | null> {
  const script = `(async () => {
    const v = document.querySelector(${JSON.stringify(selector)});
    if (!v || v.hidden) return null;
    const t0 = v.currentTime;
    const q0 = v.getVideoPlaybackQuality().totalVideoFrames;
    const p0 = typeof v.mozPaintedFrames === 'number' ? v.mozPaintedFrames : -1;
    let frames = 0;
    let done = false;
    const count = () => { frames++; if (!done) v.requestVideoFrameCallback(count); };
    v.requestVideoFrameCallback(count);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    done = true;
    return {
      pointId: v.dataset.pointId || '',
      width: v.videoWidth,
      height: v.videoHeight,
      frames,
      painted: p0 < 0 ? -1 : v.mozPaintedFrames - p0,
      qualityFrames: v.getVideoPlaybackQuality().totalVideoFrames - q0,
      advancedSeconds: v.currentTime - t0,
      paused: v.paused,
    };
  })()`;
  return (await page.evaluate(script)) as FirefoxPlayback | null;
}

const plays = (p: FirefoxPlayback | null, pointId?: string): boolean =>
  !!p &&
  (pointId === undefined || p.pointId === pointId) &&
  !p.paused &&
  p.width > 0 &&
  p.frames >= 5 &&
  (p.painted === -1 || p.painted >= 5) &&
  p.advancedSeconds > 0.2;

/** Waits until the video at `selector` (showing `pointId`, when given) plays. */
export async function waitFirefoxPlaying(
  page: Page,
  selector: string,
  pointId: string | undefined,
  timeoutMs = 30_000,
): Promise<FirefoxPlayback> {
  const deadline = Date.now() + timeoutMs;
  let last: FirefoxPlayback | null = null;
  while (Date.now() < deadline) {
    last = await firefoxPlayback(page, selector).catch(() => null);
    if (plays(last, pointId)) return last as FirefoxPlayback;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${selector} never played ${pointId ?? 'anything'} in Firefox; last seen ${JSON.stringify(last)}`);
}

export type DisplayCapture =
  | { shared: true; label: string; width: number; height: number; frames: number }
  | { shared: false; error: string; message: string };

/**
 * Asks `page` for a screen with getDisplayMedia, from a click (a real input event, so the call carries a user
 * gesture): what was shared and whether its picture moves (frames presented over about 1.2 s), or the
 * refusal. Headless Firefox ESR 153 has no screen to give: NotFoundError (docs/firefox.md).
 */
export async function tryDisplayMedia(page: Page): Promise<DisplayCapture> {
  await page.evaluate(`(() => {
    const button = document.createElement('button');
    button.id = 'test-share-screen';
    button.textContent = 'share';
    button.style = 'position:fixed;top:0;left:0;z-index:2147483647;width:160px;height:60px';
    button.onclick = () => {
      navigator.mediaDevices.getDisplayMedia({ video: true }).then(
        async (stream) => {
          const [track] = stream.getVideoTracks();
          const v = document.createElement('video');
          v.muted = true;
          v.srcObject = stream;
          document.body.append(v);
          await v.play();
          let frames = 0;
          let done = false;
          const count = () => { frames++; if (!done) v.requestVideoFrameCallback(count); };
          v.requestVideoFrameCallback(count);
          await new Promise((resolve) => setTimeout(resolve, 1200));
          done = true;
          const settings = track.getSettings();
          window.__displayCapture = { shared: true, label: track.label, width: settings.width, height: settings.height, frames };
          for (const t of stream.getTracks()) t.stop();
          v.remove();
        },
        (error) => { window.__displayCapture = { shared: false, error: error.name, message: error.message }; },
      );
    };
    document.body.append(button);
  })()`);
  await page.click('#test-share-screen');
  await page.waitForFunction('window.__displayCapture !== undefined', { timeout: 15_000 });
  const capture = (await page.evaluate('window.__displayCapture')) as DisplayCapture;
  await page.evaluate("document.getElementById('test-share-screen')?.remove(); delete window.__displayCapture");
  return capture;
}

export const stageState = async (page: Page): Promise<StageState> => (await page.evaluate(STAGE_STATE)) as StageState;

/** Starts (again) a log of every change of the page's stage with its time (epoch ms, the page's clock). */
export async function watchStage(page: Page): Promise<void> {
  await page.evaluate(WATCH_STAGE);
}

/**
 * Waits until the stage shows `want`; returns when it first did (epoch ms, from the watchStage log, so not
 * delayed by the polling) and the final state.
 */
export async function waitStage(page: Page, want: Partial<StageState>, timeoutMs = 10_000): Promise<{ at: number; state: StageState }> {
  const deadline = Date.now() + timeoutMs;
  let state = await stageState(page);
  while (!stageMatches(state, want) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    state = await stageState(page);
  }
  if (!stageMatches(state, want)) throw new Error(`the stage never showed ${JSON.stringify(want)}; it shows ${JSON.stringify(state)}`);
  const log = (await page.evaluate('window.__stageLog || []')) as Array<{ at: number; state: StageState }>;
  return { at: log.find((entry) => stageMatches(entry.state, want))?.at ?? Date.now(), state };
}

/** One remote sound on a display: its gain, route, the gain node's value and the level after it (window.diemcauSound()). */
export interface Sound {
  pointId: string;
  gainDb: number;
  route: string;
  nodeGain: number | null;
  level: number | null;
  context: string | null;
}

/** Waits until `ok(window.diemcauSound())` holds on `page`; throws with the last reading otherwise. */
export async function waitSounds(page: Page, ok: (sounds: Sound[]) => boolean, timeoutMs = 10_000): Promise<Sound[]> {
  const deadline = Date.now() + timeoutMs;
  let sounds: Sound[] = [];
  while (Date.now() < deadline) {
    sounds = (await page.evaluate('window.diemcauSound ? window.diemcauSound() : []')) as Sound[];
    if (ok(sounds)) return sounds;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the sounds never were as wanted: ${JSON.stringify(sounds)}`);
}

/** The loudest level (dBFS after the gain) of `pointId`'s sound over `ms`; -200 with no Web Audio route. */
export async function loudestLevel(page: Page, pointId: string, ms = 3000): Promise<number> {
  let loudest = -200;
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const sounds = (await page.evaluate('window.diemcauSound()')) as Sound[];
    loudest = Math.max(loudest, sounds.find((s) => s.pointId === pointId)?.level ?? -200);
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  return loudest;
}
