// The report's recording section from a database as the hub leaves it: two programme files of one recording
// (the second opened after the recorder restarted), a clip, a file deleted, pushes and the press link
// switched, chapters placed in the files. The JSON keeps codes and ms; the printed page says it in
// Vietnamese with the English, times in the recording as hh:mm:ss in file N, and escapes what people typed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConferenceSpec } from '../../shared/domain.ts';
import type { Actor } from '../../shared/event-log.ts';
import { renderReportHtml } from '../../server/report/html.ts';
import { mediaClock } from '../../server/report/recording.ts';
import { buildReport } from '../../server/report/report.ts';
import { ConferenceReport } from '../../server/report/schema.ts';
import { ConferenceStore } from '../../server/store/conferences.ts';
import { Database } from '../../server/store/db.ts';
import { RecordingStore, type StoredFile } from '../../server/store/recording.ts';
import { RecordStore } from '../../server/store/records.ts';
import { tempDataDir } from '../../scripts/lib/data-dir.ts';

const spec = ConferenceSpec.parse({
  id: 'bao-cao-ghi',
  title: 'Hội nghị có ghi hình',
  startsAt: '2026-05-01T08:00:00+07:00',
  centralPointId: 'tinh',
  points: [
    { id: 'tinh', name: 'Điểm cầu tỉnh', level: 'province' },
    { id: 'huyen', name: 'Điểm cầu <huyện>', level: 'district', parentId: 'tinh' },
  ],
  agenda: [{ id: 'muc-1', title: 'Khai mạc', plannedMinutes: 10 }],
});

const T0 = Date.UTC(2026, 4, 1, 1, 0, 0);
const s = (seconds: number): number => T0 + seconds * 1000;
const host: Actor = { pointId: 'tinh', role: 'host' };

let db: Database;
let store: RecordStore;
let recording: RecordingStore;

const file = (f: Partial<StoredFile> & Pick<StoredFile, 'id' | 'kind' | 'name' | 'startedAt'>): StoredFile => ({
  ...{ recordingId: 'ghi-1', path: `bao-cao-ghi/${f.name}`, segment: 0, pointId: null, endedAt: null, durationMs: null, bytes: 0 },
  ...{ sha256: null, sourceFileId: null, fromMs: null, toMs: null },
  ...f,
});

beforeAll(() => {
  db = new Database(tempDataDir());
  new ConferenceStore(db).insert(spec);
  store = new RecordStore(db);
  recording = new RecordingStore(db);
  const event = (at: number, actor: Actor, action: string, detail: unknown): void =>
    db.run(
      'INSERT INTO events (conference_id, at, actor_point, actor_role, action, detail) VALUES (?, ?, ?, ?, ?, ?)',
      ...[spec.id, at, actor?.pointId ?? null, actor?.role ?? null, action, JSON.stringify(detail)],
    );
  event(s(0), host, 'conference.status', { from: 'scheduled', to: 'live' });
  event(s(1), host, 'recording.auto_start', { enabled: true });
  event(s(2), host, 'recording.start', { recordingId: 'ghi-1' });
  event(s(2), null, 'recording.segment', { recordingId: 'ghi-1', segment: 1, fileId: 'p1', cause: 'start' });
  event(s(3), host, 'recording.output_add', { outputId: 'o1', label: 'Đài PT-TH <tỉnh>', host: 'live.example.vn' });
  event(s(4), host, 'recording.output_add', { outputId: 'o2', label: '', host: 'rtmp.example.com' });
  event(s(5), host, 'recording.press', { enabled: true });
  event(s(10), host, 'agenda.goto', { itemId: 'muc-1' });
  event(s(20), host, 'floor.grant', { pointId: 'huyen', seconds: 60 });
  // The recorder died at 62 s; the next segment starts at 65 s.
  event(s(65), null, 'recording.segment', { recordingId: 'ghi-1', segment: 2, fileId: 'p2', cause: 'restart' });
  event(s(80), host, 'floor.revoke', { pointId: 'huyen' });
  event(s(90), host, 'recording.output_set', { outputId: 'o1', enabled: false });
  event(s(95), host, 'recording.output_remove', { outputId: 'o2' });
  event(s(100), host, 'recording.press', { enabled: false });
  event(s(110), host, 'recording.stop', { recordingId: 'ghi-1' });
  event(s(120), host, 'recording.clip', { fileId: 'c1', name: 'Phát-biểu-000018-000030.mp4', fromMs: 18_000, toMs: 30_000 });
  event(s(130), host, 'recording.file_delete', { fileId: 'c0', name: 'thu-<nghiem>.mp4' });
  event(s(140), host, 'conference.status', { from: 'live', to: 'ended' });
  const hash = (c: string): string => c.repeat(64);
  recording.addFile(spec.id, file({ id: 'p1', kind: 'programme', name: 'phan-01.mp4', segment: 1, startedAt: s(2) }));
  recording.addFile(spec.id, file({ id: 'p2', kind: 'programme', name: 'phan-02.mp4', segment: 2, startedAt: s(65) }));
  recording.measured('p1', { durationMs: 60_000, bytes: 9_000_000, sha256: hash('a') });
  recording.closeFile('p1', s(62));
  recording.measured('p2', { durationMs: 45_000, bytes: 7_000_000, sha256: hash('b') });
  recording.closeFile('p2', s(110));
  recording.addFile(
    spec.id,
    file({
      id: 'c1',
      kind: 'clip',
      name: 'Phát-biểu-000018-000030.mp4',
      startedAt: s(20),
      sourceFileId: 'p1',
      fromMs: 18_000,
      toMs: 30_000,
    }),
  );
  recording.measured('c1', { durationMs: 12_400, bytes: 1_800_000, sha256: hash('c') });
  recording.closeFile('c1', s(121));
});

