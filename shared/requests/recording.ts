// The recording's requests: the host starts and stops the programme recording, lets it start with the
// conference, adds and switches live pushes (RTMP/RTMPS), turns the press page's public link on and off, and
// deletes files; the hub's recorder process reports what it writes and sends.
import { z } from 'zod';
import { Chapter, ClipRequest, LiveOutputUrl, RecorderConfig, RecorderReport, RecordingView } from '../recording.ts';
import { CONTROLLERS, LIMITS, MODERATORS, RECORDERS } from '../rules.ts';
import { type RequestTable, id, empty } from './common.ts';

const label = z.string().trim().max(LIMITS.liveOutputLabelMax);

export const recordingRequests = {
  /** The recording, outputs, files and disk (moderators see it; only the host changes it). */
  'recording.view': { params: empty, result: RecordingView, roles: MODERATORS },
  /** Starts recording the programme (refused when the disk is short or the conference has ended). */
  'recording.start': { params: empty, result: RecordingView, roles: CONTROLLERS },
  'recording.stop': { params: empty, result: RecordingView, roles: CONTROLLERS },
  /** Whether the recording starts by itself when the conference goes live. */
  'recording.setAutoStart': { params: z.object({ enabled: z.boolean() }).strict(), result: RecordingView, roles: CONTROLLERS },
  /** A live push of the programme to an RTMP or RTMPS address (its stream key is never shown again). */
  'recording.addOutput': {
    params: z.object({ url: LiveOutputUrl, label, enabled: z.boolean().default(true) }).strict(),
    result: RecordingView,
    roles: CONTROLLERS,
  },
  'recording.setOutput': { params: z.object({ outputId: id, enabled: z.boolean() }).strict(), result: RecordingView, roles: CONTROLLERS },
  'recording.removeOutput': { params: z.object({ outputId: id }).strict(), result: RecordingView, roles: CONTROLLERS },
  /** The press page's public link (HLS, a few seconds behind): on with a fresh key, or off. */
  'recording.setPress': { params: z.object({ enabled: z.boolean() }).strict(), result: RecordingView, roles: CONTROLLERS },
  /** The chapters of every programme file: speaking turns, agenda items, questions answered live. */
  'recording.chapters': { params: empty, result: z.object({ chapters: z.array(Chapter) }), roles: MODERATORS },
  /** Cuts a clip (a chapter or a range) from a programme file without re-encoding (key frames every 2 s). */
  'recording.clip': { params: ClipRequest, result: RecordingView, roles: CONTROLLERS },
  'recording.deleteFile': { params: z.object({ fileId: id }).strict(), result: RecordingView, roles: CONTROLLERS },
  /** The recorder's state, twice a second and on change; answered with its orders (also sent as `recorder.config`). */
  'recorder.report': { params: RecorderReport.strict(), result: RecorderConfig, roles: RECORDERS },
} as const satisfies RequestTable;

export const recordingEvents = {
  /** The recording changed (state, outputs, files, disk): to the moderators. */
  'recording.updated': RecordingView,
  /** The hub's orders to its recorder: to the recorder's session only. */
  'recorder.config': RecorderConfig,
} as const;
