// The chapters of a recording, read from an event log (pure): speaking turns ended by a grant, a revoke, an
// expiry or a clear; agenda items until the next; questions answered live (answered in writing: no chapter);
// placed in two programme files with a gap between them (the recorder restarted), the second still open.
// A span that crosses the gap is split in two; one inside the gap is in no file; the end closes what runs.
import { describe, expect, it } from 'vitest';
import { ConferenceSpec } from '../../shared/domain.ts';
import type { QuestionView } from '../../shared/records.ts';
import { chaptersOf, spansOf } from '../../server/recording/chapters.ts';
import type { EventRecord } from '../../server/store/records.ts';
import type { StoredFile } from '../../server/store/recording.ts';

const T0 = Date.UTC(2026, 4, 1, 1, 0, 0);
const s = (seconds: number): number => T0 + seconds * 1000;

const spec = ConferenceSpec.parse({
  id: 'chuong',
  title: 'Tập huấn',
  startsAt: '2026-05-01T08:00:00+07:00',
  centralPointId: 'tinh',
  points: [
    { id: 'tinh', name: 'Điểm cầu tỉnh', level: 'province' },
    { id: 'huyen-a', name: 'Điểm cầu huyện A', level: 'district', parentId: 'tinh' },
    { id: 'huyen-b', name: 'Điểm cầu huyện B', level: 'district', parentId: 'tinh' },
  ],
  agenda: [
    { id: 'muc-1', title: 'Khai mạc', rapporteurPointId: 'tinh', plannedMinutes: 5 },
    { id: 'muc-2', title: 'Hướng dẫn bầu cử', plannedMinutes: 30 },
  ],
});

const question = (id: string, pointId: string, asker: string, unit: string): QuestionView => ({
  ...{ id, pointId, asker, unit, category: 'Khác', text: `Câu hỏi ${id}`, status: 'answered', position: null },
  ...{ answerMode: 'live', answer: null, dismissReason: null, mergedInto: null, createdAt: T0, updatedAt: T0 },
});
const questions = [
  question('q1', 'huyen-a', 'Nguyễn Văn An', 'Xã C'),
  question('q2', 'huyen-b', 'Trần Thị Bình', ''),
  question('q3', 'huyen-b', '', ''),
];

const host = { actorPoint: 'tinh', actorRole: 'host' as const };
function log(rows: Array<[number, string, Record<string, unknown>]>): EventRecord[] {
  return rows.map(([at, action, detail], i) => ({ seq: i + 1, at: s(at), ...host, action, detail }) as EventRecord);
}

/** The log up to the conference's end (the last row is the end, left out by `running`). */
const rows: Array<[number, string, Record<string, unknown>]> = [
  [0, 'conference.status', { from: 'scheduled', to: 'live' }],
  [5, 'agenda.goto', { itemId: 'muc-1' }],
  [5, 'floor.grant', { pointId: 'huyen-a', seconds: 60 }],
  [20, 'floor.grant', { pointId: 'huyen-b', seconds: 60 }],
  [30, 'floor.revoke', { pointId: 'huyen-b' }],
  [32, 'question.answering', { questionId: 'q1', giveFloor: false }],
  [40, 'question.answered', { questionId: 'q1', mode: 'live' }],
  [41, 'question.answering', { questionId: 'q2', giveFloor: false }],
  [42, 'question.answered', { questionId: 'q2', mode: 'written' }],
  [45, 'floor.grant', { pointId: 'huyen-a', seconds: 5 }],
  [50, 'floor.expire', { pointId: 'huyen-a' }],
  [55, 'agenda.goto', { itemId: 'muc-2' }],
  [60, 'floor.grant', { pointId: 'huyen-b', seconds: 60 }],
  // Inside the gap between the two files: a question answered live, in no file.
  [71, 'question.answering', { questionId: 'q3', giveFloor: false }],
  [74, 'question.answered', { questionId: 'q3', mode: 'live' }],
  [90, 'floor.clear', { pointId: 'huyen-b', dropped: [] }],
  [100, 'floor.grant', { pointId: 'huyen-a', seconds: 120 }],
  [120, 'conference.status', { from: 'live', to: 'ended' }],
];
const running = log(rows.slice(0, -1));
const ended = log(rows);

const file = (id: string, segment: number, startedAt: number, endedAt: number | null, durationMs: number | null): StoredFile => ({
  ...{ id, recordingId: 'rec', kind: 'programme', name: `${id}.mp4`, path: `chuong/${id}.mp4`, segment, pointId: null },
  ...{ startedAt, endedAt, durationMs, bytes: 0, sha256: null, sourceFileId: null, fromMs: null, toMs: null },
});
// Segment 1 from 10 s; its media lasts 60 s though the hub closed it a little later (the file's own length wins).
const first = file('f1', 1, s(10), s(70.4), 60_000);
// Segment 2 after the recorder came back, still written.
const second = file('f2', 2, s(75), null, null);
// A clip is no programme file: never a chapter's file.
const clip: StoredFile = { ...file('c1', 0, s(10), s(80), 5_000), kind: 'clip', sourceFileId: 'f1', fromMs: 0, toMs: 5_000 };

