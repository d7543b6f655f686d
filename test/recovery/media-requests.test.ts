// The two requests a client recovers its media with: media.restartIce (new ICE credentials for one of
// its own WebRTC transports, nobody else's) and media.rebuild (the hub drops the session's media and
// answers with media.restart; a headless point builds it again and its packets flow again).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../server/hub.ts';
import { HeadlessPoint } from '../../scripts/lib/headless/point.ts';
import { connect, must, type HubClient as SignalClient } from '../../scripts/lib/hub-client.ts';
import { startHub } from '../helpers/test-hub.ts';
import { waitFor } from '../helpers/wait.ts';

const CONF = 'dong-nai-tap-huan-bau-cu';
let hub: Hub;
let url: string;
const clients: SignalClient[] = [];
const points: HeadlessPoint[] = [];

beforeAll(async () => {
  ({ hub, url } = await startHub());
});

afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all(points.map((p) => p.close()));
  await hub?.close('test over');
});

async function client(pointId: string, role: 'technician' | 'viewer'): Promise<SignalClient> {
  const { token } = await hub.credentials.issue({ conferenceId: CONF, pointId, role }, 600);
  const c = await connect(url, { token });
  clients.push(c);
  return c;
}

describe('media recovery requests', () => {
  it("media.restartIce gives new ICE credentials for the session's own WebRTC transport only", async () => {
    const a = await client('bien-hoa', 'viewer');
    const b = await client('long-khanh', 'viewer');
    const info = await must(a.request('media.createTransport', { direction: 'recv', type: 'webrtc' }));
    if (info.type !== 'webrtc') throw new Error('expected a WebRTC transport');
    const { iceParameters } = await must(a.request('media.restartIce', { transportId: info.id }));
    expect(iceParameters.usernameFragment).not.toBe(info.iceParameters.usernameFragment);
    expect(iceParameters.password).not.toBe(info.iceParameters.password);
    // Another session's transport is not found from here.
    const foreign = await b.request('media.restartIce', { transportId: info.id });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // Plain transports have no ICE.
    const plain = await must(b.request('media.createTransport', { direction: 'recv', type: 'plain' }));
    expect(await b.request('media.restartIce', { transportId: plain.id })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await b.request('media.restartIce', { transportId: 'x'.repeat(65) } as never)).toMatchObject({
      ok: false,
      error: { code: 'invalid' },
    });
  });

  it('media.rebuild: the hub drops the media, says media.restart, and the point publishes and receives again', async () => {
    const join = async (pointId: string, role: 'host' | 'technician') => {
      const { token } = await hub.credentials.issue({ conferenceId: CONF, pointId, role }, 600);
      const p = await HeadlessPoint.join(url, token, { label: `${pointId}/${role}` });
      points.push(p);
      return p;
    };
    const host = await join('tinh-dong-nai', 'host');
    const point = await join('xuan-loc', 'technician');
    await host.publish();
    await point.publish();
    await Promise.all([host.receive(), point.receive()]);
    await waitFor(() => (point.receiver?.fromOrigin('tinh-dong-nai', 'video') ?? 0) > 20, 'the programme at the point');
    await waitFor(() => (host.receiver?.fromOrigin('xuan-loc', 'video') ?? 0) > 5, "the point's camera on the host's wall");
    const oldCamera = point.producers.camera;
    const since = point.mark();

    await point.call('media.rebuild', {});
    expect((await point.waitForEvent('media.restart', { since })).reason).toBe('requested');
    await waitFor(() => point.rebuilds.at(-1)?.doneAt !== undefined, 'the rebuild', 10_000);
    expect(point.producers.camera).toBeDefined();
    expect(point.producers.camera).not.toBe(oldCamera);
    const programme = point.receiver?.fromOrigin('tinh-dong-nai', 'video') ?? 0;
    const wall = host.receiver?.fromOrigin('xuan-loc', 'video') ?? 0;
    await waitFor(() => (point.receiver?.fromOrigin('tinh-dong-nai', 'video') ?? 0) > programme + 10, 'the programme again', 10_000);
    await waitFor(() => (host.receiver?.fromOrigin('xuan-loc', 'video') ?? 0) > wall + 5, "the point's camera again", 10_000);
    // The host was not touched.
    expect(host.eventsOf('media.restart')).toEqual([]);
    expect([...point.errors, ...host.errors]).toEqual([]);
  });
});
