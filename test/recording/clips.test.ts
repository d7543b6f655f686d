// Clips for television, with Debian's ffmpeg: a programme file as the recorder writes it (fragmented MP4,
// H.264 with a key frame every 2 s, AAC) cut without re-encoding: the clip starts at the key frame at or
// before the asked start (at most 2 s early, never late), ends where asked, keeps both streams and the very
// packets of the source. Then the hub's path: the host lists the chapters and cuts a chapter and a range
// through the protocol; the clip is listed open, then closed with its duration and SHA-256; what cannot be
// cut is refused with its reason, and only the host may cut.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingView } from '../../shared/recording.ts';
import type { Hub } from '../../server/hub.ts';
import { cutClip } from '../../server/recording/clips.ts';
import { ConferenceStore } from '../../server/store/conferences.ts';
import { connect, type HubClient } from '../../scripts/lib/hub-client.ts';
import { tempDataDir } from '../../scripts/lib/data-dir.ts';
import { codecParams, makeProgrammeFile, probe, type Probed, seedRecording, smallConference } from '../helpers/programme-file.ts';
import { startHub } from '../helpers/test-hub.ts';
import { sleep } from '../helpers/wait.ts';

const dir = tempDataDir();
const source = join(dir, 'nguon.mp4');
let sourceProbe: Probed;

beforeAll(async () => {
  await makeProgrammeFile(source, 12);
  sourceProbe = await probe(source);
}, 60_000);

/** Where the clip's first video packet was in the source (ms), checking every packet is the source's, in order. */
function placeInSource(clip: Probed): number {
  const first = clip.video[0];
  const at = sourceProbe.video.findIndex((p) => p.hash === first?.hash);
  expect(at, 'the first packet of the clip is one of the source').toBeGreaterThanOrEqual(0);
  expect(clip.video.map((p) => p.hash)).toEqual(sourceProbe.video.slice(at, at + clip.video.length).map((p) => p.hash));
  return sourceProbe.video[at]?.ms ?? -1;
}

