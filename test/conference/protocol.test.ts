// The protocol boundary with real socket.io connections to a real hub: who may do what (every request
// × every role), joining with tokens and codes, and hostile input that must get typed errors and change
// nothing.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Role } from '../../shared/domain.ts';
import { requests, type RequestName } from '../../shared/protocol.ts';
import type { Hub } from '../../server/hub.ts';
import { connect, JoinRefused, nextEvent, type HubClient as SignalClient } from '../../scripts/lib/hub-client.ts';

import { MTTQ_CONFERENCE, MTTQ_POINT_FOR_ROLE } from '../helpers/demo-points.ts';
import { startHub } from '../helpers/test-hub.ts';

const CONF = MTTQ_CONFERENCE;
const POINT_AT = MTTQ_POINT_FOR_ROLE;
const ROLES = Object.keys(POINT_AT) as Role[];

let hub: Hub;
let url: string;
const open: SignalClient[] = [];

beforeAll(async () => {
  ({ hub, url } = await startHub({ DIEMCAU_REQUESTS_PER_SECOND: '200', DIEMCAU_MAX_MESSAGE_BYTES: '65536' }));
});

afterAll(async () => {
  for (const c of open) c.close();
  await hub?.close('test done');
});

async function join(role: Role, pointId = POINT_AT[role], conferenceId = CONF): Promise<SignalClient> {
  const { token } = await hub.credentials.issue({ conferenceId, pointId, role }, 600);
  const client = await connect(url, { token });
  open.push(client);
  return client;
}

/** Back to the centre with an empty queue, whatever the last case did. */
function resetFloor(): void {
  const conference = hub.conferences.get(CONF);
  if (!conference) return;
  const floor = conference.view().floor;
  if (floor.pointId) conference.floor.revoke(null);
  for (const request of floor.queue) conference.floor.drop(request.pointId, null);
}

/** A valid payload for each request, aimed at things that may or may not exist. */
const SAMPLE: { [K in RequestName]: unknown } = {
  'media.setCapabilities': { rtpCapabilities: { codecs: [], headerExtensions: [] } },
  'media.createTransport': { direction: 'recv', type: 'plain' },
  'media.connectTransport': { transportId: 'nope', srtpParameters: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: 'AAAA' } },
  'media.produce': {
    transportId: 'nope',
    kind: 'audio',
    source: 'microphone',
    rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: 1 }] },
  },
  'media.resumeConsumer': { consumerId: 'nope' },
  'media.closeProducer': { source: 'screen' },
  'programme.setLayout': { layout: 'slides' },
  'programme.setGain': { pointId: 'nope', gainDb: 3 },
  'programme.allowSharing': { allowed: true },
  'programme.stopSharing': {},
  'media.reportLevel': { volume: -30 },
  'media.restartIce': { transportId: 'nope' },
  'media.rebuild': {},
  'floor.request': { note: 'Xin phát biểu' },
  'floor.cancel': {},
  'floor.grant': { pointId: 'ha-noi', seconds: 60 },
  'floor.revoke': {},
  'floor.extend': { seconds: 10 },
  'floor.reorder': { pointId: 'ha-noi', position: 0 },
  'floor.drop': { pointId: 'ha-noi' },
  'point.mute': { pointId: 'ha-noi', kind: 'audio', muted: false },
  'credentials.issue': { pointId: 'ha-noi', role: 'viewer' },
  'credentials.reissue': { pointId: 'hai-phong', role: 'viewer' },
  'credentials.revoke': { pointId: 'hai-phong', role: 'viewer' },
  'credentials.list': {},
  'credentials.issueAll': { roles: ['viewer'], ttlSeconds: 600 },
  'conference.setStatus': { status: 'scheduled' },
  'question.submit': { asker: 'Tổ thư ký', unit: 'Ủy ban MTTQ', category: 'Khác', text: 'Câu hỏi thử' },
  'question.edit': { questionId: 'nope', text: 'sửa' },
  'question.list': {},
  'question.stats': {},
  'question.accept': { questionId: 'nope' },
  'question.reorder': { questionId: 'nope', position: 1 },
  'question.categorise': { questionId: 'nope', category: 'Khác' },
  'question.merge': { questionId: 'nope', intoId: 'nope2' },
  'question.answering': { questionId: 'nope' },
  'question.answered': { questionId: 'nope', mode: 'live' },
  'question.dismiss': { questionId: 'nope', reason: 'trùng' },
  'attendance.report': { present: 25 },
  'rollcall.start': { seconds: 10 },
  'rollcall.confirm': {},
  'readiness.ping': { sentAt: 1 },
  'readiness.report': {
    signallingRoundTripMs: 20,
    send: { bitrateKbps: 800, lossPercent: 0, jitterMs: 5, roundTripMs: 20 },
    receive: { bitrateKbps: 1500, lossPercent: 0, jitterMs: 5, roundTripMs: 20 },
    microphoneLevelDb: -30,
  },
  'agenda.goto': { itemId: 'khai-mac' },
  'records.snapshot': {},
  'wall.visible': { pointIds: ['bien-hoa'] },
  'backchannel.send': { pointId: null, text: 'Kiểm tra tiếng' },
  'backchannel.confirmHeard': { pointId: 'bien-hoa' },
  'backchannel.snapshot': {},
  'backchannel.markRead': { pointId: MTTQ_POINT_FOR_ROLE.technician },
  'talkback.listen': { pointId: null },
  'talkback.talk': { pointId: null },
  'media.requestKeyFrame': { consumerId: 'nope' },
  'recording.view': {},
  'recording.stop': {},
  'recording.start': {},
  'recording.setAutoStart': { enabled: false },
  'recording.addOutput': { url: 'rtmp://127.0.0.1:1/live/nope', label: 'Đài PT-TH' },
  'recording.setOutput': { outputId: 'nope', enabled: false },
  'recording.removeOutput': { outputId: 'nope' },
  'recording.setPress': { enabled: false },
  'recording.deleteFile': { fileId: 'nope' },
  'recording.chapters': {},
  'recording.clip': { fileId: 'nope', fromMs: 0, toMs: 1000 },
  'recorder.report': { state: 'starting', segment: 0, segmentStartedAt: null, writtenMs: 0, fps: 0, hls: false, outputs: [] },
};

