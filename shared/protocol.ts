// The socket.io protocol: one zod schema per message, types inferred from them, and the event maps
// that server and client both compile against. Every client request carries an ack that receives a
// Result envelope; the server validates every payload against `requests[name].params` at one boundary.
import { z } from 'zod';
import { EndReason, type WireError } from './errors.ts';
import { ConferenceStatus, ConferenceView, FloorView, MediaSource, PointView, Role } from './domain.ts';
import { DtlsParameters, IceParameters, MediaKind, RtpCapabilities, RtpParameters, SrtpParameters, TransportInfo } from './media.ts';
import {
  AgendaView,
  AttendanceView,
  DocumentView,
  QuestionStats,
  QuestionStatus,
  QuestionView,
  ReadinessMeasurement,
  ReadinessView,
  RollCallView,
} from './records.ts';
import {
  ALL_ROLES,
  CONTROLLERS,
  LEVEL_REPORTERS,
  LIMITS,
  MODERATORS,
  POINT_OPERATORS,
  PUBLISHERS,
  QUESTION_WRITERS,
  READINESS_TESTERS,
  RECORD_READERS,
} from './rules.ts';

export type Result<T> = { ok: true; data: T } | { ok: false; error: WireError };

const id = z.string().min(1).max(LIMITS.idMax);
const empty = z.object({}).strict();
const note = z.string().trim().max(LIMITS.floorNoteMax);
const questionId = id;
const floorSeconds = z.number().int().min(LIMITS.floorSecondsMin).max(LIMITS.floorSecondsMax);
const questionFields = {
  asker: z.string().trim().min(1).max(LIMITS.askerMax),
  unit: z.string().trim().max(LIMITS.unitMax),
  category: z.string().trim().min(1).max(LIMITS.categoryMax),
  text: z.string().trim().min(1).max(LIMITS.questionTextMax),
};
const questionResult = QuestionView;

