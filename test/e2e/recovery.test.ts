// The browser client recovering by itself, in Debian's Chromium (playwright-core, fake camera and
// microphone): a host console, a point console and a room display in a running conference.
// 1. The hub's only mediasoup worker is killed: the hub replaces it, every client rebuilds its media on
//    `media.restart`; the display plays the centre again and the point's producer is back at the hub.
// 2. The hub process is killed with SIGKILL and started again on the same port and data folder: every
//    page reconnects (the point with its session token: its join code was single-use) and the display
//    plays again.
// Times are measured and printed, and asserted only within generous bounds.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/domain.ts';
import { CredentialIssuer } from '../../server/auth/credentials.ts';
import type { Hub } from '../../server/hub.ts';
import { Database } from '../../server/store/db.ts';
import { tempDataDir } from '../../scripts/lib/data-dir.ts';
import { hubPort, spawnHub, type HubProcess } from '../../scripts/lib/hub-process.ts';
import { ensureClientBuilt, launch, openPage } from '../helpers/browser.ts';
import { startHub } from '../helpers/test-hub.ts';
import { waitFor } from '../helpers/wait.ts';

const CONFERENCE = 'dong-nai-tap-huan-bau-cu';
const CENTRE = 'tinh-dong-nai';
const ROOM = 'bien-hoa';
const POINT = 'long-khanh';
const BOUND_MS = 45_000;
const MAIN = '.stage video[data-slot="main"]';

let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
const results: Record<string, unknown> = {};

async function open(url: string, label: string, path: string): Promise<Page> {
  const page = await openPage(browser, `${url}${path}`, pageErrors, label);
  contexts.push(page.context());
  return page;
}

/** The id of the track the display's main video shows, or null. */
const mainTrack = (page: Page): Promise<string | null> =>
  page.evaluate(
    `(() => { const v = document.querySelector(${JSON.stringify(MAIN)}); const s = v && v.srcObject; ` +
      `return s ? (s.getVideoTracks()[0]?.id ?? null) : null; })()`,
  ) as Promise<string | null>;

/** Whether the video at `selector` (showing `pointId`, if given) has frames advancing over about a second. */
async function playing(page: Page, pointId: string | null, selector = MAIN): Promise<boolean> {
  const script = `(async () => {
    const v = document.querySelector(${JSON.stringify(selector)});
    if (!v || v.hidden || (${JSON.stringify(pointId)} !== null && v.dataset.pointId !== ${JSON.stringify(pointId)})) return false;
    const t0 = v.currentTime;
    let frames = 0;
    await new Promise((resolve) => {
      const count = () => { frames++; if (frames < 8) v.requestVideoFrameCallback(count); else resolve(); };
      v.requestVideoFrameCallback(count);
      setTimeout(resolve, 1200);
    });
    return v.videoWidth > 0 && frames >= 5 && v.currentTime - t0 > 0.15;
  })()`;
  return (await page.evaluate(script)) as boolean;
}

/**
 * Waits until the display's main video shows `pointId` on a track other than `oldTrack` and plays.
 * Resolves with the time the new track appeared and the time playback was confirmed (ms since `since`).
 */
