// The recording and the live output of a conference's programme: whether the host records, the recorder
// process that mixes the programme (as the halls see it) and writes it, the live pushes to RTMP/RTMPS
// addresses (a TV station, a streaming platform), the press page's public link, the files made, and the
// disk. Conference state for the moderators; the recorder gets its own orders (`recorder.config`).
import { z } from 'zod';
import { MediaSource } from './domain.ts';
import { LIMITS } from './rules.ts';

/**
 * The recorder process: off (nothing needs the programme mix), starting (spawned, not yet writing), running
 * (the mix is written), restarting (it died and comes back in a new segment), failed (it keeps dying: the
 * hub retries less often; the host sees it).
 */
export const RecorderState = z.enum(['off', 'starting', 'running', 'restarting', 'failed']);
export type RecorderState = z.infer<typeof RecorderState>;

/** A live push: off (the host switched it off), connecting, live (data flows), retrying (after a failure, with backoff). */
export const OutputState = z.enum(['off', 'connecting', 'live', 'retrying']);
export type OutputState = z.infer<typeof OutputState>;

/** An RTMP or RTMPS address with an application and a stream key, as a TV station or a platform gives it. */
export const LiveOutputUrl = z
  .string()
  .trim()
  .min(1)
  .max(LIMITS.liveOutputUrlMax)
  .refine((text) => liveOutputUrlProblem(text) === null, { message: 'not an rtmp:// or rtmps:// address with a path' });

/** Why `text` is not a usable push address, or null. */
export function liveOutputUrlProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not_url';
  }
  if (url.protocol !== 'rtmp:' && url.protocol !== 'rtmps:') return 'scheme';
  if (!url.hostname) return 'host';
  if (url.pathname.split('/').filter(Boolean).length < 1) return 'path';
  if (/\s/.test(text)) return 'spaces';
  return null;
}

/** The address as the console shows it: the stream key (the last path part) and any query are hidden. */
export function maskLiveOutputUrl(text: string): string {
  try {
    const url = new URL(text);
    const parts = url.pathname.split('/').filter(Boolean);
    const shown = parts.length > 1 ? [...parts.slice(0, -1), '••••'] : ['••••'];
    return `${url.protocol}//${url.host}/${shown.join('/')}`;
  } catch {
    return '••••';
  }
}

export const LiveOutputView = z.object({
  id: z.string(),
  label: z.string(),
  /** With the stream key hidden. */
  url: z.string(),
  enabled: z.boolean(),
  state: OutputState,
  /** Failed attempts since it last went live. */
  attempt: z.number().int(),
  /** A stable code for the last failure (e.g. 'connect', 'refused', 'exited'), null when none. */
  error: z.string().nullable(),
  /** Since when it is in its state (ms since 1970). */
  since: z.number().nullable(),
});
export type LiveOutputView = z.infer<typeof LiveOutputView>;

/** programme: a segment of the programme recording; clip: a cut of it; track: a stage stream kept as it came. */
export const RecordingFileKind = z.enum(['programme', 'clip', 'track']);
export type RecordingFileKind = z.infer<typeof RecordingFileKind>;

