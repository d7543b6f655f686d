// The programme recording end to end, with real parts only: a hub that runs its recorder process, two points
// publishing real VP8/Opus from Debian's ffmpeg (the centre and a district), the host recording through the
// protocol while the floor moves and the layout changes, and the file read back with ffprobe: H.264 1280×720
// at 25 fps and AAC, as long as the recording, no frozen picture of 1 s or more across the switches, and the
// size and SHA-256 the hub lists. Killing the recorder mid-way opens a second segment; both files play.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingView } from '../../shared/recording.ts';
import type { Hub } from '../../server/hub.ts';
import type { HeadlessPoint } from '../../scripts/lib/headless/point.ts';
import { RecordStore } from '../../server/store/records.ts';
import { CENTRE, CONF, DISTRICT, RecordingHub } from '../helpers/recording-hub.ts';
import { sleep, waitFor } from '../helpers/wait.ts';

const run = promisify(execFile);

let rec: RecordingHub;
let hub: Hub;
let host: HeadlessPoint;
const waitForView = (what: string, ok: (v: RecordingView) => boolean, timeoutMs?: number) => rec.waitForView(what, ok, timeoutMs);

interface Probe {
  streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number; r_frame_rate?: string; sample_rate?: string }>;
  format: { duration: string };
}

async function probe(file: string): Promise<Probe> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file]);
  return JSON.parse(stdout) as Probe;
}

/** Frozen stretches of the picture in ms (ffmpeg's freezedetect: next to no change for `seconds` or more). */
async function freezes(file: string, seconds: number): Promise<Array<{ start: number; end: number }>> {
  const args = ['-hide_banner', '-nostdin', '-i', file, '-map', '0:v', '-vf', `freezedetect=n=0.0005:d=${seconds}`, '-f', 'null', '-'];
  const { stderr } = await run('ffmpeg', args, { maxBuffer: 64 << 20 });
  const starts = [...stderr.matchAll(/freeze_start: ([\d.]+)/g)].map((m) => Number(m[1]) * 1000);
  const ends = [...stderr.matchAll(/freeze_end: ([\d.]+)/g)].map((m) => Number(m[1]) * 1000);
  return starts.map((start, i) => ({ start, end: ends[i] ?? Number.POSITIVE_INFINITY }));
}

/** Mean luma (0–255) of a region of the frame at `atMs`: the mix's dark background is below 40, a picture above. */
async function luma(file: string, atMs: number, region: { x: number; y: number; w: number; h: number }): Promise<number> {
  const crop = `crop=${region.w}:${region.h}:${region.x}:${region.y},signalstats,metadata=print:key=lavfi.signalstats.YAVG`;
  const args = ['-hide_banner', '-nostdin', '-ss', (atMs / 1000).toFixed(2), '-i', file, '-frames:v', '1', '-vf', crop, '-f', 'null', '-'];
  const { stderr } = await run('ffmpeg', args);
  return Number(/YAVG=([\d.]+)/.exec(stderr)?.[1] ?? Number.NaN);
}

beforeAll(async () => {
  rec = await RecordingHub.start();
  hub = rec.hub;
  // Small pictures: two encoders and the 720p mix share 2 cores.
  host = await rec.join(CENTRE, 'host', { width: 320, height: 180 });
  await rec.join(DISTRICT, 'technician', { width: 320, height: 180 });
  await host.call('conference.setStatus', { status: 'live' });
}, 60_000);

afterAll(async () => {
  await rec?.close();
}, 30_000);

