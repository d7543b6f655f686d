// Talkback with real packets: a real hub, headless points publishing marked Opus over SRTP, and the host
// publishing its private 'talkback' voice (also marked). Whose audio reaches whom is read from the decrypted
// packets themselves. While the host listens to Hà Nội, the host receives Hà Nội's microphone and no other
// session does (room displays, another point, the co-host); while the host talks to Hà Nội's technician, only
// that technician receives the talkback. Giving Hà Nội the floor ends both.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/domain.ts';
import type { Hub } from '../../server/hub.ts';
import { growth } from '../../scripts/lib/headless/growth.ts';
import { HeadlessPoint } from '../../scripts/lib/headless/point.ts';
import { MediaSender } from '../../scripts/lib/headless/sender.ts';
import { newSrtpKey } from '../../scripts/lib/srtp.ts';
import { MTTQ_CONFERENCE } from '../helpers/demo-points.ts';
import { startHub } from '../helpers/test-hub.ts';
import { sleep } from '../helpers/wait.ts';

const CENTRE = 'trung-uong';
const A = 'ha-noi';
const B = 'hai-phong';
const WINDOW_MS = 1200;
const SETTLE_MS = 500;
const MIN_AUDIO = 15;

let hub: Hub;
let url: string;
let host: HeadlessPoint;
let cohost: HeadlessPoint;
let techA: HeadlessPoint;
let techB: HeadlessPoint;
let displayA: HeadlessPoint;
let displayB: HeadlessPoint;
let everyone: HeadlessPoint[] = [];
let talkback: MediaSender | undefined;
let talkbackSocket: UdpSocket | undefined;

async function join(pointId: string, role: Role): Promise<HeadlessPoint> {
  const { token } = await hub.credentials.issue({ conferenceId: MTTQ_CONFERENCE, pointId, role }, 600);
  return HeadlessPoint.join(url, token, { label: `${pointId}/${role}`, maxSendMs: 60_000 });
}

/** The host's talkback: its own plain send transport and an Opus producer of source 'talkback', marked as the centre's. */
async function publishTalkback(client: HeadlessPoint): Promise<void> {
  const caps = client.welcome.routerRtpCapabilities;
  const payloadType = caps.codecs?.find((c) => c.mimeType.toLowerCase() === 'audio/opus')?.preferredPayloadType ?? 100;
  const info = await client.call('media.createTransport', { direction: 'send', type: 'plain' });
  if (info.type !== 'plain') throw new Error('expected a plain transport');
  const socket = createSocket('udp4');
  socket.on('message', () => {});
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const key = newSrtpKey();
  await client.call('media.connectTransport', { transportId: info.id, srtpParameters: key });
  const ssrc = 0x5151_0001;
  await client.call('media.produce', {
    transportId: info.id,
    kind: 'audio',
    source: 'talkback',
    rtpParameters: {
      codecs: [{ mimeType: 'audio/opus', payloadType, clockRate: 48000, channels: 2 }],
      encodings: [{ ssrc }],
      rtcp: { cname: 'tb' },
    },
  });
  talkbackSocket = socket;
  talkback = new MediaSender({
    socket,
    remote: { ip: info.ip, port: info.port },
    key,
    pointId: CENTRE,
    audio: { ssrc, payloadType },
    maxDurationMs: 60_000,
  });
  talkback.start();
}

/** Audio packets from `origin` each session received over one window. */
async function audioFrom(origin: string): Promise<Record<string, number>> {
  const grown = await growth(WINDOW_MS, new Map(everyone.map((p) => [p.label, () => p.receiver?.fromOrigin(origin, 'audio') ?? 0])));
  return Object.fromEntries(grown);
}

const others = (counts: Record<string, number>, except: string) =>
  Object.entries(counts).filter(([label, n]) => label !== except && n !== 0);

beforeAll(async () => {
  ({ hub, url } = await startHub());
  host = await join(CENTRE, 'host');
  cohost = await join('ban-cong-tac-phia-nam', 'cohost');
  techA = await join(A, 'technician');
  techB = await join(B, 'technician');
  displayA = await join(A, 'viewer');
  displayB = await join(B, 'viewer');
  everyone = [host, cohost, techA, techB, displayA, displayB];
  for (const p of everyone) await p.receive();
  await techA.publish({ audio: true, video: false });
  await techB.publish({ audio: true, video: false });
  await publishTalkback(host);
}, 60_000);

