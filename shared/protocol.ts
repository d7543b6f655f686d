// The socket.io protocol: one zod schema per message, types inferred from them, and the event maps
// that server and client both compile against. Every client request carries an ack that receives a
// Result envelope; the server validates every payload against `requests[name].params` at one boundary.
import { z } from 'zod';
import { WireError } from './errors.ts';
import { ConferenceStatus, ConferenceView, FloorView, MediaSource, PointView, Role } from './domain.ts';
import { DtlsParameters, IceParameters, MediaKind, RtpCapabilities, RtpParameters, SrtpParameters, TransportInfo } from './media.ts';
import {
  AgendaView,
  AttendanceView,
  DocumentView,
  QUESTION_TEXT_MAX,
  QuestionStats,
  QuestionStatus,
  QuestionView,
  ReadinessMeasurement,
  ReadinessView,
  RollCallView,
} from './records.ts';

export type Result<T> = { ok: true; data: T } | { ok: false; error: WireError };

const id = z.string().min(1).max(64);
const empty = z.object({}).strict();
const note = z.string().trim().max(500);
const questionId = id;
const moderators = ['host', 'cohost'] as const;
const pointWriters = ['technician', 'secretary'] as const;
const questionFields = {
  asker: z.string().trim().min(1).max(200),
  unit: z.string().trim().max(300),
  category: z.string().trim().min(1).max(100),
  text: z.string().trim().min(1).max(QUESTION_TEXT_MAX),
};
const questionResult = QuestionView;

