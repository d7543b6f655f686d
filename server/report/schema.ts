// The conference report's shape: zod schemas (for the OpenAPI document) and the types inferred from them.
import { z } from 'zod';
import { ConferenceStatus, ConnectionState, PointLevel } from '../../shared/domain.ts';
import { DocumentView, QuestionStats, QuestionStatus, ReadinessReason, ReadinessView } from '../../shared/records.ts';
import { ReportProgramme } from './programme.ts';
import { ReportRecording } from './recording.ts';

const time = z.number().describe('epoch milliseconds');

export const FloorSegment = z.object({
  pointId: z.string(),
  pointName: z.string(),
  level: PointLevel.nullable(),
  start: time,
  /** null while the point still holds the floor. */
  end: time.nullable(),
  seconds: z.number(),
  endedBy: z.enum(['grant', 'revoke', 'expire', 'conference_end', 'ongoing']),
});
export type FloorSegment = z.infer<typeof FloorSegment>;

export const ReportQuestion = z.object({
  id: z.string(),
  pointId: z.string(),
  pointName: z.string(),
  asker: z.string(),
  unit: z.string(),
  category: z.string(),
  text: z.string(),
  status: QuestionStatus,
  answerMode: z.enum(['live', 'written']).nullable(),
  answer: z.string().nullable(),
  dismissReason: z.string().nullable(),
  mergedInto: z.string().nullable(),
  createdAt: time,
  /** When it was marked answered (from the event log). */
  answeredAt: time.nullable(),
});
export type ReportQuestion = z.infer<typeof ReportQuestion>;

export const PointAttendance = z.object({
  pointId: z.string(),
  pointName: z.string(),
  level: PointLevel,
  parentId: z.string().nullable(),
  expected: z.number().int(),
  /** null when the point never reported. */
  present: z.number().int().nullable(),
  groups: z.record(z.string(), z.number().int()),
  reportedAt: time.nullable(),
});

export const LevelAttendance = z.object({
  level: PointLevel,
  points: z.number().int(),
  reported: z.number().int(),
  present: z.number().int(),
  expected: z.number().int(),
});

export const RollCallResult = z.object({
  id: z.string(),
  startedAt: time,
  deadline: time,
  confirmed: z.array(z.object({ pointId: z.string(), pointName: z.string(), at: time })),
  /** Remote points that did not confirm. */
  missing: z.array(z.object({ pointId: z.string(), pointName: z.string() })),
});

export const PointConnection = z.object({
  pointId: z.string(),
  pointName: z.string(),
  firstConnectedAt: time.nullable(),
  /** Times the connection dropped (connected → reconnecting). */
  drops: z.number().int(),
  connectedSeconds: z.number(),
  /** `never` when the point never connected. */
  lastState: ConnectionState,
});

/** A point's latest connection test. */
export const PointReadiness = z.object({
  pointId: z.string(),
  pointName: z.string(),
  level: PointLevel,
  state: ReadinessView.shape.state,
  testedAt: time.nullable(),
  reasons: z.array(ReadinessReason),
});

export const LevelReadiness = z.object({
  level: PointLevel.nullable(),
  points: z.number().int(),
  ready: z.number().int(),
  notReady: z.number().int(),
  notTested: z.number().int(),
});
export type LevelReadiness = z.infer<typeof LevelReadiness>;

export const AgendaSegment = z.object({
  itemId: z.string(),
  title: z.string(),
  rapporteur: z.string(),
  plannedMinutes: z.number(),
  start: time,
  end: time.nullable(),
  seconds: z.number(),
});

export const ConferenceReport = z.object({
  generatedAt: time,
  conference: z.object({
    id: z.string(),
    title: z.string(),
    content: z.string(),
    organiser: z.string(),
    startsAt: z.string(),
    status: ConferenceStatus,
    /** When it went live and when it ended (from the event log); null if it has not. */
    liveAt: time.nullable(),
    endedAt: time.nullable(),
  }),
  floor: z.object({
    segments: z.array(FloorSegment),
    byPoint: z.array(z.object({ pointId: z.string(), pointName: z.string(), turns: z.number().int(), seconds: z.number() })),
    totalSeconds: z.number(),
  }),
  agenda: z.array(AgendaSegment),
  questions: z.object({ total: z.number().int(), stats: QuestionStats, items: z.array(ReportQuestion) }),
  attendance: z.object({
    points: z.array(PointAttendance),
    byLevel: z.array(LevelAttendance),
    totals: z.object({ points: z.number().int(), reported: z.number().int(), present: z.number().int(), expected: z.number().int() }),
  }),
  rollCalls: z.array(RollCallResult),
  /** Every point but the centre. */
  readiness: z.array(PointReadiness),
  /** The readiness results counted by level, with a total row (level null). */
  readinessByLevel: z.array(LevelReadiness),
  connections: z.array(PointConnection),
  documents: z.array(DocumentView),
  /** Layouts shown to the halls, sharing, and the gains in effect at the end. */
  programme: ReportProgramme,
  /** The programme recording: its files, the chapters with their place in them, clips, and what happened to it. */
  recording: ReportRecording,
  /** Event-log rows the report could not read (none unless the database was changed by hand or by a newer hub). */
  unreadableEvents: z.array(z.object({ seq: z.number().int(), action: z.string() })),
});
export type ConferenceReport = z.infer<typeof ConferenceReport>;
