// The recording's handlers (shared/requests/recording.ts). Typed against the request table directly (not
// through ../handlers.ts, which spreads these: no import cycle). The registrar has checked the role.
import type { z } from 'zod';
import type { recordingRequests } from '../../../shared/requests/recording.ts';
import type { Conference } from '../../conference/conference.ts';
import type { Session } from '../../conference/session.ts';
import type { RecordingService } from '../../recording/service.ts';

type Table = typeof recordingRequests;
type RecordingHandler<K extends keyof Table> = (
  ctx: { conference: Conference; session: Session; recording: RecordingService },
  params: z.output<Table[K]['params']>,
) => z.infer<Table[K]['result']> | Promise<z.infer<Table[K]['result']>>;

export const recordingHandlers: { [K in keyof Table]: RecordingHandler<K> } = {
  'recording.view': ({ conference, recording }) => recording.of(conference).view(),
  'recording.start': ({ conference, session, recording }) => recording.of(conference).start(session),
  'recording.stop': ({ conference, session, recording }) => recording.of(conference).stop(session),
  'recording.setAutoStart': ({ conference, session, recording }, p) => recording.of(conference).setAutoStart(session, p.enabled),
  'recording.addOutput': ({ conference, session, recording }, p) => recording.of(conference).addOutput(session, p.url, p.label, p.enabled),
  'recording.setOutput': ({ conference, session, recording }, p) => recording.of(conference).setOutput(session, p.outputId, p.enabled),
  'recording.removeOutput': ({ conference, session, recording }, p) => recording.of(conference).removeOutput(session, p.outputId),
  'recording.setPress': ({ conference, session, recording }, p) => recording.of(conference).setPress(session, p.enabled),
  'recording.deleteFile': ({ conference, session, recording }, p) => recording.of(conference).deleteFile(session, p.fileId),
  'recording.chapters': ({ conference, recording }) => ({ chapters: recording.of(conference).chapters() }),
  'recording.clip': ({ conference, session, recording }, p) => recording.of(conference).clip(session, p),
  'recorder.report': ({ conference, recording }, p) => recording.of(conference).report(p),
};