type Row = [kind: string, title: string, fileId: string, startMs: number, endMs: number | null];
const brief = (c: { kind: string; title: string; fileId: string; startMs: number; endMs: number | null }): Row => [
  c.kind,
  c.title,
  c.fileId,
  c.startMs,
  c.endMs,
];

describe('spans from the log', () => {
  it('turns end at a grant, revoke, expiry or clear; agenda items at the next; written answers are no span', () => {
    const spans = spansOf(running, spec, questions);
    expect(spans.map((x) => [x.kind, x.title, x.pointId, x.from - T0, x.to === null ? null : x.to - T0])).toEqual([
      ['agenda', 'Khai mạc', 'tinh', 5_000, 55_000],
      ['turn', 'Điểm cầu huyện A', 'huyen-a', 5_000, 20_000],
      ['turn', 'Điểm cầu huyện B', 'huyen-b', 20_000, 30_000],
      ['question', 'Nguyễn Văn An — Xã C', 'huyen-a', 32_000, 40_000],
      ['turn', 'Điểm cầu huyện A', 'huyen-a', 45_000, 50_000],
      ['agenda', 'Hướng dẫn bầu cử', null, 55_000, null],
      ['turn', 'Điểm cầu huyện B', 'huyen-b', 60_000, 90_000],
      // No asker and no unit: the question's text.
      ['question', 'Câu hỏi q3', 'huyen-b', 71_000, 74_000],
      ['turn', 'Điểm cầu huyện A', 'huyen-a', 100_000, null],
    ]);
  });

  it('the end closes the turn and the agenda item that run; an item set to none closes it', () => {
    const spans = spansOf(ended, spec, questions);
    expect(spans.filter((x) => x.to === null)).toEqual([]);
    expect(spans.at(-1)).toMatchObject({ kind: 'turn', to: s(120) });
    const none = log([
      [0, 'agenda.goto', { itemId: 'muc-1' }],
      [9, 'agenda.goto', { itemId: null }],
    ]);
    expect(spansOf(none, spec, [])).toMatchObject([{ kind: 'agenda', from: s(0), to: s(9) }]);
  });
});

describe('chapters in the programme files', () => {
  it('land in the right file with ms from its start; a span across the gap is split; open ones have no end yet', () => {
    const chapters = chaptersOf(spansOf(running, spec, questions), [second, clip, first], s(110));
    expect(chapters.map(brief)).toEqual([
      ['agenda', 'Khai mạc', 'f1', 0, 45_000],
      ['turn', 'Điểm cầu huyện A', 'f1', 0, 10_000],
      ['turn', 'Điểm cầu huyện B', 'f1', 10_000, 20_000],
      ['question', 'Nguyễn Văn An — Xã C', 'f1', 22_000, 30_000],
      ['turn', 'Điểm cầu huyện A', 'f1', 35_000, 40_000],
      // The item runs on: up to the end of the first file's media, then from the start of the second.
      ['agenda', 'Hướng dẫn bầu cử', 'f1', 45_000, 60_000],
      ['agenda', 'Hướng dẫn bầu cử', 'f2', 0, null],
      // A turn across the gap: two chapters, one per file, with the same wall-clock span.
      ['turn', 'Điểm cầu huyện B', 'f1', 50_000, 60_000],
      ['turn', 'Điểm cầu huyện B', 'f2', 0, 15_000],
      ['turn', 'Điểm cầu huyện A', 'f2', 25_000, null],
    ]);
    const split = chapters.filter((c) => c.kind === 'turn' && c.from === s(60));
    expect(split.map((c) => [c.from, c.to])).toEqual([
      [s(60), s(90)],
      [s(60), s(90)],
    ]);
    expect(new Set(chapters.map((c) => c.id)).size).toBe(chapters.length);
    expect(chapters.some((c) => c.fileId === 'c1')).toBe(false);
  });

  it('after the end, with the second file closed and measured, every chapter has an end', () => {
    const closed = { ...second, endedAt: s(120), durationMs: 45_000 };
    const chapters = chaptersOf(spansOf(ended, spec, questions), [first, closed], s(500));
    expect(chapters.filter((c) => c.fileId === 'f2').map(brief)).toEqual([
      ['agenda', 'Hướng dẫn bầu cử', 'f2', 0, 45_000],
      ['turn', 'Điểm cầu huyện B', 'f2', 0, 15_000],
      ['turn', 'Điểm cầu huyện A', 'f2', 25_000, 45_000],
    ]);
    expect(chapters.every((c) => c.endMs !== null && c.endMs > c.startMs)).toBe(true);
  });

  it('no programme file, no chapter; a chapter id names its span and its file', () => {
    expect(chaptersOf(spansOf(ended, spec, questions), [clip], s(500))).toEqual([]);
    const [one] = chaptersOf(spansOf(ended, spec, questions), [first], s(500));
    expect(one?.id).toMatch(/^agenda-\d+-f1$/);
  });
});
