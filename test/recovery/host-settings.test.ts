// Every setting the host makes survives a hub killed with SIGKILL and started again on the same data folder,
// as a user finds it: the conference looks the same to a room display that joins afterwards (status,
// floor and queue, host mutes, agenda), the host's records are the same (questions in every state, roll
// call with its confirmation, attendance, readiness), and a point muted by the host while it held the floor
// stays muted: once it publishes again (real Opus + VP8 over SRTP), its video reaches the others and not
// one packet of its audio does, until the host unmutes it.
import { afterAll, describe, expect, it } from 'vitest';
import type { ConferenceView, Role } from '../../shared/domain.ts';
import { CredentialIssuer } from '../../server/auth/credentials.ts';
import { Database } from '../../server/store/db.ts';
import { tempDataDir } from '../../scripts/lib/data-dir.ts';
import { growth } from '../../scripts/lib/headless/growth.ts';
import { HeadlessPoint } from '../../scripts/lib/headless/point.ts';
import { connect } from '../../scripts/lib/hub-client.ts';
import { hubPort, spawnHub, type HubProcess } from '../../scripts/lib/hub-process.ts';
import { sleep, waitFor } from '../helpers/wait.ts';

const CONF = 'dong-nai-tap-huan-bau-cu';
const CENTRE = 'tinh-dong-nai';
/** Holds the floor, publishes, and is muted (audio) by the host while it speaks. */
const SPEAKER = 'long-khanh';
/** First in the queue: confirms the roll call, reports attendance and readiness, writes questions. */
const FIRST = 'xuan-loc';
/** Second in the queue, its video muted by the host. */
const SECOND = 'bien-hoa';
/** A room display elsewhere, counting what reaches it. */
const DISPLAY_AT = 'cam-my';
const AGENDA_ITEM = 'giai-dap';
const WINDOW_MS = 2000;
/** Packets already on their way when a setting changes. */
const SETTLE_MS = 500;
// In a 2 s window: ~100 audio packets (20 ms) and ~33 per video layer (60 ms); generous floors on 2 cores.
const MIN_AUDIO = 25;
const MIN_VIDEO = 10;

const dataDir = tempDataDir();
const hubs: HubProcess[] = [];
const points: HeadlessPoint[] = [];

afterAll(async () => {
  await Promise.all(points.map((p) => p.close()));
  for (const h of hubs) if (h.child.exitCode === null) h.child.kill('SIGKILL');
});

async function start(port = 0): Promise<number> {
  const hub = spawnHub({ DIEMCAU_DATA_DIR: dataDir, DIEMCAU_WORKERS: '1', DIEMCAU_LISTEN_IP: '127.0.0.1', DIEMCAU_PORT: String(port) });
  hubs.push(hub);
  return hubPort(hub);
}

/** The conference as a room display joining now sees it, without what lives only while connected. */
async function settings(url: string, token: string): Promise<ConferenceView> {
  const probe = await connect(url, { token }, { joinTimeoutMs: 10_000 });
  probe.close();
  const { points: views, ...rest } = probe.welcome.conference;
  const live = { connection: 'never', connectionSince: null, publishing: { audio: false, video: false } } as const;
  return { ...rest, points: views.map((p) => ({ ...p, ...live })) };
}

/** Audio and video packets from SPEAKER arriving at `display` over a window. */
async function fromSpeaker(display: HeadlessPoint): Promise<{ audio: number; video: number }> {
  const count = (what: 'audio' | 'video') => (): number => display.receiver?.fromOrigin(SPEAKER, what) ?? 0;
  const grown = await growth(
    WINDOW_MS,
    new Map([
      ['audio', count('audio')],
      ['video', count('video')],
    ] as const),
  );
  return { audio: grown.get('audio') ?? 0, video: grown.get('video') ?? 0 };
}

const onStage = (display: HeadlessPoint, kind: 'audio' | 'video'): boolean =>
  display.consumers({ purpose: 'stage', pointId: SPEAKER, kind, open: true }).length > 0;