/** Client → server requests: params schema, result schema and the roles allowed to send it. */
export const requests = {
  'media.setCapabilities': {
    params: z.object({ rtpCapabilities: RtpCapabilities }).strict(),
    result: empty,
    roles: ALL_ROLES,
  },
  'media.createTransport': {
    params: z.object({ direction: z.enum(['send', 'recv']), type: z.enum(['webrtc', 'plain']).default('webrtc') }).strict(),
    result: TransportInfo,
    roles: ALL_ROLES,
  },
  'media.connectTransport': {
    params: z.union([
      z.object({ transportId: id, dtlsParameters: DtlsParameters }).strict(),
      z
        .object({
          transportId: id,
          /** Where the hub sends to (receiving plain transports); senders are learnt from their first packet. */
          ip: z.union([z.ipv4(), z.ipv6()]).optional(),
          port: z.number().int().min(1).max(65535).optional(),
          srtpParameters: SrtpParameters,
        })
        .strict(),
    ]),
    result: empty,
    roles: ALL_ROLES,
  },
  'media.produce': {
    params: z.object({ transportId: id, kind: MediaKind, source: MediaSource, rtpParameters: RtpParameters }).strict(),
    result: z.object({ producerId: z.string() }),
    roles: PUBLISHERS,
  },
  /** The microphone level a point hears itself (dBov), twice a second: the wall shows it while the hub pauses that point's audio. */
  'media.reportLevel': {
    params: z.object({ volume: z.number().min(-127).max(0) }).strict(),
    result: empty,
    roles: LEVEL_REPORTERS,
  },
  'media.resumeConsumer': {
    params: z.object({ consumerId: id }).strict(),
    result: empty,
    roles: ALL_ROLES,
  },
  /** New ICE credentials for one of this session's own WebRTC transports, after its connection failed or stalled. */
  'media.restartIce': {
    params: z.object({ transportId: id }).strict(),
    result: z.object({ iceParameters: IceParameters }),
    roles: ALL_ROLES,
  },
  /** Drops this session's transports, producers and consumers at the hub; `media.restart` follows, to build them again. */
  'media.rebuild': { params: empty, result: empty, roles: ALL_ROLES },
  'floor.request': {
    params: z.object({ note: note.default('') }).strict(),
    result: z.object({ position: z.number().int() }),
    roles: POINT_OPERATORS,
  },
  'floor.cancel': { params: empty, result: empty, roles: POINT_OPERATORS },
  'floor.grant': {
    params: z.object({ pointId: id, seconds: floorSeconds.optional() }).strict(),
    result: FloorView,
    roles: CONTROLLERS,
  },
  'floor.revoke': { params: empty, result: FloorView, roles: CONTROLLERS },
  'floor.extend': {
    params: z.object({ seconds: floorSeconds }).strict(),
    result: FloorView,
    roles: CONTROLLERS,
  },
  'floor.reorder': {
    params: z.object({ pointId: id, position: z.number().int().min(0).max(10_000) }).strict(),
    result: FloorView,
    roles: CONTROLLERS,
  },
  'floor.drop': { params: z.object({ pointId: id }).strict(), result: FloorView, roles: CONTROLLERS },
  'point.mute': {
    params: z.object({ pointId: id, kind: MediaKind, muted: z.boolean() }).strict(),
    result: PointView,
    roles: CONTROLLERS,
  },
  'credentials.issue': {
    params: z
      .object({
        pointId: id,
        role: Role,
        ttlSeconds: z.number().int().min(LIMITS.tokenTtlSecondsMin).max(LIMITS.tokenTtlSecondsMax).default(LIMITS.tokenTtlSecondsDefault),
      })
      .strict(),
    result: z.object({ token: z.string(), code: z.string(), expiresAt: z.number() }),
    roles: CONTROLLERS,
  },
  'conference.setStatus': {
    params: z.object({ status: ConferenceStatus }).strict(),
    result: empty,
    roles: CONTROLLERS,
  },
  'question.submit': {
    params: z.object({ ...questionFields, unit: questionFields.unit.default('') }).strict(),
    result: questionResult,
    roles: QUESTION_WRITERS,
  },
  /** A point corrects its own question while it is still only submitted. */
  'question.edit': {
    params: z
      .object({
        questionId,
        asker: questionFields.asker.optional(),
        unit: questionFields.unit.optional(),
        category: questionFields.category.optional(),
        text: questionFields.text.optional(),
      })
      .strict(),
    result: questionResult,
    roles: QUESTION_WRITERS,
  },
  /** Moderators see every question; a point sees its own. */
  'question.list': {
    params: z
      .object({ status: QuestionStatus.optional(), category: z.string().max(LIMITS.categoryMax).optional(), pointId: id.optional() })
      .strict(),
    result: z.object({ questions: z.array(QuestionView) }),
    roles: RECORD_READERS,
  },
  'question.stats': { params: empty, result: QuestionStats, roles: MODERATORS },
  'question.accept': { params: z.object({ questionId }).strict(), result: questionResult, roles: MODERATORS },
  'question.reorder': {
    params: z.object({ questionId, position: z.number().int().min(1).max(100_000) }).strict(),
    result: questionResult,
    roles: MODERATORS,
  },
  'question.categorise': {
    params: z.object({ questionId, category: questionFields.category }).strict(),
    result: questionResult,
    roles: MODERATORS,
  },
  'question.merge': { params: z.object({ questionId, intoId: questionId }).strict(), result: questionResult, roles: MODERATORS },
  /** Marks a question as being answered; the host may give the floor to the asking point in the same step. */
  'question.answering': {
    params: z.object({ questionId, giveFloor: z.boolean().default(false), seconds: floorSeconds.optional() }).strict(),
    result: questionResult,
    roles: MODERATORS,
  },
  'question.answered': {
    params: z
      .object({ questionId, mode: z.enum(['live', 'written']), answer: z.string().trim().max(LIMITS.answerMax).optional() })
      .strict()
      .refine((p) => p.mode === 'live' || (p.answer ?? '').length > 0, {
        path: ['answer'],
        message: 'a written answer needs its text',
      }),
    result: questionResult,
    roles: MODERATORS,
  },
  'question.dismiss': {
    params: z.object({ questionId, reason: z.string().trim().min(1).max(LIMITS.dismissReasonMax) }).strict(),
    result: questionResult,
    roles: MODERATORS,
  },
  'attendance.report': {
    params: z
      .object({
        present: z.number().int().min(0).max(LIMITS.attendanceMax),
        groups: z
          .record(z.string().trim().min(1).max(LIMITS.categoryMax), z.number().int().min(0).max(LIMITS.attendanceMax))
          .refine((g) => Object.keys(g).length <= LIMITS.attendanceGroupsMax, `at most ${LIMITS.attendanceGroupsMax} groups`)
          .default({}),
      })
      .strict(),
    result: AttendanceView,
    roles: POINT_OPERATORS,
  },
  'rollcall.start': {
    params: z
      .object({
        seconds: z.number().int().min(LIMITS.rollCallSecondsMin).max(LIMITS.rollCallSecondsMax).default(LIMITS.rollCallSecondsDefault),
      })
      .strict(),
    result: RollCallView,
    roles: CONTROLLERS,
  },
  'rollcall.confirm': { params: empty, result: RollCallView, roles: POINT_OPERATORS },
  /** Echo for measuring the signalling round trip. */
  'readiness.ping': {
    params: z.object({ sentAt: z.number() }).strict(),
    result: z.object({ sentAt: z.number(), serverTime: z.number() }),
    roles: ALL_ROLES,
  },
  'readiness.report': { params: ReadinessMeasurement.strict(), result: ReadinessView, roles: READINESS_TESTERS },
  'agenda.goto': {
    params: z.object({ itemId: id.nullable() }).strict(),
    result: AgendaView,
    roles: CONTROLLERS,
  },
  /** Everything around the video that this session may see, to draw its console after (re)connecting. */
  'records.snapshot': {
    params: empty,
    result: z.object({
      questions: z.array(QuestionView),
      attendance: z.array(AttendanceView),
      rollCall: RollCallView.nullable(),
      readiness: z.array(ReadinessView),
      documents: z.array(DocumentView),
    }),
    roles: ALL_ROLES,
  },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType; roles: readonly Role[] }>;

