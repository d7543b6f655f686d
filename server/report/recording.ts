// The report's recording section: every programme file (numbered in order: "file N"), the chapters with their
// place in those files (from the event log: turns, agenda items, questions answered live), the clips cut
// from them, and what happened to the recording (started, stopped, a new segment after the recorder came
// back, pushes added and switched, the press link, files deleted). Files come from the recording store;
// deleted files are gone from it but stay in the events.
import { z } from 'zod';
import type { ConferenceSpec } from '../../shared/domain.ts';
import { Chapter, RecordingFileKind } from '../../shared/recording.ts';
import type { QuestionView } from '../../shared/records.ts';
import { chaptersOf, spansOf } from '../recording/chapters.ts';
import type { StoredFile } from '../store/recording.ts';
import type { EventRecord } from '../store/records.ts';

const time = z.number();

export const ReportRecordingFile = z.object({
  id: z.string(),
  kind: RecordingFileKind,
  /** Programme files: 1, 2, ... in order of start over the whole conference (0 for clips). */
  number: z.number().int(),
  /** The segment within its recording (a restart of the recorder opens the next). */
  segment: z.number().int(),
  name: z.string(),
  startedAt: time,
  endedAt: time.nullable(),
  durationMs: z.number().nullable(),
  bytes: z.number(),
  sha256: z.string().nullable(),
  /** A clip: the number of the programme file it was cut from (null if that file is gone) and the range in it. */
  sourceNumber: z.number().int().nullable(),
  fromMs: z.number().nullable(),
  toMs: z.number().nullable(),
});
export type ReportRecordingFile = z.infer<typeof ReportRecordingFile>;

export const RecordingEventKind = z.enum([
  'start',
  'stop',
  'segment',
  'auto_start',
  'output_add',
  'output_set',
  'output_remove',
  'press',
  'file_delete',
  'clip',
]);
export type RecordingEventKind = z.infer<typeof RecordingEventKind>;

export const RecordingEvent = z.object({
  at: time,
  kind: RecordingEventKind,
  /** segment: its number and why it opened (the recording started, or the recorder came back after a failure). */
  segment: z.number().int().nullable(),
  cause: z.enum(['start', 'restart']).nullable(),
  /** A push's label, a file's name. */
  label: z.string(),
  enabled: z.boolean().nullable(),
  fromMs: z.number().nullable(),
  toMs: z.number().nullable(),
});
export type RecordingEvent = z.infer<typeof RecordingEvent>;

export const ReportRecording = z.object({
  files: z.array(ReportRecordingFile),
  clips: z.array(ReportRecordingFile),
  /** Each chapter with the number of its programme file. */
  chapters: z.array(Chapter.extend({ fileNumber: z.number().int() })),
  events: z.array(RecordingEvent),
});
export type ReportRecording = z.infer<typeof ReportRecording>;

/** A time within a recording: 01:02:03 (hours, minutes, seconds; cut down to the second). */
export function mediaClock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, '0')).join(':');
}

export interface RecordingInput {
  spec: ConferenceSpec;
  events: readonly EventRecord[];
  questions: readonly QuestionView[];
  files: readonly StoredFile[];
  now: number;
}

export function recordingSection({ spec, events, questions, files, now }: RecordingInput): ReportRecording {
  const programme = files.filter((f) => f.kind === 'programme').sort((a, b) => a.startedAt - b.startedAt);
  const numberOf = new Map(programme.map((f, i) => [f.id, i + 1]));
  const row = (f: StoredFile): ReportRecordingFile => ({
    ...{ id: f.id, kind: f.kind, number: numberOf.get(f.id) ?? 0, segment: f.segment, name: f.name, startedAt: f.startedAt },
    ...{ endedAt: f.endedAt, durationMs: f.durationMs, bytes: f.bytes, sha256: f.sha256 },
    sourceNumber: f.sourceFileId === null ? null : (numberOf.get(f.sourceFileId) ?? null),
    ...{ fromMs: f.fromMs, toMs: f.toMs },
  });
  const chapters = chaptersOf(spansOf(events, spec, questions), programme, now).map((c) => ({
    ...c,
    fileNumber: numberOf.get(c.fileId) ?? 0,
  }));
  return {
    files: programme.map(row),
    clips: files.filter((f) => f.kind === 'clip').map(row),
    chapters,
    events: recordingEvents(events),
  };
}

function recordingEvents(events: readonly EventRecord[]): RecordingEvent[] {
  const out: RecordingEvent[] = [];
  const labels = new Map<string, string>();
  const base = { segment: null, cause: null, label: '', enabled: null, fromMs: null, toMs: null };
  for (const e of events) {
    switch (e.action) {
      case 'recording.start':
      case 'recording.stop':
        out.push({ ...base, at: e.at, kind: e.action === 'recording.start' ? 'start' : 'stop' });
        break;
      case 'recording.segment':
        out.push({ ...base, at: e.at, kind: 'segment', segment: e.detail.segment, cause: e.detail.cause });
        break;
      case 'recording.auto_start':
        out.push({ ...base, at: e.at, kind: 'auto_start', enabled: e.detail.enabled });
        break;
      case 'recording.output_add': {
        const label = e.detail.label || e.detail.host;
        labels.set(e.detail.outputId, label);
        out.push({ ...base, at: e.at, kind: 'output_add', label });
        break;
      }
      case 'recording.output_set':
        out.push({ ...base, at: e.at, kind: 'output_set', label: labels.get(e.detail.outputId) ?? '', enabled: e.detail.enabled });
        break;
      case 'recording.output_remove':
        out.push({ ...base, at: e.at, kind: 'output_remove', label: labels.get(e.detail.outputId) ?? '' });
        break;
      case 'recording.press':
        out.push({ ...base, at: e.at, kind: 'press', enabled: e.detail.enabled });
        break;
      case 'recording.file_delete':
        out.push({ ...base, at: e.at, kind: 'file_delete', label: e.detail.name });
        break;
      case 'recording.clip':
        out.push({ ...base, at: e.at, kind: 'clip', label: e.detail.name, fromMs: e.detail.fromMs, toMs: e.detail.toMs });
        break;
      default:
        break;
    }
  }
  return out;
}