describe('every request × every role', () => {
  const cases = (Object.keys(requests) as RequestName[]).flatMap((name) => ROLES.map((role) => [name, role] as const));

  it.each(cases)('%s as %s: forbidden exactly when the protocol table says so', async (name, role) => {
    const client = await join(role);
    try {
      const result = (await client.raw(name, SAMPLE[name])) as { ok: boolean; error?: { code: string } };
      const allowed = (requests[name].roles as readonly string[]).includes(role);
      if (allowed) expect(result.ok ? 'ok' : result.error?.code).not.toBe('forbidden');
      else
        expect(result).toEqual({
          ok: false,
          error: { code: 'forbidden', reason: 'request.role', params: { request: name, role }, message: expect.any(String) },
        });
    } finally {
      client.close();
      resetFloor();
    }
  });

  it.each(['secretary', 'viewer'] as const)('a %s never gets a sending transport', async (role) => {
    const client = await join(role);
    const result = await client.request('media.createTransport', { direction: 'send', type: 'webrtc' });
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    client.close();
  });

  it('a technician acts only for its own point: its floor request is for its point', async () => {
    const tech = await join('technician', 'ha-giang');
    const result = await tech.request('floor.request', { note: 'Câu hỏi về danh sách cử tri' });
    expect(result).toMatchObject({ ok: true, data: { position: expect.any(Number) } });
    const queue = hub.conferences.get(CONF)?.view().floor.queue ?? [];
    expect(queue.map((q) => q.pointId)).toContain('ha-giang');
    expect(await tech.request('floor.cancel', {})).toEqual({ ok: true, data: {} });
    tech.close();
  });
});

