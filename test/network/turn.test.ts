// TURN for points behind strict firewalls: Debian's coturn with a shared secret (use-auth-secret), the
// hub configured with its address and secret and told to make clients relay-only, so the browser client
// (Chromium) can reach the hub through the relay and nothing else. The host console publishes the
// centre, a room display must play it, and its selected ICE pair must be a relayed one that coturn
// allocated with the credential the hub derived.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Hub } from '../../server/hub.ts';
import { startHub } from '../helpers/test-hub.ts';
import { waitFor } from '../helpers/wait.ts';
import { ensureClientBuilt, launch, openPage, selectedPairs, waitPlaying } from '../helpers/browser.ts';

const TURNSERVER = process.env['TURNSERVER_PATH'] ?? '/usr/bin/turnserver';
const CONFERENCE = 'dong-nai-tap-huan-bau-cu';
const CENTRE = 'tinh-dong-nai';
const ROOM = 'long-khanh';
const SECRET = 'turn-test-shared-secret-0123456789';
const stageMain = '.stage video[data-slot="main"]';

let turn: ChildProcess;
let turnLog = '';
let hub: Hub;
let url: string;
let browser: Browser;
const pageErrors: string[] = [];

/** A UDP port free right now on loopback, for coturn to listen on. */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

describe('TURN: a relay-only client reaches the hub through coturn', () => {
  beforeAll(async () => {
    ensureClientBuilt();
    const port = await freeUdpPort();
    turn = spawn(
      TURNSERVER,
      [
        '-n',
        '--listening-ip=127.0.0.1',
        '--relay-ip=127.0.0.1',
        `--listening-port=${port}`,
        '--use-auth-secret',
        `--static-auth-secret=${SECRET}`,
        '--realm=diemcau.test',
        '--allow-loopback-peers',
        '--no-cli',
        '--no-tls',
        '--no-dtls',
        '--min-port=49200',
        '--max-port=49400',
        '--log-file=stdout',
        '--simple-log',
        '--verbose',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    turn.on('error', (error) => (turnLog += `spawn failed: ${error.message}\n`));
    turn.stdout?.on('data', (chunk: Buffer) => (turnLog += chunk.toString()));
    turn.stderr?.on('data', (chunk: Buffer) => (turnLog += chunk.toString()));
    await waitFor(() => /listener opened on/i.test(turnLog) || turn.exitCode !== null, 'coturn listening', 15_000);
    expect(turn.exitCode, `coturn did not start (apt-get install coturn):\n${turnLog}`).toBeNull();
    ({ hub, url } = await startHub({
      DIEMCAU_TURN_URLS: `turn:127.0.0.1:${port}?transport=udp`,
      DIEMCAU_TURN_SECRET: SECRET,
      DIEMCAU_TURN_RELAY_ONLY: 'true',
    }));
    browser = await launch();
  }, 60_000);

  afterAll(async () => {
    if (pageErrors.length > 0) console.info('page errors:', pageErrors);
    await browser?.close().catch(() => undefined);
    await hub?.close('test over');
    turn?.kill('SIGTERM');
  }, 30_000);

  it('the room display plays the centre over a relayed candidate pair', async () => {
    const host = await hub.credentials.issue({ conferenceId: CONFERENCE, pointId: CENTRE, role: 'host' }, 3600);
    const viewer = await hub.credentials.issue({ conferenceId: CONFERENCE, pointId: ROOM, role: 'viewer' }, 3600);
    const hostPage = await openPage(browser, `${url}/?video=360#token=${host.token}`, pageErrors, 'host');
    await waitPlaying(hostPage, stageMain, CENTRE, 45_000);
    const display = await openPage(browser, `${url}/?code=${viewer.code}`, pageErrors, 'display');
    const t0 = Date.now();
    await waitPlaying(display, stageMain, CENTRE, 45_000);
    console.info(`display playing through TURN ${((Date.now() - t0) / 1000).toFixed(1)} s after opening`);

    const pairs = await selectedPairs(display);
    expect(pairs.length).toBeGreaterThan(0);
    for (const pair of pairs) expect(pair.type).toBe('relay');
    // coturn allocated for this point with the username the hub derived (expiry:pointId).
    expect(turnLog).toMatch(new RegExp(`user <\\d+:${ROOM}>`));
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
