// The media path failing while signalling survives, for a room display (Chromium) in its own network
// namespace playing the centre, with nobody touching it:
// 1. its link starts dropping every UDP packet, as a firewall closing UDP would, TCP still flowing: the
//    display carries on over the hub's ICE-TCP candidates (Chromium switches pairs by itself, or the
//    client restarts ICE when the transport stays disconnected);
// 2. everything but the socket.io connection is cut for longer than Chromium's ICE consent (30 s), so the
//    transport fails for good: the client restarts ICE (media.restartIce) and rebuilds if needed, and the
//    display plays again once the media path is back.
// Needs root and /dev/net/tun; skips with the reason otherwise.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Hub } from '../../server/hub.ts';
import { NetLink, unsupportedReason } from '../../scripts/netem/link.ts';
import { ensureClientBuilt, launch, openPage, playback, selectedPairs, waitPlaying } from '../helpers/browser.ts';
import { startHub } from '../helpers/test-hub.ts';
import { sleep } from '../helpers/wait.ts';

const reason = unsupportedReason();
if (reason) console.warn(`SKIPPED test/network/ice.test.ts: ${reason}`);

const CONFERENCE = 'dong-nai-tap-huan-bau-cu';
const CENTRE = 'tinh-dong-nai';
const ROOM = 'cam-my';
const stageMain = '.stage video[data-slot="main"]';
/** Longer than Chromium's ICE consent freshness (30 s), so the transport fails rather than pausing. */
const MEDIA_CUT_MS = 35_000;

let hub: Hub;
let link: NetLink;
let port: string;
let displayPage: Page | undefined;
const browsers: Browser[] = [];
const pageErrors: string[] = [];
const warnings: string[] = [];

describe.skipIf(reason !== undefined)('ICE restart: a display whose UDP is blocked carries on over TCP', () => {
  beforeAll(async () => {
    ensureClientBuilt();
    link = await NetLink.create(21);
    const started = await startHub({ DIEMCAU_HOST: '0.0.0.0', DIEMCAU_LISTEN_IP: link.rootAddress });
    hub = started.hub;
    port = new URL(started.url).port;
    browsers.push(await launch(), await launch(link, [`http://${link.rootAddress}:${port}`]));
    const host = await hub.credentials.issue({ conferenceId: CONFERENCE, pointId: CENTRE, role: 'host' }, 3600);
    const hostPage = await openPage(browsers[0] as Browser, `http://127.0.0.1:${port}/?video=360#token=${host.token}`, pageErrors, 'host');
    await waitPlaying(hostPage, stageMain, CENTRE, 45_000);
  }, 120_000);

  afterAll(async () => {
    if (pageErrors.length > 0) console.info('page errors:', pageErrors);
    await Promise.all(browsers.map((b) => b.close().catch(() => undefined)));
    await hub?.close('test over');
    await link?.close();
  }, 60_000);

  it('plays again over TCP while UDP stays blocked', async () => {
    const viewer = await hub.credentials.issue({ conferenceId: CONFERENCE, pointId: ROOM, role: 'viewer' }, 3600);
    const display: Page = (displayPage = await openPage(
      browsers[1] as Browser,
      `http://${link.rootAddress}:${port}/?code=${viewer.code}`,
      pageErrors,
      'display',
      (line) => warnings.push(line),
    ));
    await waitPlaying(display, stageMain, CENTRE, 45_000);
    const before = await selectedPairs(display);
    expect(before.map((p) => p.protocol)).toContain('udp');

    await link.set({ cutUdp: true });
    const cutAt = Date.now();
    // The video stops first (so what follows is a recovery, not media that never used UDP)...
    let stopped = false;
    for (let i = 0; i < 40 && !stopped; i++) {
      await sleep(500);
      const now = await playback(display, stageMain);
      stopped = !now || now.frames < 5 || now.advancedSeconds <= 0.2;
    }
    expect(stopped).toBe(true);
    // ...then plays again, UDP still blocked.
    await waitPlaying(display, stageMain, CENTRE, 60_000);
    const backMs = Date.now() - cutAt;
    const after = await selectedPairs(display);
    const restarted = warnings.filter((w) => /ICE restart/i.test(w));
    console.info(
      `UDP blocked: display playing again over ${JSON.stringify(after)} ${(backMs / 1000).toFixed(1)} s after the block; ` +
        `client said: ${JSON.stringify(restarted.slice(0, 3))}`,
    );
    expect(after.length).toBeGreaterThan(0);
    for (const pair of after) expect(pair.protocol).toBe('tcp');
    expect((await link.stats()).in.cut + (await link.stats()).out.cut).toBeGreaterThan(0);
    await link.set({ cutUdp: false });
  }, 150_000);

  it('restarts ICE when its media path fails for good while signalling stays up, and plays again after', async () => {
    const display = displayPage as Page;
    await waitPlaying(display, stageMain, CENTRE, 60_000);
    warnings.length = 0;
    await link.set({ keepTcpPort: Number(port), cut: true });
    const cutAt = Date.now();
    // Past Chromium's 30 s consent: the transport is failed, only an ICE restart or a rebuild brings it back.
    await sleep(MEDIA_CUT_MS);
    const restartedDuringCut = warnings.filter((w) => /ICE restart/i.test(w));
    await link.set({ cut: false, keepTcpPort: 0 });
    const endAt = Date.now();
    await waitPlaying(display, stageMain, CENTRE, 60_000);
    console.info(
      `media cut ${MEDIA_CUT_MS / 1000} s with signalling up: display playing again ` +
        `${((Date.now() - endAt) / 1000).toFixed(1)} s after the cut ended; ` +
        `client said during the cut: ${JSON.stringify(restartedDuringCut.slice(0, 4))}`,
    );
    expect(restartedDuringCut.length).toBeGreaterThan(0);
    expect(endAt - cutAt).toBeGreaterThanOrEqual(MEDIA_CUT_MS);
  }, 150_000);
});
