// A programme file as the recorder writes one, made by Debian's ffmpeg for the recording tests: fragmented
// MP4, H.264 with a key frame every 2 s and AAC (testsrc2 and a sine tone), small so it is quick. Read back
// with ffprobe, down to a hash of every packet (a cut without re-encoding keeps the packets as they were).
// seedRecording puts such a file in a hub's recordings folder with its row and a few speaking turns.
import { ConferenceSpec } from '../../shared/domain.ts';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { measureFile } from '../../server/recording/files.ts';
import type { Database } from '../../server/store/db.ts';
import { RecordingStore, type StoredFile } from '../../server/store/recording.ts';

const run = promisify(execFile);

/** Writes `seconds` of programme (320×180, 25 fps, key frame every 50 frames; AAC 48 kHz) to `path`. */
export async function makeProgrammeFile(path: string, seconds = 12): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  await run('ffmpeg', [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error'],
    ...['-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
    ...['-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
    ...['-g', '50', '-keyint_min', '50', '-sc_threshold', '0', '-c:a', 'aac', '-b:a', '64k'],
    ...['-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4', '-y', path],
  ]);
}

export interface ProbedStream {
  codec_type: string;
  codec_name: string;
  profile?: string;
  width?: number;
  height?: number;
  sample_rate?: string;
  extradata_hash?: string;
}

export interface Probed {
  streams: ProbedStream[];
  durationMs: number;
  /** Video packets in order: presentation time (ms), key frame, MD5 of the data. */
  video: Array<{ ms: number; key: boolean; hash: string }>;
}

export async function probe(path: string): Promise<Probed> {
  const { stdout } = await run(
    'ffprobe',
    [
      ...['-v', 'error', '-show_data_hash', 'md5', '-of', 'json', '-show_format', '-show_streams'],
      ...['-show_entries', 'packet=stream_index,pts_time,flags,data_hash', path],
    ],
    { maxBuffer: 64 << 20 },
  );
  const raw = JSON.parse(stdout) as {
    streams: Array<ProbedStream & { index: number }>;
    format: { duration: string };
    packets: Array<{ stream_index: number; pts_time: string; flags: string; data_hash: string }>;
  };
  const videoIndex = raw.streams.find((s) => s.codec_type === 'video')?.index;
  return {
    streams: raw.streams,
    durationMs: Math.round(Number(raw.format.duration) * 1000),
    video: raw.packets
      .filter((p) => p.stream_index === videoIndex)
      .map((p) => ({ ms: Math.round(Number(p.pts_time) * 1000), key: p.flags.startsWith('K'), hash: p.data_hash }))
      .sort((a, b) => a.ms - b.ms),
  };
}

/** The codec parameters that re-encoding would change. */
export const codecParams = (p: Probed): unknown[] =>
  p.streams.map((s) => [s.codec_type, s.codec_name, s.profile, s.width, s.height, s.sample_rate, s.extradata_hash]);

export interface Seeded {
  file: StoredFile;
  /** Wall-clock time of the file's media time 0. */
  startedAt: number;
}

/**
 * A closed, measured programme file of `conferenceId` in the recordings folder `root`, copied from `source`,
 * with its row; and in the event log two turns of `pointId`: 3–8 s into the file, and 9.5 s until after its end.
 */
export async function seedRecording(db: Database, root: string, conferenceId: string, source: string, pointId: string): Promise<Seeded> {
  const startedAt = Date.now() - 60_000;
  const name = `${conferenceId}-phan-01.mp4`;
  const path = join(conferenceId, name);
  mkdirSync(join(root, conferenceId), { recursive: true });
  copyFileSync(source, join(root, path));
  const m = await measureFile(join(root, path));
  const file: StoredFile = {
    ...{ id: 'tep-1', recordingId: 'ghi-1', kind: 'programme', name, path, segment: 1, pointId: null, startedAt },
    ...{ endedAt: startedAt + (m.durationMs ?? 0) + 200, ...m, sourceFileId: null, fromMs: null, toMs: null },
  };
  const store = new RecordingStore(db);
  store.addFile(conferenceId, file);
  const event = (at: number, action: string, detail: unknown): void =>
    db.run(
      'INSERT INTO events (conference_id, at, actor_point, actor_role, action, detail) VALUES (?, ?, ?, ?, ?, ?)',
      ...[conferenceId, at, null, null, action, JSON.stringify(detail)],
    );
  event(startedAt + 3_000, 'floor.grant', { pointId, seconds: 60 });
  event(startedAt + 8_000, 'floor.revoke', { pointId });
  event(startedAt + 9_500, 'floor.grant', { pointId, seconds: 60 });
  event(startedAt + 20_000, 'floor.clear', { pointId, dropped: [] });
  return { file, startedAt };
}

/** A small conference for the recording's tests: a province hosting, a central-side point, a district. */
export function smallConference(id: string, title: string): ConferenceSpec {
  return ConferenceSpec.parse({
    id,
    title,
    startsAt: '2026-05-01T08:00:00+07:00',
    centralPointId: 'tinh',
    points: [
      { id: 'tinh', name: 'Điểm cầu tỉnh', level: 'province' },
      { id: 'phia-nam', name: 'Ban phía Nam', level: 'province', parentId: 'tinh', centralSide: true },
      { id: 'huyen', name: 'Điểm cầu huyện', level: 'district', parentId: 'tinh' },
    ],
  });
}
