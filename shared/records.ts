// What the seed plans do around the video: questions collected and classified at the points and moderated
// at the centre, attendance and roll call, readiness tests, the agenda and documents.
import { z } from 'zod';
import { LIMITS } from './rules.ts';

export const QuestionStatus = z.enum(['submitted', 'queued', 'answering', 'answered', 'dismissed', 'merged']);
export type QuestionStatus = z.infer<typeof QuestionStatus>;

/** The dismiss reason of a question asked during the rehearsal and set aside at go-live (a code, shown in words). */
export const REHEARSAL_REASON = 'rehearsal';

export const QuestionView = z.object({
  id: z.string(),
  pointId: z.string(),
  asker: z.string(),
  unit: z.string(),
  category: z.string(),
  text: z.string(),
  status: QuestionStatus,
  /** Place in the moderated queue (1-based) while queued; null otherwise. */
  position: z.number().int().nullable(),
  answerMode: z.enum(['live', 'written']).nullable(),
  answer: z.string().nullable(),
  dismissReason: z.string().nullable(),
  mergedInto: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type QuestionView = z.infer<typeof QuestionView>;

export const QuestionStats = z.object({
  byStatus: z.record(z.string(), z.number()),
  byCategory: z.record(z.string(), z.number()),
  byPoint: z.record(z.string(), z.number()),
});
export type QuestionStats = z.infer<typeof QuestionStats>;

export const AttendanceView = z.object({
  pointId: z.string(),
  present: z.number().int(),
  /** Optional breakdown, e.g. { "cấp huyện": 20, "cấp xã": 15 }. */
  groups: z.record(z.string(), z.number().int()),
  reportedAt: z.number(),
});
export type AttendanceView = z.infer<typeof AttendanceView>;

export const RollCallView = z.object({
  id: z.string(),
  startedAt: z.number(),
  deadline: z.number(),
  /** pointId → when it confirmed. */
  confirmed: z.record(z.string(), z.number()),
  open: z.boolean(),
});
export type RollCallView = z.infer<typeof RollCallView>;

const linkStats = z.object({
  bitrateKbps: z.number().min(0).max(1_000_000),
  lossPercent: z.number().min(0).max(100),
  jitterMs: z.number().min(0).max(60_000),
  roundTripMs: z.number().min(0).max(60_000),
});

/** What a point's connection test measured on the client side. */
export const ReadinessMeasurement = z.object({
  signallingRoundTripMs: z.number().min(0).max(60_000),
  send: linkStats,
  receive: linkStats,
  /** Microphone level heard at the client, dBov (-127 silence .. 0 loudest). */
  microphoneLevelDb: z.number().min(-127).max(0),
});
export type ReadinessMeasurement = z.infer<typeof ReadinessMeasurement>;

/** One thing that keeps a point from being ready: what, on which direction of the link, measured against the limit. */
export const ReadinessReason = z.object({
  code: z.enum(['signalling_slow', 'bitrate_low', 'loss_high', 'round_trip_high', 'jitter_high', 'microphone_silent']),
  direction: z.enum(['send', 'receive']).nullable(),
  value: z.number(),
  limit: z.number(),
});
export type ReadinessReason = z.infer<typeof ReadinessReason>;

export const ReadinessView = z.object({
  pointId: z.string(),
  state: z.enum(['ready', 'not_ready', 'not_tested']),
  reasons: z.array(ReadinessReason),
  testedAt: z.number().nullable(),
  measurement: ReadinessMeasurement.nullable(),
  /** What the hub saw of the same connection (its transport statistics), when it had any. */
  server: z.object({ receiveBitrateKbps: z.number(), sendBitrateKbps: z.number(), roundTripMs: z.number().nullable() }).nullable(),
});
export type ReadinessView = z.infer<typeof ReadinessView>;

export const AgendaItem = z.object({
  id: z.string().regex(LIMITS.idPattern),
  title: z.string().min(1).max(500),
  /** The point whose rapporteur presents it (often the centre). */
  rapporteurPointId: z.string().nullable().default(null),
  rapporteur: z.string().max(300).default(''),
  plannedMinutes: z.number().int().min(1).max(600),
});
export type AgendaItem = z.infer<typeof AgendaItem>;

export const AgendaView = z.object({
  items: z.array(AgendaItem),
  currentItemId: z.string().nullable(),
  currentSince: z.number().nullable(),
});
export type AgendaView = z.infer<typeof AgendaView>;

export const DocumentView = z.object({
  id: z.string(),
  name: z.string(),
  mimeType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  uploadedAt: z.number(),
});
export type DocumentView = z.infer<typeof DocumentView>;