/** Client → server requests: params schema, result schema and the roles allowed to send it. */
export const requests = {
  'media.setCapabilities': {
    params: z.object({ rtpCapabilities: RtpCapabilities }).strict(),
    result: empty,
    roles: ['host', 'cohost', 'technician', 'secretary', 'viewer'],
  },
  'media.createTransport': {
    params: z
      .object({ direction: z.enum(['send', 'recv']), type: z.enum(['webrtc', 'plain']).default('webrtc') })
      .strict(),
    result: TransportInfo,
    roles: ['host', 'cohost', 'technician', 'secretary', 'viewer'],
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
    roles: ['host', 'cohost', 'technician', 'secretary', 'viewer'],
  },
  'media.produce': {
    params: z.object({ transportId: id, kind: MediaKind, source: MediaSource, rtpParameters: RtpParameters }).strict(),
    result: z.object({ producerId: z.string() }),
    roles: ['host', 'cohost', 'technician'],
  },
  /** The microphone level a point hears itself (dBov), twice a second: the wall shows it while the hub pauses that point's audio. */
  'media.reportLevel': {
    params: z.object({ volume: z.number().min(-127).max(0) }).strict(),
    result: empty,
    roles: ['cohost', 'technician'],
  },
  'media.resumeConsumer': {
    params: z.object({ consumerId: id }).strict(),
    result: empty,
    roles: ['host', 'cohost', 'technician', 'secretary', 'viewer'],
  },
  /** New ICE credentials for one of this session's own WebRTC transports, after its connection failed or stalled. */
  'media.restartIce': {
    params: z.object({ transportId: id }).strict(),
    result: z.object({ iceParameters: IceParameters }),
    roles: ['host', 'cohost', 'technician', 'secretary', 'viewer'],
  },
  /** Drops this session's transports, producers and consumers at the hub; `media.restart` follows, to build them again. */
  'media.rebuild': { params: empty, result: empty, roles: ['host', 'cohost', 'technician', 'secretary', 'viewer'] },
  'floor.request': {
    params: z.object({ note: note.default('') }).strict(),
    result: z.object({ position: z.number().int() }),
    roles: ['technician'],
  },
  'floor.cancel': { params: empty, result: empty, roles: ['technician'] },
  'floor.grant': {
    params: z.object({ pointId: id, seconds: z.number().int().min(5).max(3600).optional() }).strict(),
    result: FloorView,
    roles: ['host'],
  },
  'floor.revoke': { params: empty, result: FloorView, roles: ['host'] },
  'floor.extend': {
    params: z.object({ seconds: z.number().int().min(5).max(3600) }).strict(),
    result: FloorView,
    roles: ['host'],
  },
  'floor.reorder': {
    params: z.object({ pointId: id, position: z.number().int().min(0).max(10_000) }).strict(),
    result: FloorView,
    roles: ['host'],
  },
  'floor.drop': { params: z.object({ pointId: id }).strict(), result: FloorView, roles: ['host'] },
  'point.mute': {
    params: z.object({ pointId: id, kind: MediaKind, muted: z.boolean() }).strict(),
    result: PointView,
    roles: ['host'],
  },
  'credentials.issue': {
    params: z
      .object({ pointId: id, role: Role, ttlSeconds: z.number().int().min(60).max(30 * 86_400).default(86_400) })
      .strict(),
    result: z.object({ token: z.string(), code: z.string(), expiresAt: z.number() }),
    roles: ['host'],
  },
  'conference.setStatus': {
    params: z.object({ status: ConferenceStatus }).strict(),
    result: empty,
    roles: ['host'],
  },
  'question.submit': {
    params: z.object({ ...questionFields, unit: questionFields.unit.default('') }).strict(),
    result: questionResult,
    roles: pointWriters,
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
    roles: pointWriters,
  },
  /** Moderators see every question; a point sees its own. */
  'question.list': {
    params: z.object({ status: QuestionStatus.optional(), category: z.string().max(100).optional(), pointId: id.optional() }).strict(),
    result: z.object({ questions: z.array(QuestionView) }),
    roles: ['host', 'cohost', 'technician', 'secretary'],
  },
  'question.stats': { params: empty, result: QuestionStats, roles: moderators },
  'question.accept': { params: z.object({ questionId }).strict(), result: questionResult, roles: moderators },
  'question.reorder': {
    params: z.object({ questionId, position: z.number().int().min(1).max(100_000) }).strict(),
    result: questionResult,
    roles: moderators,
  },
  'question.categorise': {
    params: z.object({ questionId, category: questionFields.category }).strict(),
    result: questionResult,
    roles: moderators,
  },
  'question.merge': { params: z.object({ questionId, intoId: questionId }).strict(), result: questionResult, roles: moderators },
  /** Marks a question as being answered; the host may give the floor to the asking point in the same step. */
  'question.answering': {
    params: z
      .object({ questionId, giveFloor: z.boolean().default(false), seconds: z.number().int().min(5).max(3600).optional() })
      .strict(),
    result: questionResult,
    roles: moderators,
  },
  'question.answered': {
    params: z
      .object({ questionId, mode: z.enum(['live', 'written']), answer: z.string().trim().max(10_000).optional() })
      .strict()
      .refine((p) => p.mode === 'live' || (p.answer ?? '').length > 0, {
        path: ['answer'],
        message: 'a written answer needs its text',
      }),
    result: questionResult,
    roles: moderators,
  },
  'question.dismiss': {
    params: z.object({ questionId, reason: z.string().trim().min(1).max(500) }).strict(),
    result: questionResult,
    roles: moderators,
  },
  'attendance.report': {
    params: z
      .object({
        present: z.number().int().min(0).max(100_000),
        groups: z
          .record(z.string().trim().min(1).max(100), z.number().int().min(0).max(100_000))
          .refine((g) => Object.keys(g).length <= 20, 'at most 20 groups')
          .default({}),
      })
      .strict(),
    result: AttendanceView,
    roles: ['technician'],
  },
  'rollcall.start': {
    params: z.object({ seconds: z.number().int().min(10).max(900).default(60) }).strict(),
    result: RollCallView,
    roles: ['host'],
  },
  'rollcall.confirm': { params: empty, result: RollCallView, roles: ['technician'] },
  /** Echo for measuring the signalling round trip. */
  'readiness.ping': {
    params: z.object({ sentAt: z.number() }).strict(),
    result: z.object({ sentAt: z.number(), serverTime: z.number() }),
    roles: ['host', 'cohost', 'technician', 'secretary', 'viewer'],
  },
  'readiness.report': { params: ReadinessMeasurement.strict(), result: ReadinessView, roles: ['cohost', 'technician'] },
  'agenda.goto': {
    params: z.object({ itemId: id.nullable() }).strict(),
    result: AgendaView,
    roles: ['host'],
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
    roles: ['host', 'cohost', 'technician', 'secretary', 'viewer'],
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
  'session.ended': z.object({ reason: z.enum(['replaced', 'conference_ended', 'shutdown']), message: z.string() }),
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