async function playsAgain(
  page: Page,
  pointId: string,
  oldTrack: string | null,
  since: number,
): Promise<{ trackMs: number; playingMs: number }> {
  let trackAt: number | undefined;
  const deadline = since + BOUND_MS;
  while (Date.now() < deadline) {
    const track = await mainTrack(page);
    if (track && track !== oldTrack) {
      trackAt ??= Date.now();
      const checkStarted = Date.now();
      if (await playing(page, pointId)) return { trackMs: trackAt - since, playingMs: checkStarted - since };
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`the display did not play ${pointId} again within ${BOUND_MS} ms`);
}

beforeAll(async () => {
  ensureClientBuilt();
  browser = await launch();
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  console.info('[recovery] browser:', JSON.stringify(results));
  if (pageErrors.length > 0) console.info('[recovery] page errors (expected while the media is down):', pageErrors.slice(0, 20));
}, 60_000);

describe('the browser client recovers by itself', () => {
  let hub: Hub;

  afterAll(async () => {
    await hub?.close('test over');
  });

  it('after the media worker is killed: the display plays again, the point publishes again', async () => {
    let url: string;
    ({ hub, url } = await startHub());
    const issue = (pointId: string, role: Role) => hub.credentials.issue({ conferenceId: CONFERENCE, pointId, role }, 3600);
    const display = await open(url, 'display', `/?code=${(await issue(ROOM, 'viewer')).code}`);
    const host = await open(url, 'host', `/?video=360#token=${(await issue(CENTRE, 'host')).token}`);
    await host.locator('[data-action="start"]').click({ timeout: 30_000 });
    await open(url, 'point', `/?video=360&code=${(await issue(POINT, 'technician')).code}`);
    const conference = hub.conferences.get(CONFERENCE);
    if (!conference) throw new Error('conference not open');
    await waitFor(() => conference.pointView(POINT).publishing.video, 'the point publishing', 40_000);
    const before = await playsAgain(display, CENTRE, null, Date.now());
    expect(before.playingMs).toBeGreaterThanOrEqual(0);
    const oldTrack = await mainTrack(display);
    const representative = () => conference.sessions().find((s) => s.pointId === POINT && s.role === 'technician');
    const oldProducer = representative()?.peer.producer('camera')?.id;
    expect(oldProducer).toBeDefined();

    const victim = hub.workers.live()[0]?.pid as number;
    const killedAt = Date.now();
    // Where the time goes: the replacement worker, the centre's camera produced again, the display's consumer.
    const steps: Record<string, number> = {};
    hub.workers.once('workerreplaced', () => (steps['replacementWorkerMs'] = Date.now() - killedAt));
    const hostSession = () => conference.sessions().find((s) => s.role === 'host');
    const displaySession = () => conference.sessions().find((s) => s.role === 'viewer');
    const oldCentre = hostSession()?.peer.producer('camera')?.id;
    const stepTimer = setInterval(() => {
      const centre = hostSession()?.peer.producer('camera');
      if (steps['centreProducedMs'] === undefined && centre && centre.id !== oldCentre) steps['centreProducedMs'] = Date.now() - killedAt;
      if (
        steps['displayConsumerMs'] === undefined &&
        centre &&
        centre.id !== oldCentre &&
        displaySession()
          ?.peer.consumerKeys()
          .some((k) => k.endsWith(centre.id))
      ) {
        steps['displayConsumerMs'] = Date.now() - killedAt;
      }
    }, 20);
    process.kill(victim, 'SIGKILL');

    // The point's camera is produced again at the hub, and its packets arrive there.
    let producerMs = -1;
    const producerBack = (async () => {
      for (;;) {
        const producer = representative()?.peer.producer('camera');
        if (producer && producer.id !== oldProducer && !producer.closed) {
          const stats = await producer.getStats().catch(() => []);
          if (stats.some((s) => s.packetCount > 0)) return (producerMs = Date.now() - killedAt);
        }
        if (Date.now() - killedAt > BOUND_MS) throw new Error('the point did not publish again');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const displayBack = await playsAgain(display, CENTRE, oldTrack, killedAt);
    await producerBack;
    clearInterval(stepTimer);
    results['worker kill'] = {
      ...steps,
      displayNewTrackMs: displayBack.trackMs,
      displayPlayingMs: displayBack.playingMs,
      pointProducerWithPacketsMs: producerMs,
    };
    console.log(`[recovery] browser, worker kill: ${JSON.stringify(results['worker kill'])}`);
    expect(hub.workers.replacedCount).toBe(1);
    expect(conference.view().status).toBe('live');
  }, 150_000);

  it('after the hub process is killed and started again: every page reconnects and the display plays again', async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
    await hub?.close('next case');
    const dataDir = tempDataDir();
    const env = { DIEMCAU_DATA_DIR: dataDir, DIEMCAU_WORKERS: '1', DIEMCAU_LISTEN_IP: '127.0.0.1' };
    const hubs: HubProcess[] = [spawnHub({ ...env, DIEMCAU_PORT: '0' })];
    try {
      const port = await hubPort(hubs[0] as HubProcess);
      const url = `http://127.0.0.1:${port}`;
      const db = new Database(dataDir);
      const issuer = new CredentialIssuer(db, 'auto');
      const issue = (pointId: string, role: Role) => issuer.issue({ conferenceId: CONFERENCE, pointId, role }, 3600);
      const display = await open(url, 'display-2', `/?code=${(await issue(ROOM, 'viewer')).code}`);
      const host = await open(url, 'host-2', `/?video=360#token=${(await issue(CENTRE, 'host')).token}`);
      await host.locator('[data-action="start"]').click({ timeout: 30_000 });
      const point = await open(url, 'point-2', `/?video=360&code=${(await issue(POINT, 'technician')).code}`);
      db.close();
      await playsAgain(display, CENTRE, null, Date.now());
      await point.locator('.preview video').waitFor({ timeout: 30_000 });
      const oldTrack = await mainTrack(display);

      const killedAt = Date.now();
      hubs[0]?.child.kill('SIGKILL');
      await hubs[0]?.exited;
      hubs.push(spawnHub({ ...env, DIEMCAU_PORT: String(port) }));
      await hubPort(hubs[1] as HubProcess);
      const listeningMs = Date.now() - killedAt;
      const displayBack = await playsAgain(display, CENTRE, oldTrack, killedAt);
      // The point console (joined by a single-use code) is back in its role, online, not asking for a code,
      // and the host's wall plays its camera again.
      await point.locator('.badge.link[data-link="online"]').waitFor({ timeout: BOUND_MS });
      const pointOnlineMs = Date.now() - killedAt;
      expect(await point.locator('.join-page').count()).toBe(0);
      const tile = `.tile[data-point-id="${POINT}"] video`;
      let wallMs = -1;
      while (Date.now() - killedAt < BOUND_MS) {
        const started = Date.now();
        if (await playing(host, null, tile)) {
          wallMs = started - killedAt;
          break;
        }
        await host.waitForTimeout(200);
      }
      expect(wallMs, 'the host wall plays the point again').toBeGreaterThan(0);
      results['hub restart'] = {
        hubListeningMs: listeningMs,
        displayNewTrackMs: displayBack.trackMs,
        displayPlayingMs: displayBack.playingMs,
        pointOnlineMs,
        hostWallPlaysPointMs: wallMs,
      };
      console.log(`[recovery] browser, hub SIGKILL + restart: ${JSON.stringify(results['hub restart'])}`);
    } finally {
      for (const h of hubs) if (h.child.exitCode === null) h.child.kill('SIGKILL');
    }
  }, 150_000);
});
