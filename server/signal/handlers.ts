// One handler per request, a few lines each: the registrar has already parsed the params and checked
// the role; the conference checks the rest where the action happens.
import type { z } from 'zod';
import type { coreRequests, RequestName, RequestResult, requests } from '../../shared/protocol.ts';
import type { CredentialIssuer } from '../auth/credentials.ts';
import { iceSettingsFor, type TurnSettings } from '../auth/turn.ts';
import type { Conference } from '../conference/conference.ts';
import type { Session } from '../conference/session.ts';
import { backchannelHandlers } from './handlers/backchannel.ts';
import { programmeHandlers } from './handlers/programme.ts';
import { credentialHandlers } from './handlers/credentials.ts';
import { recordingHandlers } from './handlers/recording.ts';
import { wallHandlers } from './handlers/wall.ts';
import type { RecordingService } from '../recording/service.ts';

export interface HandlerContext {
  conference: Conference;
  session: Session;
  credentials: CredentialIssuer;
  /** The hub's TURN servers: each WebRTC transport gets fresh credentials for the session's point. */
  turn: TurnSettings;
  /** The recording of every conference on this hub. */
  recording: RecordingService;
}

type Params<K extends RequestName> = z.output<(typeof requests)[K]['params']>;

export type Handler<K extends RequestName> = (ctx: HandlerContext, params: Params<K>) => Promise<RequestResult<K>> | RequestResult<K>;
export type Handlers = { [K in RequestName]: Handler<K> };
/** The handlers of one area's request table (a feature's own file under server/signal/handlers/). */
export type HandlersOf<T> = { [K in keyof T & RequestName]: Handler<K> };

/** The core requests' handlers; a feature with its own request table adds one spread of its handlers below. */
const core: HandlersOf<typeof coreRequests> = {
  'media.setCapabilities': async ({ conference, session }, p) => {
    await conference.media.setCapabilities(session, p.rtpCapabilities);
    return {};
  },
  'media.createTransport': async ({ conference, session, turn }, p) => {
    const info = await conference.media.createTransport(session, p.direction, p.type);
    return info.type === 'webrtc' ? { ...info, ...iceSettingsFor(turn, session.pointId) } : info;
  },
  'media.connectTransport': async ({ conference, session }, p) => {
    await conference.media.connectTransport(session, p);
    return {};
  },
  'media.produce': ({ conference, session }, p) => conference.media.produce(session, p),
  'media.reportLevel': ({ conference, session }, p) => {
    conference.media.reportLevel(session, p.volume);
    return {};
  },
  'media.closeProducer': ({ conference, session }, p) => {
    conference.media.closeProducer(session, p.source);
    return {};
  },
  'media.resumeConsumer': async ({ conference, session }, p) => {
    await conference.media.resumeConsumer(session, p.consumerId);
    return {};
  },
  'media.requestKeyFrame': async ({ session }, p) => {
    await session.peer.requestKeyFrame(p.consumerId);
    return {};
  },
  'media.restartIce': async ({ session }, p) => ({ iceParameters: await session.peer.restartIce(p.transportId) }),
  'media.rebuild': async ({ conference, session }) => {
    await conference.media.restart(session, 'requested');
    return {};
  },
  'floor.request': ({ conference, session }, p) => ({ position: conference.floor.request(session, p.note) }),
  'floor.cancel': ({ conference, session }) => {
    conference.floor.cancel(session);
    return {};
  },
  'floor.grant': ({ conference, session }, p) => conference.floor.grant(p.pointId, p.seconds, session),
  'floor.revoke': ({ conference, session }) => conference.floor.revoke(session),
  'floor.extend': ({ conference, session }, p) => conference.floor.extend(p.seconds, session),
  'floor.reorder': ({ conference, session }, p) => conference.floor.reorder(p.pointId, p.position, session),
  'floor.drop': ({ conference, session }, p) => conference.floor.drop(p.pointId, session),
  'point.mute': ({ conference, session }, p) => conference.mute(p.pointId, p.kind, p.muted, session),
  'conference.setStatus': ({ conference, session }, p) => {
    conference.setStatus(p.status, session);
    return {};
  },
  'question.submit': ({ conference, session }, p) => conference.records.questions.submit(session, p),
  'question.edit': ({ conference, session }, p) => conference.records.questions.edit(session, p),
  'question.list': ({ conference, session }, p) => ({ questions: conference.records.questions.list(session, p) }),
  'question.stats': ({ conference }) => conference.records.questions.stats(),
  'question.accept': ({ conference, session }, p) => conference.records.questions.accept(session, p.questionId),
  'question.reorder': ({ conference, session }, p) => conference.records.questions.reorder(session, p.questionId, p.position),
  'question.categorise': ({ conference, session }, p) => conference.records.questions.categorise(session, p.questionId, p.category),
  'question.merge': ({ conference, session }, p) => conference.records.questions.merge(session, p.questionId, p.intoId),
  'question.answering': ({ conference, session }, p) => conference.records.questions.answering(session, p),
  'question.answered': ({ conference, session }, p) => conference.records.questions.answered(session, p),
  'question.dismiss': ({ conference, session }, p) => conference.records.questions.dismiss(session, p.questionId, p.reason),
  'attendance.report': ({ conference, session }, p) => conference.records.attendance.report(session, p.present, p.groups),
  'rollcall.start': ({ conference, session }, p) => conference.records.rollCall.start(session, p.seconds),
  'rollcall.confirm': ({ conference, session }) => conference.records.rollCall.confirm(session),
  'readiness.ping': (_ctx, p) => ({ sentAt: p.sentAt, serverTime: Date.now() }),
  'readiness.report': async ({ conference, session }, p) => conference.records.readiness.report(session, p, await session.peer.linkStats()),
  'agenda.goto': ({ conference, session }, p) => conference.gotoAgenda(session, p.itemId),
  'records.snapshot': ({ conference, session }) => conference.records.snapshot(session),
};

export const handlers: Handlers = {
  ...core,
  ...credentialHandlers,
  ...wallHandlers,
  ...backchannelHandlers,
  ...programmeHandlers,
  ...recordingHandlers,
};