describe('host settings across a hub killed and started again', () => {
  it('come back identical, and a point muted on the floor stays silent after it publishes again', async () => {
    const port = await start();
    const url = `http://127.0.0.1:${port}`;
    const db = new Database(dataDir);
    const issuer = new CredentialIssuer(db, 'auto');
    const token = async (pointId: string, role: Role): Promise<string> =>
      (await issuer.issue({ conferenceId: CONF, pointId, role }, 3600)).token;
    const join = async (pointId: string, role: Role): Promise<HeadlessPoint> => {
      const options = { label: `${pointId}/${role}`, reconnect: true, maxSendMs: 90_000 };
      const point = await HeadlessPoint.join(url, await token(pointId, role), options);
      points.push(point);
      return point;
    };
    const host = await join(CENTRE, 'host');
    const speaker = await join(SPEAKER, 'technician');
    const first = await join(FIRST, 'technician');
    const second = await join(SECOND, 'technician');
    const display = await join(DISPLAY_AT, 'viewer');
    const probeToken = await token(CENTRE, 'viewer');
    db.close();

    // Every setting the host makes, and what the points report.
    await host.call('conference.setStatus', { status: 'live' });
    await speaker.publish({ audio: true, video: true });
    await display.receive();
    await first.call('floor.request', { note: 'Xin hỏi về danh sách cử tri' });
    await second.call('floor.request', { note: '' });
    await host.call('floor.grant', { pointId: SPEAKER, seconds: 600 });
    await waitFor(() => onStage(display, 'audio') && onStage(display, 'video'), "the speaker on the display's stage", 10_000);
    await sleep(SETTLE_MS);
    expect((await fromSpeaker(display)).audio, 'the speaker heard before the mute').toBeGreaterThan(MIN_AUDIO);
    await host.call('point.mute', { pointId: SPEAKER, kind: 'audio', muted: true });
    await host.call('point.mute', { pointId: SECOND, kind: 'video', muted: true });
    await sleep(SETTLE_MS);
    expect((await fromSpeaker(display)).audio, 'the speaker heard while muted, before the kill').toBe(0);
    await host.call('agenda.goto', { itemId: AGENDA_ITEM });
    await host.call('programme.setLayout', { layout: 'banner', message: 'Tạm nghỉ 10 phút' });
    await host.call('programme.allowSharing', { allowed: true });
    await host.call('programme.setGain', { pointId: SPEAKER, gainDb: 4.5 });
    await host.call('programme.setGain', { pointId: CENTRE, gainDb: -3 });
    await host.call('rollcall.start', { seconds: 600 });
    await first.call('rollcall.confirm', {});
    await first.call('attendance.report', { present: 21, groups: { 'Đại biểu': 12 } });
    const good = { bitrateKbps: 900, lossPercent: 0, jitterMs: 4, roundTripMs: 30 };
    await first.call('readiness.report', { signallingRoundTripMs: 20, send: good, receive: good, microphoneLevelDb: -25 });
    const ask = (p: HeadlessPoint, text: string) => p.call('question.submit', { asker: 'Tổ bầu cử số 3', category: 'Khác', text });
    const [submitted, queued, answering, answered, dismissed] = [
      await ask(first, 'Danh sách cử tri niêm yết ở đâu?'),
      await ask(second, 'Phiếu hỏng xử lý thế nào?'),
      await ask(first, 'Ai ký biên bản kiểm phiếu?'),
      await ask(second, 'Khi nào có kết quả?'),
      await ask(first, 'Câu hỏi trùng'),
    ];
    await host.call('question.accept', { questionId: queued.id });
    await host.call('question.answering', { questionId: answering.id, giveFloor: false });
    await host.call('question.answered', { questionId: answered.id, mode: 'written', answer: 'Trong ngày.' });
    await host.call('question.dismiss', { questionId: dismissed.id, reason: 'trùng' });
    const before = { conference: await settings(url, probeToken), records: await host.call('records.snapshot', {}) };
    expect(before.conference.floor).toMatchObject({ pointId: SPEAKER, queue: [{ pointId: FIRST }, { pointId: SECOND }] });
    expect(before.conference.points.find((p) => p.id === SPEAKER)?.mutedByHost).toEqual({ audio: true, video: false });
    expect(before.conference.programme).toEqual({
      layout: 'banner',
      message: 'Tạm nghỉ 10 phút',
      pointSharing: true,
      gains: { [SPEAKER]: 4.5, [CENTRE]: -3 },
    });
    expect(before.records.questions.map((q) => q.status).sort()).toEqual(['answered', 'answering', 'dismissed', 'queued', 'submitted']);
    expect(before.records.questions.find((q) => q.id === submitted.id)?.status).toBe('submitted');
    const welcomes = points.map((p) => p.welcomes.length);

    hubs[0]?.child.kill('SIGKILL');
    await hubs[0]?.exited;
    await start(port);
    await waitFor(() => points.every((p, i) => p.welcomes.length > (welcomes[i] ?? 0)), 'every point welcomed again', 30_000);

    // Every view is as it was.
    expect(await settings(url, probeToken)).toEqual(before.conference);
    expect(host.welcome.conference.points.find((p) => p.id === SPEAKER)?.mutedByHost).toEqual({ audio: true, video: false });
    expect(await host.call('records.snapshot', {})).toEqual(before.records);

    // The muted speaker publishes again by itself: its camera reaches the display, its microphone does not.
    await waitFor(() => speaker.rebuilds.at(-1)?.doneAt !== undefined, 'the speaker publishing again', 20_000);
    await waitFor(() => display.rebuilds.at(-1)?.doneAt !== undefined, 'the display receiving again', 20_000);
    await waitFor(() => onStage(display, 'audio') && onStage(display, 'video'), 'the speaker on the stage again', 10_000);
    await sleep(SETTLE_MS);
    const muted = await fromSpeaker(display);
    expect(muted.audio, 'audio packets of the muted speaker after the restart').toBe(0);
    expect(muted.video, 'video packets of the muted speaker after the restart').toBeGreaterThan(MIN_VIDEO);

    // The host unmutes it: its audio arrives.
    await host.call('point.mute', { pointId: SPEAKER, kind: 'audio', muted: false });
    await sleep(SETTLE_MS);
    expect((await fromSpeaker(display)).audio, 'audio packets of the speaker after the unmute').toBeGreaterThan(MIN_AUDIO);
    for (const p of points) expect(p.errors, p.label).toEqual([]);
  }, 120_000);
});
