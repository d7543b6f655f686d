// Chromium for the browser tests: Debian's browser with fake camera and microphone, started here or inside
// a test network namespace (through NetLink.wrapper; playwright still drives it over its pipe), the
// client built when its sources changed, pages whose RTCPeerConnections are recorded so that a test reads
// their WebRTC statistics, and checks that a <video> really plays.
import { chromium, type Browser, type Page } from 'playwright-core';

import { buildClientIfStale, CHROMIUM_FLAGS } from '../../scripts/lib/chromium.ts';
import type { NetLink } from '../../scripts/netem/link.ts';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const FLAGS = CHROMIUM_FLAGS;

/** Builds the client when dist/client is missing or older than any file under client/. */
export const ensureClientBuilt = buildClientIfStale;

/**
 * Chromium in the root namespace, or inside `link`'s namespace. `secureOrigins` are plain-HTTP origins
 * treated as secure (as a deployment's HTTPS would be), since cameras need a secure context and only
 * localhost is one by default.
 */
export function launch(link?: NetLink, secureOrigins: string[] = []): Promise<Browser> {
  const args = secureOrigins.length > 0 ? [...FLAGS, `--unsafely-treat-insecure-origin-as-secure=${secureOrigins.join(',')}`] : FLAGS;
  return chromium.launch({ executablePath: link ? link.wrapper(CHROMIUM) : CHROMIUM, headless: true, args });
}

/** Records every RTCPeerConnection and every SDP it is given, before the client's code runs. */
const RECORD_PEERS = `(() => {
  const Original = window.RTCPeerConnection;
  const peers = [];
  const sdps = [];
  window.__peers = peers;
  window.__sdps = sdps;
  class Recorded extends Original {
    constructor(...args) { super(...args); peers.push(this); }
    setLocalDescription(d) {
      if (d && d.sdp) sdps.push({ side: 'local', type: d.type, sdp: d.sdp });
      return super.setLocalDescription(d);
    }
    setRemoteDescription(d) {
      if (d && d.sdp) sdps.push({ side: 'remote', type: d.type, sdp: d.sdp });
      return super.setRemoteDescription(d);
    }
  }
  window.RTCPeerConnection = Recorded;
})()`;

/**
 * A page in a fresh context with its peer connections recorded; page errors and console errors go to
 * `errors`, console warnings (the client's "media failed", "ICE restart failed") to `log` when given.
 */
export async function openPage(
  browser: Browser,
  url: string,
  errors: string[],
  label: string,
  log?: (line: string) => void,
  viewport = { width: 1280, height: 720 },
): Promise<Page> {
  const context = await browser.newContext({ viewport, permissions: ['camera', 'microphone'] });
  await context.addInitScript(RECORD_PEERS);
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(`${label}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${label} console: ${message.text().split('\n')[0]}`);
    if (message.type() === 'warning') log?.(`${label} console: ${message.text().split('\n')[0]}`);
  });
  await page.goto(url);
  return page;
}

/** One RTP stream's counters from getStats (inbound-rtp or outbound-rtp), summed over open connections by kind. */
export interface RtpTotals {
  audio: Record<string, number>;
  video: Record<string, number>;
}

const COUNTERS = [
  'packetsReceived',
  'packetsLost',
  'packetsSent',
  'retransmittedPacketsSent',
  'nackCount',
  'pliCount',
  'firCount',
  'framesDecoded',
  'keyFramesDecoded',
  'keyFramesEncoded',
  'freezeCount',
  'totalFreezesDuration',
  'concealedSamples',
  'totalSamplesReceived',
  'concealmentEvents',
  'fecPacketsReceived',
  'insertedSamplesForDeceleration',
  'removedSamplesForAcceleration',
];

/** Sums of the inbound-rtp or outbound-rtp counters of every open peer connection of the page, by kind. */
export async function rtpTotals(page: Page, type: 'inbound-rtp' | 'outbound-rtp'): Promise<RtpTotals> {
  const script = `(async () => {
    const totals = { audio: {}, video: {} };
    for (const pc of window.__peers || []) {
      if (pc.connectionState === 'closed') continue;
      const report = await pc.getStats();
      report.forEach((s) => {
        if (s.type !== ${JSON.stringify(type)}) return;
        const t = totals[s.kind];
        if (!t) return;
        for (const k of ${JSON.stringify(COUNTERS)}) if (typeof s[k] === 'number') t[k] = (t[k] || 0) + s[k];
      });
    }
    return totals;
  })()`;
  return (await page.evaluate(script)) as RtpTotals;
}

/** Every SDP the page's peer connections were given so far. */
export async function sdps(page: Page): Promise<Array<{ side: string; type: string; sdp: string }>> {
  return (await page.evaluate('window.__sdps || []')) as Array<{ side: string; type: string; sdp: string }>;
}

export interface Playback {
  pointId: string;
  width: number;
  frames: number;
  advancedSeconds: number;
}

/** Whether the <video> at `selector` plays: frames delivered and currentTime moving over about a second. */
export async function playback(page: Page, selector: string): Promise<Playback | null> {
  const script = `(async () => {
    const v = document.querySelector(${JSON.stringify(selector)});
    if (!v || v.hidden) return null;
    const t0 = v.currentTime;
    let frames = 0;
    await new Promise((resolve) => {
      const count = () => { frames++; if (frames < 12) v.requestVideoFrameCallback(count); else resolve(); };
      v.requestVideoFrameCallback(count);
      setTimeout(resolve, 1500);
    });
    return { pointId: v.dataset.pointId || '', width: v.videoWidth, frames, advancedSeconds: v.currentTime - t0 };
  })()`;
  return (await page.evaluate(script)) as Playback | null;
}

const plays = (p: Playback | null, pointId?: string): boolean =>
  !!p && (pointId === undefined || p.pointId === pointId) && p.width > 0 && p.frames >= 5 && p.advancedSeconds > 0.2;

/** Waits until the video at `selector` (showing `pointId`, when given) plays. */
export async function waitPlaying(page: Page, selector: string, pointId: string | undefined, timeoutMs = 30_000): Promise<Playback> {
  const deadline = Date.now() + timeoutMs;
  let last: Playback | null = null;
  while (Date.now() < deadline) {
    last = await playback(page, selector).catch(() => null);
    if (plays(last, pointId)) return last as Playback;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${selector} never played ${pointId ?? 'anything'}; last seen ${JSON.stringify(last)}`);
}

/** The selected ICE pair of every connected peer connection on the page: local candidate type and protocol. */
export async function selectedPairs(page: Page): Promise<Array<{ type: string; protocol: string }>> {
  return (await page.evaluate(`(async () => {
    const pairs = [];
    for (const pc of window.__peers || []) {
      if (pc.connectionState !== 'connected') continue;
      const stats = [...(await pc.getStats()).values()];
      const byId = new Map(stats.map((s) => [s.id, s]));
      for (const t of stats.filter((s) => s.type === 'transport' && s.selectedCandidatePairId)) {
        const local = byId.get(byId.get(t.selectedCandidatePairId)?.localCandidateId);
        if (local) pairs.push({ type: local.candidateType, protocol: local.protocol });
      }
    }
    return pairs;
  })()`)) as Array<{ type: string; protocol: string }>;
}