afterAll(() => db?.close());

const report = (withFiles = true): ConferenceReport =>
  ConferenceReport.parse(
    JSON.parse(JSON.stringify(buildReport({ spec, status: 'ended', store, recording: withFiles ? recording : undefined, now: s(500) }))),
  );

describe('the recording in the report', () => {
  it('numbers the programme files and lists their segment, times, duration, size and SHA-256; clips name their file', () => {
    const { files, clips } = report().recording;
    expect(files.map((f) => [f.number, f.segment, f.id, f.startedAt, f.endedAt, f.durationMs, f.bytes, f.sha256?.[0]])).toEqual([
      [1, 1, 'p1', s(2), s(62), 60_000, 9_000_000, 'a'],
      [2, 2, 'p2', s(65), s(110), 45_000, 7_000_000, 'b'],
    ]);
    expect(clips).toMatchObject([{ id: 'c1', number: 0, sourceNumber: 1, fromMs: 18_000, toMs: 30_000, durationMs: 12_400 }]);
  });

  it('places the chapters in the files; a turn across the restart is in both', () => {
    const { chapters } = report().recording;
    expect(chapters.map((c) => [c.kind, c.title, c.fileNumber, c.startMs, c.endMs])).toEqual([
      ['agenda', 'Khai mạc', 1, 8_000, 60_000],
      ['agenda', 'Khai mạc', 2, 0, 45_000],
      ['turn', 'Điểm cầu <huyện>', 1, 18_000, 60_000],
      ['turn', 'Điểm cầu <huyện>', 2, 0, 15_000],
    ]);
  });

  it("lists the recording's events: start, segments with their cause, pushes by label, the press link, clips, deletions", () => {
    const events = report().recording.events.map((e) => [e.kind, e.segment, e.cause, e.label, e.enabled]);
    expect(events).toEqual([
      ['auto_start', null, null, '', true],
      ['start', null, null, '', null],
      ['segment', 1, 'start', '', null],
      ['output_add', null, null, 'Đài PT-TH <tỉnh>', null],
      // No label: the address's host (never its stream key).
      ['output_add', null, null, 'rtmp.example.com', null],
      ['press', null, null, '', true],
      ['segment', 2, 'restart', '', null],
      ['output_set', null, null, 'Đài PT-TH <tỉnh>', false],
      ['output_remove', null, null, 'rtmp.example.com', null],
      ['press', null, null, '', false],
      ['stop', null, null, '', null],
      ['clip', null, null, 'Phát-biểu-000018-000030.mp4', null],
      ['file_delete', null, null, 'thu-<nghiem>.mp4', null],
    ]);
  });

  it('without the recording store the section has its events but no file', () => {
    const r = report(false).recording;
    expect([r.files, r.clips, r.chapters]).toEqual([[], [], []]);
    expect(r.events).toHaveLength(13);
  });

  it('the printed page says it in Vietnamese with the English, times as hh:mm:ss in file N, escaped', () => {
    const html = renderReportHtml(report());
    const section = html.slice(html.indexOf('12. Ghi hình (recording)'));
    expect(section).toContain(
      '<td class="n">1</td><td class="n">1</td><td>01/05/2026 08:00:02</td><td>01/05/2026 08:01:02</td><td>00:01:00</td>',
    );
    expect(section).toContain('a'.repeat(64));
    expect(section).toContain(
      '<td>Lượt phát biểu (speaking turn)</td><td>Điểm cầu &lt;huyện&gt;</td><td>00:00:18 – 00:01:00, tệp 1 (file 1)</td>',
    );
    expect(section).toContain('<td>00:00:00 – 00:00:15, tệp 2 (file 2)</td>');
    expect(section).toContain('Mục chương trình (agenda item)');
    expect(section).toContain('<td>Phát-biểu-000018-000030.mp4</td><td>00:00:18 – 00:00:30, tệp 1 (file 1)</td><td>00:00:12</td>');
    expect(section).toContain('Phần 2 (segment 2): bộ ghi khởi động lại sau sự cố (the recorder restarted after a failure)');
    expect(section).toContain('Mở liên kết cho báo chí (press link on)');
    expect(section).toContain('Đóng liên kết cho báo chí (press link off)');
    expect(section).toContain('Tắt luồng phát trực tiếp (live push off)</td><td>Đài PT-TH &lt;tỉnh&gt;');
    expect(section).toContain('Xóa tệp (file deleted)</td><td>thu-&lt;nghiem&gt;.mp4');
    expect(section).not.toMatch(/<tỉnh>|<huyện>|<nghiem>/);
  });

  it('a conference never recorded says so', () => {
    const empty = ConferenceSpec.parse({ ...spec, id: 'khong-ghi' });
    new ConferenceStore(db).insert(empty);
    const html = renderReportHtml(buildReport({ spec: empty, status: 'ended', store, recording, now: s(500) }));
    expect(html).toContain('Hội nghị không được ghi hình (not recorded).');
    expect(mediaClock(3_723_900)).toBe('01:02:03');
  });
});