describe('cutClip', () => {
  it('the source has a key frame every 2 s', () => {
    const keys = sourceProbe.video.filter((p) => p.key).map((p) => p.ms);
    expect(keys.length).toBe(6);
    // The first gap is a frame's fraction longer: AAC's priming samples shift the video after its first frame.
    for (let i = 1; i < keys.length; i += 1) expect(Math.abs((keys[i] ?? 0) - (keys[i - 1] ?? 0) - 2000)).toBeLessThanOrEqual(30);
  });

  it.each([
    [3_000, 7_000],
    [4_500, 9_000],
    [0, 5_000],
    [10_100, 11_900],
  ])('cuts %i–%i ms: starts at most 2 s early, never late, ends where asked, both streams, no re-encoding', async (fromMs, toMs) => {
    const target = join(dir, 'doan', `${fromMs}-${toMs}.mp4`);
    const started = performance.now();
    await cutClip(source, target, fromMs, toMs);
    const tookMs = performance.now() - started;
    const clip = await probe(target);
    expect(clip.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    expect(codecParams(clip)).toEqual(codecParams(sourceProbe));
    const start = placeInSource(clip);
    expect(clip.video[0]?.key).toBe(true);
    expect(start).toBeLessThanOrEqual(fromMs);
    expect(fromMs - start).toBeLessThanOrEqual(2_000);
    // The clip runs from its key frame to the asked end (one frame and the audio's last packet of slack).
    const expected = toMs - start;
    expect(clip.durationMs).toBeGreaterThanOrEqual(expected - 60);
    expect(clip.durationMs).toBeLessThanOrEqual(expected + 80);
    // Copying packets is quick: far less than encoding would take.
    expect(tookMs).toBeLessThan(5_000);
    expect(statSync(target).size).toBeLessThan(statSync(source).size);
  });

  it("an unreadable source rejects with ffmpeg's words", async () => {
    await expect(cutClip(join(dir, 'khong-co.mp4'), join(dir, 'doan', 'x.mp4'), 0, 1000)).rejects.toThrow(/ffmpeg cut ended with/);
  });
});

const CONF = 'cat-doan';
const spec = smallConference(CONF, 'Tập huấn cắt đoạn');

describe('clips through the hub', () => {
  let hub: Hub;
  let url: string;
  let host: HubClient;
  let cohost: HubClient;
  let fileId: string;
  const clients: HubClient[] = [];

  const join_ = async (pointId: string, role: 'host' | 'cohost' | 'technician'): Promise<HubClient> => {
    const { token } = await hub.credentials.issue({ conferenceId: CONF, pointId, role }, 600);
    const client = await connect(url, { token });
    clients.push(client);
    return client;
  };

  async function untilClosed(name: RegExp): Promise<RecordingView['files'][number]> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const clip = (await host.call('recording.view', {})).files.find((f) => f.kind === 'clip' && name.test(f.name));
      if (clip && !clip.open && clip.sha256 !== null) return clip;
      if (Date.now() > deadline) throw new Error(`clip ${name} not closed: ${JSON.stringify(clip)}`);
      await sleep(100);
    }
  }

  beforeAll(async () => {
    ({ hub, url } = await startHub({ DIEMCAU_DEMO: 'false' }));
    new ConferenceStore(hub.db).insert(spec);
    // Before anything opens the conference's recording part, which reads its files once.
    fileId = (await seedRecording(hub.db, hub.recording.root, CONF, source, 'huyen')).file.id;
    host = await join_('tinh', 'host');
    cohost = await join_('phia-nam', 'cohost');
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) c.socket.disconnect();
    await hub?.close('test over');
  }, 30_000);

  it('the chapters are the turns in the file, in ms from its start; a co-host sees them too', async () => {
    const { chapters } = await host.call('recording.chapters', {});
    expect(chapters.map((c) => [c.kind, c.title, c.fileId, c.startMs, c.endMs])).toEqual([
      ['turn', 'Điểm cầu huyện', fileId, 3_000, 8_000],
      ['turn', 'Điểm cầu huyện', fileId, 9_500, sourceProbe.durationMs],
    ]);
    expect((await cohost.call('recording.chapters', {})).chapters).toEqual(chapters);
  });

  it('a chapter becomes a clip: listed open at once, then closed with its duration and SHA-256', async () => {
    const [chapter] = (await host.call('recording.chapters', {})).chapters;
    const view = await host.call('recording.clip', { chapterId: chapter?.id ?? '' });
    const listed = view.files.find((f) => f.kind === 'clip');
    expect(listed).toMatchObject({ open: true, sha256: null, name: 'Điểm-cầu-huyện-000003-000008.mp4', segment: 0 });
    const clip = await untilClosed(/^Điểm-cầu-huyện-000003/);
    const onDisk = readFileSync(join(hub.recording.root, CONF, 'clips', clip.name));
    expect(clip.sha256).toBe(createHash('sha256').update(onDisk).digest('hex'));
    expect(clip.bytes).toBe(onDisk.length);
    // From the key frame at or before 3 s (2 s) to 8 s.
    expect(clip.durationMs).toBeGreaterThanOrEqual(5_000);
    expect(clip.durationMs).toBeLessThanOrEqual(6_100);
    expect(host.events.some((e) => e.name === 'recording.updated')).toBe(true);
  });

  it('a range becomes a clip under the name given; the log says who cut what', async () => {
    await host.call('recording.clip', { fileId, fromMs: 6_000, toMs: 10_000, name: 'Phát biểu: huyện / xã' });
    const clip = await untilClosed(/^Phát-biểu-huyện-xã-000006-000010\.mp4$/);
    // From the key frame at or before 6 s (at most 2 s earlier) to 10 s.
    expect(clip.durationMs).toBeGreaterThanOrEqual(4_000);
    expect(clip.durationMs).toBeLessThanOrEqual(6_100);
    const logged = hub.db.all<{ actor_role: string; detail: string }>(
      "SELECT actor_role, detail FROM events WHERE conference_id = ? AND action = 'recording.clip' ORDER BY seq",
      CONF,
    );
    expect(logged.map((r) => [r.actor_role, JSON.parse(r.detail).fromMs, JSON.parse(r.detail).toMs])).toEqual([
      ['host', 3_000, 8_000],
      ['host', 6_000, 10_000],
    ]);
  });

  it('what cannot be cut is refused with its reason; a co-host may not cut', async () => {
    const refusal = (params: Parameters<HubClient['call']>[1]): Promise<unknown> =>
      host.call('recording.clip', params as never).then(
        () => 'cut',
        (error: { reason: string }) => error.reason,
      );
    expect(await refusal({ chapterId: 'khong-co' })).toBe('recording.clip_range');
    expect(await refusal({ fileId, fromMs: 12_500, toMs: 20_000 })).toBe('recording.clip_range');
    expect(await refusal({ fileId, fromMs: 5_000, toMs: 5_000 })).toBe('recording.clip_range');
    expect(await refusal({ fileId: 'khong-co', fromMs: 0, toMs: 1_000 })).toBe('recording.file_unknown');
    const aClip = (await host.call('recording.view', {})).files.find((f) => f.kind === 'clip');
    expect(await refusal({ fileId: aClip?.id ?? '', fromMs: 0, toMs: 1_000 })).toBe('recording.file_unknown');
    // A file still being written: the recording started (no recorder process in this hub) opens segment 1.
    const started = await host.call('recording.start', {});
    const open = started.files.find((f) => f.kind === 'programme' && f.open);
    expect(open).toBeDefined();
    expect(await refusal({ fileId: open?.id ?? '', fromMs: 0, toMs: 1_000 })).toBe('recording.file_open');
    await host.call('recording.stop', {});
    await expect(cohost.call('recording.clip', { fileId, fromMs: 0, toMs: 1_000 })).rejects.toMatchObject({
      code: 'forbidden',
      reason: 'request.role',
    });
    const technician = await join_('huyen', 'technician');
    await expect(technician.call('recording.chapters', {})).rejects.toMatchObject({ code: 'forbidden' });
    expect((await host.call('recording.view', {})).files.filter((f) => f.kind === 'clip')).toHaveLength(2);
  });
});