export const RecordingFileView = z.object({
  id: z.string(),
  kind: RecordingFileKind,
  /** The file's name as downloaded. */
  name: z.string(),
  /** The programme segment's number (1 for the first of a recording), 0 for clips and tracks. */
  segment: z.number().int(),
  /** The point whose stream a track is, else null. */
  pointId: z.string().nullable(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  /** Null while it is written or not yet measured. */
  durationMs: z.number().nullable(),
  bytes: z.number(),
  /** Hex SHA-256 of the whole file, null while it is written or being hashed. */
  sha256: z.string().nullable(),
  /** Being written now. */
  open: z.boolean(),
  /** A clip: the programme file it was cut from and the range in it (ms); null otherwise. */
  sourceFileId: z.string().nullable(),
  fromMs: z.number().nullable(),
  toMs: z.number().nullable(),
});
export type RecordingFileView = z.infer<typeof RecordingFileView>;

export const RecordingView = z.object({
  /** The host's choice: the programme is recorded now. */
  recording: z.boolean(),
  /** The recording starts by itself when the conference goes live. */
  autoStart: z.boolean(),
  /** When the current recording started (its first segment), null when not recording. */
  startedAt: z.number().nullable(),
  recorder: RecorderState,
  /** The programme segment being written (1, 2, ... within a recording; a restart of the recorder opens the next). */
  segment: z.number().int(),
  /** How much of the current segment is written (ms), and its frame rate as the mixer reports it. */
  writtenMs: z.number(),
  fps: z.number(),
  /** The press page's public link is on; its key (in the link) changes every time it is switched on. */
  press: z.object({ enabled: z.boolean(), key: z.string().nullable() }),
  /** The HLS playlist for the press page is being written. */
  hls: z.boolean(),
  disk: z.object({ freeBytes: z.number(), minFreeBytes: z.number() }),
  outputs: z.array(LiveOutputView),
  files: z.array(RecordingFileView),
});
export type RecordingView = z.infer<typeof RecordingView>;

/** What the hub orders its recorder to do (sent to the recorder's session only, on join and on every change). */
export const RecorderConfig = z.object({
  /** The programme segment to write, as a path relative to the recordings folder, or null for none. */
  record: z.object({ segment: z.number().int(), path: z.string() }).nullable(),
  /** The HLS folder (relative), or null. */
  hls: z.string().nullable(),
  /** The pushes, with their full addresses. */
  outputs: z.array(z.object({ id: z.string(), url: z.string(), enabled: z.boolean() })),
});
export type RecorderConfig = z.infer<typeof RecorderConfig>;

/**
 * A chapter of the recording, from the event log: a point's speaking turn, an agenda item, a question answered
 * live. Times are within its programme file (ms from the file's start); `endMs` null while it goes on.
 */
export const Chapter = z.object({
  id: z.string(),
  kind: z.enum(['turn', 'agenda', 'question']),
  /** The point's name, the agenda item's title, or the question's asker and unit. */
  title: z.string(),
  pointId: z.string().nullable(),
  fileId: z.string(),
  startMs: z.number(),
  endMs: z.number().nullable(),
  /** Wall-clock times (ms since 1970). */
  from: z.number(),
  to: z.number().nullable(),
});
export type Chapter = z.infer<typeof Chapter>;

/** A clip: a chapter, or a range of one programme file (ms). */
export const ClipRequest = z.union([
  z.object({ chapterId: z.string().min(1).max(200), name: z.string().trim().max(LIMITS.clipNameMax).optional() }).strict(),
  z
    .object({
      fileId: z.string().min(1).max(64),
      fromMs: z.number().int().min(0),
      toMs: z.number().int().min(1),
      name: z.string().trim().max(LIMITS.clipNameMax).optional(),
    })
    .strict(),
]);
export type ClipRequest = z.infer<typeof ClipRequest>;

/** What the recorder reports, twice a second and on every change. */
export const RecorderReport = z.object({
  state: z.enum(['starting', 'running']),
  segment: z.number().int().min(0),
  /** When the current segment's writer started (its media time 0, wall clock), null when none. */
  segmentStartedAt: z.number().nullable(),
  writtenMs: z.number().min(0),
  fps: z.number().min(0),
  hls: z.boolean(),
  /** The track archive's open files: one per stage stream and turn, kept as it came. */
  tracks: z
    .array(
      z.object({
        id: z.string().max(64),
        pointId: z.string().max(64),
        source: MediaSource,
        path: z.string().max(500),
        startedAt: z.number(),
      }),
    )
    .max(32)
    .optional(),
  outputs: z
    .array(
      z.object({
        id: z.string().max(64),
        state: OutputState,
        attempt: z.number().int().min(0),
        error: z.string().max(64).nullable(),
      }),
    )
    .max(LIMITS.liveOutputsMax),
});
export type RecorderReport = z.infer<typeof RecorderReport>;