describe('the programme recording', () => {
  let first: RecordingView['files'][number];

  it('records the programme across a floor switch and a layout change without a frozen second', async () => {
    await host.call('recording.start', {});
    const running = await waitForView('the recorder writing', (v) => v.recorder === 'running' && v.writtenMs > 1000, 30_000);
    expect(running).toMatchObject({ recording: true, segment: 1 });
    await sleep(3000);
    await host.call('floor.grant', { pointId: DISTRICT, seconds: 60 });
    await sleep(4000);
    await host.call('programme.setLayout', { layout: 'side_by_side' });
    await sleep(3000);
    await host.call('floor.revoke', {});
    await sleep(3000);
    await host.call('recording.stop', {});
    const done = await waitForView('the segment measured', (v) => v.files.some((f) => f.kind === 'programme' && f.sha256 !== null));
    expect(done.recording).toBe(false);
    first = done.files.find((f) => f.kind === 'programme') as RecordingView['files'][number];
    const file = join(hub.recording.root, CONF, first.name);

    if (process.env.KEEP_REC) (await import('node:fs')).copyFileSync(file, process.env.KEEP_REC);
    const info = await probe(file);
    const video = info.streams.find((s) => s.codec_type === 'video');
    const audio = info.streams.find((s) => s.codec_type === 'audio');
    expect(video).toMatchObject({ codec_name: 'h264', width: 1280, height: 720, r_frame_rate: '25/1' });
    expect(audio).toMatchObject({ codec_name: 'aac', sample_rate: '48000' });
    const seconds = Number(info.format.duration);
    expect(seconds).toBeGreaterThan(11);
    expect(seconds).toBeLessThan(25);
    expect(first.durationMs).toBeGreaterThan(11_000);
    // The switches, placed in the file from the event log (the file's start is its media time 0).
    const switches = new RecordStore(hub.db)
      .events(CONF)
      .filter((e) => e.at > first.startedAt && ['floor.grant', 'floor.revoke', 'programme.layout'].includes(e.action))
      .map((e) => e.at - first.startedAt);
    expect(switches).toHaveLength(3);
    // What the halls see, in the file: the centre full frame; the speaker large with the centre in a column
    // beside it (the lower half of the column is background); both side by side (the top band is background);
    // the centre full frame again.
    const [grant, layout, revoke] = switches as [number, number, number];
    const column = { x: 1010, y: 300, w: 240, h: 200 };
    const band = { x: 100, y: 20, w: 1080, h: 100 };
    expect(await luma(file, grant - 800, column)).toBeGreaterThan(40);
    // A test point's encoder sends a key frame every second and cannot be asked for one: a cut to it waits up to
    // 1.5 s (then the layout changes anyway), and the mix shows a change about a second after it is made.
    expect(await luma(file, grant + 3500, column)).toBeLessThan(40);
    expect(await luma(file, layout + 2500, band)).toBeLessThan(40);
    expect(await luma(file, revoke + 2500, band)).toBeGreaterThan(40);
    const frozen = await freezes(file, 1);
    // Only the opening may hold still (the recorder starts with the recording: its first picture), and briefly.
    expect(frozen.filter((f) => f.start > 500 || f.end > 2500)).toEqual([]);
    for (const at of switches) expect(frozen.filter((f) => f.end > at - 200 && f.start < at + 1000)).toEqual([]);
    expect(first.sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    expect(first.bytes).toBe(readFileSync(file).length);

    // The track archive: every stage stream as it came (VP8, Opus: no re-encoding), one file per stream and turn.
    const tracks = (
      await waitForView('the tracks measured', (v) => {
        const t = v.files.filter((f) => f.kind === 'track');
        return t.length >= 4 && t.every((f) => f.sha256 !== null);
      })
    ).files.filter((f) => f.kind === 'track');
    const kinds = new Set(tracks.map((t) => `${t.pointId}/${t.name.split('-').includes('camera') ? 'camera' : 'microphone'}`));
    expect(kinds).toEqual(new Set([`${CENTRE}/camera`, `${CENTRE}/microphone`, `${DISTRICT}/camera`, `${DISTRICT}/microphone`]));
    for (const t of tracks) {
      const probed = await probe(join(hub.recording.root, CONF, 'tracks', t.name));
      expect(probed.streams[0]?.codec_name).toBe(t.name.includes('-camera-') ? 'vp8' : 'opus');
      // The hub's measure (its container's duration, or its last packet for a track cut short).
      expect(t.durationMs).toBeGreaterThan(t.pointId === DISTRICT ? 4000 : 10_000);
    }
  }, 90_000);

  it('goes on in a new segment when the recorder is killed; the first segment stays playable', async () => {
    await host.call('recording.start', {});
    await waitForView('the recorder writing', (v) => v.recorder === 'running' && v.writtenMs > 2000, 30_000);
    const part = hub.recording.of(hub.conferences.get(CONF) as NonNullable<ReturnType<Hub['conferences']['get']>>);
    process.kill(part.recorderPid as number, 'SIGKILL');
    const again = await waitForView('the second segment', (v) => v.segment === 2 && v.recorder === 'running' && v.writtenMs > 1500, 40_000);
    await host.call('recording.stop', {});
    const done = await waitForView(
      'both segments measured',
      (v) => v.files.filter((f) => f.kind === 'programme' && f.sha256 !== null).length >= 3,
    );
    const segments = done.files.filter((f) => f.kind === 'programme' && f.id !== first.id);
    expect(segments.map((f) => f.segment)).toEqual([1, 2]);
    for (const f of segments) {
      const info = await probe(join(hub.recording.root, CONF, f.name));
      expect(info.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 1280 });
      expect(Number(info.format.duration)).toBeGreaterThan(1);
    }
    expect(again.recording).toBe(true);
    await waitFor(() => !part.view().recording, 'stopped');
  }, 120_000);
});
