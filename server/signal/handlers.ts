// One handler per request, a few lines each: the registrar has already parsed the params and checked
// the role; the conference checks the rest where the action happens.
import type { z } from 'zod';
import { requests, type RequestName, type RequestResult } from '../../shared/protocol.ts';
import type { CredentialIssuer } from '../auth/credentials.ts';
import type { Conference } from '../conference/conference.ts';
import type { Session } from '../conference/session.ts';

export interface HandlerContext {
  conference: Conference;
  session: Session;
  credentials: CredentialIssuer;
}

type Params<K extends RequestName> = z.output<(typeof requests)[K]['params']>;

export type Handlers = {
  [K in RequestName]: (ctx: HandlerContext, params: Params<K>) => Promise<RequestResult<K>> | RequestResult<K>;
};

export const handlers: Handlers = {
  'media.setCapabilities': async ({ conference, session }, p) => {
    await conference.setCapabilities(session, p.rtpCapabilities);
    return {};
  },
  'media.createTransport': ({ conference, session }, p) => conference.createTransport(session, p.direction, p.type),
  'media.connectTransport': async ({ conference, session }, p) => {
    await conference.connectTransport(session, p);
    return {};
  },
  'media.produce': ({ conference, session }, p) => conference.produce(session, p),
  'media.resumeConsumer': async ({ conference, session }, p) => {
    await conference.resumeConsumer(session, p.consumerId);
    return {};
  },
  'floor.request': ({ conference, session }, p) => ({ position: conference.requestFloor(session, p.note) }),
  'floor.cancel': ({ conference, session }) => {
    conference.cancelFloor(session);
    return {};
  },
  'floor.grant': ({ conference }, p) => conference.grantFloor(p.pointId, p.seconds),
  'floor.revoke': ({ conference }) => conference.revokeFloor(),
  'floor.extend': ({ conference }, p) => conference.extendFloor(p.seconds),
  'floor.reorder': ({ conference }, p) => conference.reorderFloor(p.pointId, p.position),
  'floor.drop': ({ conference }, p) => conference.dropFloorRequest(p.pointId),
  'point.mute': ({ conference }, p) => conference.mute(p.pointId, p.kind, p.muted),
  'credentials.issue': ({ conference, credentials }, p) => {
    conference.assertRoleAtPoint(p.pointId, p.role);
    return credentials.issue({ conferenceId: conference.id, pointId: p.pointId, role: p.role }, p.ttlSeconds);
  },
  'conference.setStatus': ({ conference }, p) => {
    conference.setStatus(p.status);
    return {};
  },
};
