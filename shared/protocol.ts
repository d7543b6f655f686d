// The socket.io protocol: one zod schema per message, types inferred from them, and the event maps
// that server and client both compile against. Every client request carries an ack that receives a
// Result envelope; the server validates every payload against `requests[name].params` at one boundary.
import { z } from 'zod';
import { ConferenceHeader, ConferenceStatus, ConferenceView, FloorView, MediaSource, PointView, Role } from './domain.ts';
import { EndReason, type WireError } from './errors.ts';
import { MediaKind, RtpCapabilities, RtpParameters } from './media.ts';
import { AgendaView, AttendanceView, DocumentView, QuestionView, ReadinessView, RollCallView } from './records.ts';
import { backchannelEvents, backchannelRequests } from './requests/backchannel.ts';
import type { RequestTable } from './requests/common.ts';
import { conferenceRequests } from './requests/conference.ts';
import { credentialRequests } from './requests/credentials.ts';
import { floorRequests } from './requests/floor.ts';
import { mediaRequests } from './requests/media.ts';
import { programmeEvents, programmeRequests } from './requests/programme.ts';
import { questionRequests } from './requests/questions.ts';
import { recordRequests } from './requests/records.ts';
import { recordingEvents, recordingRequests } from './requests/recording.ts';
import { wallRequests } from './requests/wall.ts';

export type Result<T> = { ok: true; data: T } | { ok: false; error: WireError };

/**
 * Client → server requests: params schema, result schema and the roles allowed to send it, one table per
 * area (shared/requests/). A new request goes into its area's table; a new area adds one line here.
 */
export const coreRequests = {
  ...mediaRequests,
  ...floorRequests,
  ...conferenceRequests,
  ...questionRequests,
  ...recordRequests,
} as const satisfies RequestTable;

export const requests = {
  ...coreRequests,
  ...credentialRequests,
  ...backchannelRequests,
  ...programmeRequests,
  ...wallRequests,
  ...recordingRequests,
} as const satisfies RequestTable;

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

/** Server → client events of the core; a feature's own events live in its area file and join `events` below. */
export const coreEvents = {
  'session.welcome': z.object({
    self: SessionSelf,
    conference: ConferenceView,
    routerRtpCapabilities: RtpCapabilities,
  }),
  /** The hub ends this session (replaced by a newer connection, conference ended, ...); it disconnects next. */
  'session.ended': z.object({ reason: EndReason }),
  'conference.status': z.object({ status: ConferenceStatus }),
  /** An organiser edited the conference while it was in use (title, banner, floor length, categories). */
  'conference.updated': ConferenceHeader,
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
    /**
     * programme: the central broadcast; stage: the point on the floor; wall: the monitoring wall; talkback: private,
     * host ↔ one point; standby: a point next in the floor queue, consumed ahead and kept paused by the hub (do not
     * resume it) until `media.consumerPurpose` makes it the stage.
     */
    purpose: z.enum(['programme', 'stage', 'wall', 'talkback', 'standby']),
  }),
  'media.consumerClosed': z.object({ consumerId: z.string() }),
  /** The hub gave one of this session's consumers a new purpose (standby → stage at a floor switch, resumed by the hub). */
  'media.consumerPurpose': z.object({ consumerId: z.string(), purpose: z.enum(['programme', 'stage', 'wall', 'talkback', 'standby']) }),
  /** The hub closed one of this session's producers (the host stopped its sharing, or the floor moved on): stop capturing it. */
  'media.producerClosed': z.object({ producerId: z.string(), source: MediaSource }),
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

/** Server → client events. */
export const events = {
  ...coreEvents,
  ...backchannelEvents,
  ...programmeEvents,
  ...recordingEvents,
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