afterAll(async () => {
  talkback?.stop();
  talkbackSocket?.close();
  for (const p of everyone) await p.close();
  await hub?.close('test done');
});

describe('talkback', () => {
  it('off: nobody receives a point off the floor, nobody receives the talkback', async () => {
    const [fromA, fromCentre] = await Promise.all([audioFrom(A), audioFrom(CENTRE)]);
    expect(Object.entries(fromA).filter(([, n]) => n !== 0)).toEqual([]);
    expect(Object.entries(fromCentre).filter(([, n]) => n !== 0)).toEqual([]);
  });

  it('the host listens to A: the host alone receives A, and A is told (the others are not)', async () => {
    const told = techA.mark();
    const state = await host.call('talkback.listen', { pointId: A });
    expect(state).toEqual({ listeningTo: A, talkingTo: null });
    expect(await techA.waitForEvent('talkback.state', { since: told })).toEqual({ listeningTo: A, talkingTo: null });
    await sleep(SETTLE_MS);
    const fromA = await audioFrom(A);
    expect(fromA[host.label]).toBeGreaterThan(MIN_AUDIO);
    expect(others(fromA, host.label)).toEqual([]);
    expect(host.consumers({ purpose: 'talkback', pointId: A, open: true })).toHaveLength(1);
    expect(techB.eventsOf('talkback.state')).toEqual([]);
    expect(displayA.eventsOf('talkback.state')).toEqual([]);
  });

  it('the host talks to A: only A’s technician receives the talkback', async () => {
    const state = await host.call('talkback.talk', { pointId: A });
    expect(state).toEqual({ listeningTo: A, talkingTo: A });
    await sleep(SETTLE_MS);
    const fromCentre = await audioFrom(CENTRE);
    expect(fromCentre[techA.label]).toBeGreaterThan(MIN_AUDIO);
    expect(others(fromCentre, techA.label)).toEqual([]);
    // A co-host cannot talk back; a technician cannot publish a talkback producer.
    expect(await cohost.request('talkback.talk', { pointId: B })).toMatchObject({ ok: false, error: { reason: 'request.role' } });
    expect(await host.request('talkback.listen', { pointId: 'bac-ninh' })).toMatchObject({
      ok: false,
      error: { reason: 'talkback.point_absent' },
    });
  });

  it('moving to B: A is heard by nobody again, B by the host alone', async () => {
    await host.call('talkback.listen', { pointId: B });
    await sleep(SETTLE_MS);
    const [fromA, fromB] = await Promise.all([audioFrom(A), audioFrom(B)]);
    expect(Object.entries(fromA).filter(([, n]) => n !== 0)).toEqual([]);
    expect(fromB[host.label]).toBeGreaterThan(MIN_AUDIO);
    expect(others(fromB, host.label)).toEqual([]);
  });

  it('giving A the floor ends talking to A; giving B the floor ends listening to B', async () => {
    const told = host.mark();
    await host.call('floor.grant', { pointId: A, seconds: 600 });
    await host.waitForEvent('talkback.state', { since: told, predicate: (s) => s.talkingTo === null });
    await host.call('floor.grant', { pointId: B, seconds: 600 });
    await host.waitForEvent('talkback.state', { since: told, predicate: (s) => s.listeningTo === null });
    expect(await host.request('talkback.listen', { pointId: B })).toMatchObject({ ok: false, error: { reason: 'talkback.on_floor' } });
    await sleep(SETTLE_MS);
    const fromCentre = await audioFrom(CENTRE);
    expect(Object.entries(fromCentre).filter(([, n]) => n !== 0)).toEqual([]);
    expect(host.consumers({ purpose: 'talkback', open: true })).toEqual([]);
    const events = hub.db.all<{ action: string }>("SELECT action FROM events WHERE action LIKE 'talkback.%' ORDER BY seq");
    expect(events.map((e) => e.action)).toEqual([
      'talkback.listen',
      'talkback.talk',
      'talkback.listen',
      'talkback.talk',
      'talkback.listen',
    ]);
  });
});
