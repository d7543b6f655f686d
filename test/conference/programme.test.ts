// The programme over the real protocol, a real hub and a real database: layouts, the banner message and
// gains reach every session (room displays too) and survive a restart on the same data folder, with their
// event-log rows; screen sharing follows its rules at the hub (the host always; the speaking point's
// technician only while the host allows it), a point's screen reaches the displays as the stage's, and the
// hub closes it (telling the sharer) when the floor moves on, when the host stops it, or when sharing is
// switched off.
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/domain.ts';
import type { Hub } from '../../server/hub.ts';
import { tempDataDir } from '../../scripts/lib/data-dir.ts';
import { connect, type HubClient, must } from '../../scripts/lib/hub-client.ts';
import { newSrtpKey } from '../../scripts/lib/srtp.ts';
import { RecordStore } from '../../server/store/records.ts';
import { startHub } from '../helpers/test-hub.ts';

const CONF = 'dong-nai-tap-huan-bau-cu';
const CENTRE = 'tinh-dong-nai';
const BIEN_HOA = 'bien-hoa';
const LONG_KHANH = 'long-khanh';
const dataDir = tempDataDir();
const open: HubClient[] = [];
const sockets: Socket[] = [];
const hubs: Hub[] = [];

afterAll(async () => {
  for (const c of open) c.close();
  for (const s of sockets) s.close();
  for (const h of hubs) await h.close('test done');
});

async function start(): Promise<{ hub: Hub; url: string }> {
  const started = await startHub({ DIEMCAU_DATA_DIR: dataDir });
  hubs.push(started.hub);
  return started;
}

async function join(hub: Hub, url: string, role: Role, pointId: string): Promise<HubClient> {
  const { token } = await hub.credentials.issue({ conferenceId: CONF, pointId, role }, 600);
  const client = await connect(url, { token });
  open.push(client);
  return client;
}

/** A receiving plain transport, so that the hub offers this session its consumers. */
async function receive(client: HubClient, routerCaps: unknown): Promise<void> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  socket.on('message', () => {});
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  await must(client.request('media.setCapabilities', { rtpCapabilities: routerCaps as never }));
  const info = await must(client.request('media.createTransport', { direction: 'recv', type: 'plain' }));
  await must(
    client.request('media.connectTransport', {
      transportId: info.id,
      ip: '127.0.0.1',
      port: socket.address().port,
      srtpParameters: newSrtpKey(),
    }),
  );
}

/** Produces a VP8 'screen' (no packets are needed for the hub to offer it); resolves with the result. */
const sendTransports = new Map<HubClient, string>();
async function shareScreen(client: HubClient, ssrc: number) {
  let transportId = sendTransports.get(client);
  if (!transportId) {
    const info = await must(client.request('media.createTransport', { direction: 'send', type: 'plain' }));
    await must(client.request('media.connectTransport', { transportId: info.id, srtpParameters: newSrtpKey() }));
    transportId = info.id;
    sendTransports.set(client, transportId);
  }
  return client.request('media.produce', {
    transportId,
    kind: 'video',
    source: 'screen',
    rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }], encodings: [{ ssrc }], rtcp: { cname: 's' } },
  });
}

const screenOffer = (client: HubClient, since: number, pointId: string, purpose: string) =>
  client.waitForEvent('media.consumer', {
    since,
    predicate: (o) => o.source === 'screen' && o.pointId === pointId && o.purpose === purpose,
  });

