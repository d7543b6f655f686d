// The operator's recording commands on the hub's data folder, the hub not running: `recordings` lists the
// files (kind, segment, start, duration, size, SHA-256) and the chapters with their place in the programme
// files; `clip` cuts a range of a programme file itself with Debian's ffmpeg, without re-encoding, stores
// and logs it (no actor: the operator), measures it and prints it; bad input exits 1 with a message.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { ConferenceSpec } from '../shared/domain.ts';
import { recordingsRoot } from '../server/recording/service.ts';
import { ConferenceReport } from '../server/report/schema.ts';
import { ConferenceStore } from '../server/store/conferences.ts';
import { RecordingStore } from '../server/store/recording.ts';
import { tempDataDir } from '../scripts/lib/data-dir.ts';
import { cliOn } from './helpers/cli.ts';
import { makeProgrammeFile, probe, seedRecording } from './helpers/programme-file.ts';

const dataDir = tempDataDir();
const root = recordingsRoot(loadConfig({ DIEMCAU_DATA_DIR: dataDir }));
const CONF = 'ghi-cli';

const { cli, run, withDb } = cliOn(dataDir);

const cells = (stdout: string, first: string): string[] =>
  stdout
    .split('\n')
    .find((l) => l.startsWith(`${first} `))
    ?.split(/\s{2,}/) ?? [];

let sourceHash: string;

beforeAll(async () => {
  const source = join(dataDir, 'nguon.mp4');
  await makeProgrammeFile(source, 12);
  sourceHash = createHash('sha256').update(readFileSync(source)).digest('hex');
  await withDb(async (db) => {
    new ConferenceStore(db).insert(
      ConferenceSpec.parse({
        id: CONF,
        title: 'Hội nghị CLI',
        startsAt: '2026-05-01T08:00:00+07:00',
        centralPointId: 'tinh',
        points: [
          { id: 'tinh', name: 'Điểm cầu tỉnh', level: 'province' },
          { id: 'huyen', name: 'Điểm cầu huyện', level: 'district', parentId: 'tinh' },
        ],
      }),
    );
    await seedRecording(db, root, CONF, source, 'huyen');
  });
}, 60_000);

describe('recordings', () => {
  it('lists the files and the chapters with their place in the programme files', async () => {
    const result = await run('recordings', CONF);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Files \(1\):\nid\s+kind\s+segment\s+start\s+duration\s+bytes\s+sha256\s+name$/m);
    const [id, kind, segment, start, duration, bytes, sha256, name] = cells(result.stdout, 'tep-1');
    expect([id, kind, segment, duration, sha256, name]).toEqual(['tep-1', 'programme', '1', '00:00:12', sourceHash, `${CONF}-phan-01.mp4`]);
    expect(Number(bytes)).toBeGreaterThan(100_000);
    expect(start).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(result.stdout).toMatch(/Chapters \(2;/);
    expect(result.stdout).toMatch(/turn\s+file 1\s+00:00:03\s+00:00:08\s+Điểm cầu huyện/);
    expect(result.stdout).toMatch(/turn\s+file 1\s+00:00:09\s+00:00:12\s+Điểm cầu huyện/);
  });
});

describe('clip', () => {
  it('cuts a range in a real process: stored, logged without an actor, measured, printed; then listed', async () => {
    const result = await cli('clip', CONF, 'tep-1', '--from', '0:06', '--to', '10', '--name', 'Phát biểu huyện');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [id, kind, , , duration, bytes, sha256, name] = result.stdout.split('\n')[2]?.split(/\s{2,}/) ?? [];
    expect([kind, name]).toEqual(['clip', 'Phát-biểu-huyện-000006-000010.mp4']);
    const file = join(root, CONF, 'clips', name ?? '');
    const onDisk = readFileSync(file);
    expect(sha256).toBe(createHash('sha256').update(onDisk).digest('hex'));
    expect(Number(bytes)).toBe(onDisk.length);
    // From the key frame at or before 6 s (4 s) to 10 s.
    expect(duration).toMatch(/^00:00:0[4-6]$/);
    const probed = await probe(file);
    expect(probed.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    const stored = await withDb((db) => new RecordingStore(db).file(id ?? ''));
    expect(stored).toMatchObject({ kind: 'clip', sourceFileId: 'tep-1', fromMs: 6_000, toMs: 10_000, sha256 });
    expect(stored?.endedAt).not.toBeNull();
    const logged = await withDb((db) =>
      db.all<{ actor_point: string | null; detail: string }>("SELECT actor_point, detail FROM events WHERE action = 'recording.clip'"),
    );
    expect(logged).toEqual([{ actor_point: null, detail: expect.stringContaining(`"fileId":"${id}"`) }]);
    const listed = await run('recordings', CONF);
    expect(cells(listed.stdout, id ?? '')[1]).toBe('clip');
  });

  it('takes hh:mm:ss with a fraction and names the clip after the file when no name is given', async () => {
    const result = await run('clip', CONF, 'tep-1', '--from', '00:00:01.5', '--to', '00:00:03');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/clip\s+0\s+.*doan-cat-000001-000003\.mp4/);
  });

  it.each([
    [['clip', CONF, 'tep-1', '--from', '3'], /usage: clip/],
    [['clip', CONF, 'tep-1', '--from', 'ba giây', '--to', '5'], /--from must be/],
    [['clip', CONF, 'tep-1', '--from', '1:75', '--to', '5'], /--from must be/],
    [['clip', CONF, 'tep-1', '--from', '13', '--to', '20'], /empty or past the end/],
    [['clip', CONF, 'khong-co', '--from', '0', '--to', '2'], /no such programme file/],
    [['clip', 'khong-co', 'tep-1', '--from', '0', '--to', '2'], /no conference khong-co/],
    [['recordings'], /usage: recordings/],
  ])('refuses %j with exit 1', async (args, message) => {
    const result = await run(...args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
  });
});

describe('the report', () => {
  it('lists the programme file, the chapters, the clips and the clip events, as JSON and as the printed page', async () => {
    const json = await run('report', CONF);
    const report = ConferenceReport.parse(JSON.parse(json.stdout));
    expect(report.recording.files).toMatchObject([{ id: 'tep-1', number: 1, segment: 1, sha256: sourceHash }]);
    expect(report.recording.chapters.map((c) => [c.fileNumber, c.startMs])).toEqual([
      [1, 3_000],
      [1, 9_500],
    ]);
    // Clips in order of their place in the recording.
    expect(report.recording.clips.map((c) => [c.sourceNumber, c.fromMs, c.toMs])).toEqual([
      [1, 1_500, 3_000],
      [1, 6_000, 10_000],
    ]);
    expect(report.recording.events.map((e) => e.kind)).toEqual(['clip', 'clip']);
    const html = (await run('report', CONF, '--html')).stdout;
    expect(html).toContain('12. Ghi hình (recording)');
    expect(html).toContain('00:00:03 – 00:00:08, tệp 1 (file 1)');
  });
});