export type RequestName = keyof typeof requests;
export type RequestParams<K extends RequestName> = z.input<(typeof requests)[K]['params']>;
export type RequestResult<K extends RequestName> = z.infer<(typeof requests)[K]['result']>;

export type ClientToServerEvents = {
  [K in RequestName]: (params: RequestParams<K>, ack: (result: Result<RequestResult<K>>) => void) => void;
};

/** Who this connection is, fixed by its token. */
export const SessionSelf = z.object({
  sessionId: z.string(),
  conferenceId: z.string(),
  pointId: z.string(),
  role: Role,
  /** A signed token for this session's credential (also when it joined by code), for the REST API. */
  token: z.string(),
});

/** Server → client events. */
export const events = {
  'session.welcome': z.object({
    self: SessionSelf,
    conference: ConferenceView,
    routerRtpCapabilities: RtpCapabilities,
  }),
  /** The hub ends this session (replaced by a newer connection, conference ended, ...); it disconnects next. */
  'session.ended': z.object({ reason: EndReason }),
  'conference.status': z.object({ status: ConferenceStatus }),
  'point.updated': PointView,
  'floor.updated': FloorView,
  'floor.warning': z.object({ pointId: z.string(), secondsLeft: z.number() }),
  /** Consume this producer on your receiving transport, then send media.resumeConsumer. */
  'media.consumer': z.object({
    consumerId: z.string(),
    producerId: z.string(),
    transportId: z.string(),
    kind: MediaKind,
    rtpParameters: RtpParameters,
    pointId: z.string(),
    source: MediaSource,
    /** programme: the central broadcast; stage: the point on the floor; wall: the monitoring wall. */
    purpose: z.enum(['programme', 'stage', 'wall']),
  }),
  'media.consumerClosed': z.object({ consumerId: z.string() }),
  /**
   * This session's media at the hub is gone (its worker died, or the client asked with media.rebuild):
   * transports, producers and consumers. Build them again within this session: media.setCapabilities,
   * new transports, produce again; consumers are offered again as usual.
   */
  'media.restart': z.object({ reason: z.enum(['worker_died', 'requested']), routerRtpCapabilities: RtpCapabilities }),
  /** To moderators and to the asking point. */
  'question.updated': QuestionView,
  'attendance.updated': AttendanceView,
  'rollcall.updated': RollCallView,
  'readiness.updated': ReadinessView,
  'agenda.updated': AgendaView,
  'documents.updated': z.object({ documents: z.array(DocumentView) }),
  /** Audio levels (dBov, -127..0) of points whose audio reaches the server, for the monitoring wall. */
  'wall.levels': z.object({ levels: z.array(z.object({ pointId: z.string(), volume: z.number() })) }),
} as const;

export type EventName = keyof typeof events;
export type EventPayload<K extends EventName> = z.infer<(typeof events)[K]>;
export type ServerToClientEvents = { [K in EventName]: (payload: EventPayload<K>) => void };

/** What the client sends in the socket.io handshake (`auth`). */
export const HandshakeAuth = z.union([
  z.object({ token: z.string().min(10).max(4096) }).strict(),
  z.object({ code: z.string().min(4).max(32) }).strict(),
]);
export type HandshakeAuth = z.infer<typeof HandshakeAuth>;
