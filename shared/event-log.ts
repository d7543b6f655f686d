// The event log's one union of actions with their details: what the domain writes (in the same
// transaction as the state it changes) and what the report reads, with no guessing of field types.
import { z } from 'zod';
import { ConferenceStatus, Role } from './domain.ts';
import { Layout } from './programme.ts';
import { ReadinessReason } from './records.ts';

const entry = <A extends string, S extends z.ZodRawShape>(action: A, detail: S) =>
  z.object({ action: z.literal(action), detail: z.object(detail) });

const pointId = z.string();
const questionId = z.string();

export const LoggedAction = z.discriminatedUnion('action', [
  entry('conference.status', { from: ConferenceStatus, to: ConferenceStatus }),
  entry('points.import', { count: z.number() }),
  /** An organiser's edit (issue #15): the top-level fields that changed, the points added and removed. */
  entry('conference.edited', { fields: z.array(z.string()), pointsAdded: z.array(pointId), pointsRemoved: z.array(pointId) }),
  entry('point.mute', { pointId, kind: z.enum(['audio', 'video']), muted: z.boolean() }),
  entry('floor.request', { note: z.string() }),
  entry('floor.cancel', {}),
  entry('floor.grant', { pointId, seconds: z.number() }),
  entry('floor.revoke', { pointId: pointId.nullable() }),
  entry('floor.extend', { pointId: pointId.nullable(), seconds: z.number() }),
  entry('floor.expire', { pointId: pointId.nullable() }),
  entry('floor.reorder', { pointId, position: z.number() }),
  entry('floor.drop', { pointId }),
  /** The rehearsal's floor set aside at go-live: back to the centre, the queue emptied. */
  entry('floor.clear', { pointId: pointId.nullable(), dropped: z.array(pointId) }),
  entry('question.submit', { questionId, category: z.string() }),
  entry('question.edit', { questionId }),
  entry('question.accept', { questionId }),
  entry('question.reorder', { questionId, position: z.number() }),
  entry('question.categorise', { questionId, category: z.string() }),
  entry('question.merge', { questionId, intoId: questionId }),
  entry('question.answering', { questionId, giveFloor: z.boolean() }),
  entry('question.answered', { questionId, mode: z.enum(['live', 'written']) }),
  entry('question.dismiss', { questionId, reason: z.string() }),
  /** The rehearsal's open questions set aside at go-live, dismissed with the reason REHEARSAL_REASON. */
  entry('question.set_aside', { questionIds: z.array(questionId), reason: z.string() }),
  entry('attendance.report', { present: z.number(), groups: z.record(z.string(), z.number()) }),
  entry('rollcall.start', { rollCallId: z.string(), seconds: z.number() }),
  entry('rollcall.confirm', { rollCallId: z.string() }),
  entry('rollcall.close', { rollCallId: z.string() }),
  entry('readiness.report', { state: z.enum(['ready', 'not_ready']), reasons: z.array(ReadinessReason) }),
  entry('agenda.goto', { itemId: z.string().nullable() }),
  entry('document.upload', { documentId: z.string(), name: z.string(), size: z.number() }),
  // The back-channel (issue #12 item 4): messages (never their text) and talkback on/off.
  entry('backchannel.send', { messageId: z.string(), pointId: pointId.nullable(), kind: z.enum(['text', 'heard']) }),
  entry('talkback.listen', { pointId: pointId.nullable() }),
  entry('talkback.talk', { pointId: pointId.nullable() }),
  // Join credentials (the host's console, the CLI, REST): who got a code for which point and role, never the code.
  entry('credentials.issue', { pointId, role: Role, expiresAt: z.number() }),
  entry('credentials.revoke', { pointId, role: Role, count: z.number() }),
  // The programme (issue #13): layout and banner message, gains, sharing.
  entry('programme.layout', { layout: Layout, message: z.string() }),
  entry('programme.gain', { pointId, gainDb: z.number() }),
  entry('programme.sharing', { allowed: z.boolean() }),
  entry('programme.stop_sharing', { pointIds: z.array(pointId) }),
  // The recording and the live output (issue #14): never an address's stream key.
  entry('recording.start', { recordingId: z.string() }),
  entry('recording.stop', { recordingId: z.string() }),
  /** A programme segment opened: the first of a recording, or the next after the recorder came back. */
  entry('recording.segment', { recordingId: z.string(), segment: z.number(), fileId: z.string(), cause: z.enum(['start', 'restart']) }),
  entry('recording.auto_start', { enabled: z.boolean() }),
  entry('recording.output_add', { outputId: z.string(), label: z.string(), host: z.string() }),
  entry('recording.output_set', { outputId: z.string(), enabled: z.boolean() }),
  entry('recording.output_remove', { outputId: z.string() }),
  entry('recording.press', { enabled: z.boolean() }),
  entry('recording.file_delete', { fileId: z.string(), name: z.string() }),
  entry('recording.clip', { fileId: z.string(), name: z.string(), fromMs: z.number(), toMs: z.number() }),
]);
export type LoggedAction = z.infer<typeof LoggedAction>;
export type ActionName = LoggedAction['action'];
export type ActionDetail<A extends ActionName> = Extract<LoggedAction, { action: A }>['detail'];

/** Who acted: a point in a role, or null for the hub itself (a timer) or the operator (admin key, CLI). */
export const Actor = z.object({ pointId: z.string(), role: Role }).nullable();
export type Actor = z.infer<typeof Actor>;

/** One row of the log as stored. */
export type LoggedEvent = LoggedAction & { seq: number; at: number; actorPoint: string | null; actorRole: Role | null };