describe('joining', () => {
  it('refuses a missing, tampered or expired token and an unknown code, with typed errors', async () => {
    await expect(connect(url, {})).rejects.toMatchObject({ code: 'unauthenticated' });
    const { token } = await hub.credentials.issue({ conferenceId: CONF, pointId: 'ha-noi', role: 'technician' }, 600);
    const [h, p, s] = token.split('.');
    const forged = JSON.stringify({ ...JSON.parse(Buffer.from(p as string, 'base64url').toString()), role: 'host' });
    await expect(connect(url, { token: `${h}.${Buffer.from(forged).toString('base64url')}.${s}` })).rejects.toMatchObject({
      code: 'unauthenticated',
      message: 'invalid token',
    });
    const expired = await hub.credentials.issue({ conferenceId: CONF, pointId: 'ha-noi', role: 'technician' }, -5);
    await expect(connect(url, { token: expired.token })).rejects.toMatchObject({ code: 'unauthenticated', message: 'token expired' });
    await expect(connect(url, { code: 'ZZZZ-ZZZZ' })).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('accepts a join code typed loosely, bound to its point and role', async () => {
    const { code } = await hub.credentials.issue({ conferenceId: CONF, pointId: 'thua-thien-hue', role: 'viewer' }, 600);
    const client = await connect(url, { code: ` ${code.toLowerCase().replace('-', ' ')} ` });
    open.push(client);
    expect(client.welcome.self).toMatchObject({ conferenceId: CONF, pointId: 'thua-thien-hue', role: 'viewer' });
    expect(client.welcome.conference.points).toHaveLength(66);
  });

  it('refuses a role at a point where it does not belong', async () => {
    await expect(join('technician', 'trung-uong')).rejects.toBeInstanceOf(JoinRefused);
    await expect(join('host', 'ha-noi')).rejects.toMatchObject({ code: 'forbidden' });
    const host = await join('host');
    expect(await host.request('credentials.issue', { pointId: 'ha-noi', role: 'host', ttlSeconds: 600 })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    host.close();
  });

  it('lets a second technician connection take over and tells the first why', async () => {
    const first = await join('technician', 'lao-cai');
    const ended = nextEvent(first, 'session.ended');
    const second = await join('technician', 'lao-cai');
    expect(await ended).toMatchObject({ reason: 'replaced' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(first.socket.connected).toBe(false);
    expect(second.socket.connected).toBe(true);
    const point = hub.conferences.get(CONF)?.pointView('lao-cai');
    expect(point?.connection).toBe('connected');
  });

  it('admits any number of viewers at one point', async () => {
    const viewers = await Promise.all([1, 2, 3, 4].map(() => join('viewer', 'ca-mau')));
    for (const v of viewers) expect(v.socket.connected).toBe(true);
  });
});

describe('hostile input', () => {
  it('answers malformed, unknown and oversized requests with typed errors and changes nothing', async () => {
    const conference = hub.conferences.get(CONF);
    const tech = await join('technician', 'tay-ninh');
    const host = await join('host');
    const before = JSON.stringify(conference?.view().floor);
    const invalid = {
      ok: false,
      error: { code: 'invalid', reason: expect.any(String), params: expect.any(Object), message: expect.any(String) },
    };

    for (const payload of [
      'floor',
      42,
      null,
      [1, 2],
      { note: 7 },
      { note: 'x'.repeat(501) },
      { note: 'ok', extra: true },
      JSON.parse('{"__proto__": {"polluted": true}, "note": "x"}'),
    ]) {
      expect(await tech.raw('floor.request', payload)).toEqual(invalid);
    }
    // Odd unicode is still just text: accepted as a note (never rendered as HTML), then withdrawn. NUL is
    // dropped and a lone surrogate becomes U+FFFD at the boundary, so what is stored reads back the same.
    expect(await tech.raw('floor.request', { note: '\u0000\uFFFF\uD800<b>x</b>' })).toMatchObject({ ok: true });
    expect(conference?.view().floor.queue[0]?.note).toBe('\uFFFF\uFFFD<b>x</b>');
    expect(await tech.request('floor.cancel', {})).toEqual({ ok: true, data: {} });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await host.raw('floor.grant', { pointId: 'x'.repeat(65) })).toEqual(invalid);
    expect(await host.raw('floor.grant', { pointId: 'khong-co' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await host.raw('point.mute', { pointId: 'tay-ninh', kind: 'smell', muted: true })).toEqual(invalid);
    expect(await host.raw('no.such.request', {})).toEqual({
      ok: false,
      error: {
        code: 'invalid',
        reason: 'request.unknown',
        params: { request: 'no.such.request' },
        message: 'unknown request no.such.request',
      },
    });
    expect(
      await host.raw('media.produce', { transportId: 'x', kind: 'audio', source: 'microphone', rtpParameters: { codecs: [] } }),
    ).toEqual(invalid);
    // A request with no acknowledgement is ignored.
    (tech.socket.emit as (...a: unknown[]) => void)('floor.request', { note: 'no ack' });

    // Larger than the transport accepts: the connection is closed, nothing is applied.
    const closed = new Promise((resolve) => tech.socket.once('disconnect', resolve));
    (tech.socket.emit as (...a: unknown[]) => void)('floor.request', { note: 'y'.repeat(200_000) }, () => undefined);
    await closed;

    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(JSON.stringify(conference?.view().floor)).toBe(before);
    expect(conference?.pointView('tay-ninh').mutedByHost).toEqual({ audio: false, video: false });
  });

  it('rate-limits a flood of requests from one point', async () => {
    const tech = await join('technician', 'son-la');
    const results = (await Promise.all(Array.from({ length: 400 }, () => tech.raw('floor.cancel', {})))) as Array<{
      ok: boolean;
      error?: { code: string };
    }>;
    const codes = new Set(results.map((r) => (r.ok ? 'ok' : r.error?.code)));
    expect(codes.has('rate_limited')).toBe(true);
    expect(codes.has('not_found')).toBe(true);
  });
});