describe('programme', () => {
  it('sends layout, message and gains to everyone and keeps them, with their log rows, across a restart', async () => {
    let { hub, url } = await start();
    let host = await join(hub, url, 'host', CENTRE);
    const display = await join(hub, url, 'viewer', BIEN_HOA);
    expect(host.welcome.conference.programme).toEqual({ layout: 'auto', message: '', pointSharing: false, gains: {} });

    const since = display.mark();
    const set = await must(host.request('programme.setLayout', { layout: 'banner', message: '  Tạm nghỉ 15 phút  ' }));
    expect(set).toMatchObject({ layout: 'banner', message: 'Tạm nghỉ 15 phút' });
    await display.waitForEvent('programme.updated', { since, predicate: (p) => p.layout === 'banner' && p.message === 'Tạm nghỉ 15 phút' });
    // The message stays when only the layout changes.
    expect(await must(host.request('programme.setLayout', { layout: 'slides' }))).toMatchObject({ message: 'Tạm nghỉ 15 phút' });
    await must(host.request('programme.setGain', { pointId: LONG_KHANH, gainDb: 6.04 }));
    await must(host.request('programme.setGain', { pointId: CENTRE, gainDb: -2 }));
    await must(host.request('programme.setGain', { pointId: BIEN_HOA, gainDb: 3 }));
    const last = await must(host.request('programme.setGain', { pointId: BIEN_HOA, gainDb: 0 }));
    expect(last.gains).toEqual({ [LONG_KHANH]: 6, [CENTRE]: -2 });

    // Bad input: typed refusals, nothing changed.
    expect(await host.request('programme.setGain', { pointId: 'khong-co', gainDb: 1 })).toMatchObject({
      ok: false,
      error: { reason: 'point.unknown' },
    });
    expect(await host.request('programme.setGain', { pointId: LONG_KHANH, gainDb: 40 })).toMatchObject({
      ok: false,
      error: { code: 'invalid' },
    });
    expect(await host.request('programme.setLayout', { layout: 'mosaic' as never })).toMatchObject({
      ok: false,
      error: { code: 'invalid' },
    });
    expect(await display.request('programme.setLayout', { layout: 'centre' })).toMatchObject({
      ok: false,
      error: { reason: 'request.role' },
    });

    const logged = new RecordStore(hub.db).events(CONF).filter((e) => e.action.startsWith('programme.'));
    expect(logged.map((e) => e.action)).toEqual(['programme.layout', 'programme.layout', ...Array(4).fill('programme.gain')]);

    await hub.close('restart');
    ({ hub, url } = await start());
    host = await join(hub, url, 'host', CENTRE);
    expect(host.welcome.conference.programme).toEqual({
      layout: 'slides',
      message: 'Tạm nghỉ 15 phút',
      pointSharing: false,
      gains: { [LONG_KHANH]: 6, [CENTRE]: -2 },
    });
  });

  it('lets the host share always and the speaking point only while allowed; closes screens when the floor moves on', async () => {
    const { hub, url } = await start();
    const host = await join(hub, url, 'host', CENTRE);
    const tech = await join(hub, url, 'technician', BIEN_HOA);
    const other = await join(hub, url, 'technician', LONG_KHANH);
    const display = await join(hub, url, 'viewer', LONG_KHANH);
    const secretary = await join(hub, url, 'secretary', BIEN_HOA);
    await receive(display, display.welcome.routerRtpCapabilities);
    await must(host.request('conference.setStatus', { status: 'live' }));
    await must(host.request('programme.allowSharing', { allowed: false }));

    // The host's screen is the programme's.
    let since = display.mark();
    expect(await shareScreen(host, 0x5c_0001)).toMatchObject({ ok: true });
    await screenOffer(display, since, CENTRE, 'programme');
    since = host.mark();
    expect(await must(host.request('programme.stopSharing', {}))).toEqual({ stopped: [CENTRE] });
    await host.waitForEvent('media.producerClosed', { since, predicate: (p) => p.source === 'screen' });
    expect(await host.request('programme.stopSharing', {})).toMatchObject({ ok: false, error: { reason: 'programme.nothing_shared' } });

    // A point off the floor, then on the floor but not allowed, then allowed.
    expect(await shareScreen(tech, 0x5c_0002)).toMatchObject({ ok: false, error: { reason: 'media.screen_not_on_floor' } });
    await must(host.request('floor.grant', { pointId: BIEN_HOA, seconds: 120 }));
    expect(await shareScreen(tech, 0x5c_0003)).toMatchObject({ ok: false, error: { reason: 'media.screen_sharing_off' } });
    expect(
      await secretary.request('media.produce', {
        transportId: 'x',
        kind: 'video',
        source: 'screen',
        rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }], encodings: [{ ssrc: 9 }] },
      }),
    ).toMatchObject({ ok: false, error: { reason: 'request.role' } });
    await must(host.request('programme.allowSharing', { allowed: true }));
    since = display.mark();
    expect(await shareScreen(tech, 0x5c_0004)).toMatchObject({ ok: true });
    const offer = await screenOffer(display, since, BIEN_HOA, 'stage');

    // The floor moves on: the hub closes the former speaker's screen and tells it.
    since = tech.mark();
    const displaySince = display.mark();
    await must(host.request('floor.grant', { pointId: LONG_KHANH, seconds: 120 }));
    await tech.waitForEvent('media.producerClosed', { since, predicate: (p) => p.source === 'screen' });
    await display.waitForEvent('media.consumerClosed', { since: displaySince, predicate: (c) => c.consumerId === offer.consumerId });

    // The new speaker shares; switching sharing off closes it.
    expect(await shareScreen(other, 0x5c_0005)).toMatchObject({ ok: true });
    since = other.mark();
    await must(host.request('programme.allowSharing', { allowed: false }));
    await other.waitForEvent('media.producerClosed', { since, predicate: (p) => p.source === 'screen' });
    const actions = new RecordStore(hub.db)
      .events(CONF)
      .map((e) => e.action)
      .filter((a) => a.startsWith('programme.'));
    // This test's rows: after the first test's layouts and gains (same database).
    expect(actions.slice(6)).toEqual(['programme.sharing', 'programme.stop_sharing', 'programme.sharing', 'programme.sharing']);
  });
});
