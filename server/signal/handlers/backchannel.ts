// The back-channel's and talkback's handlers (shared/requests/backchannel.ts). Typed against the request table
// directly (not through ../handlers.ts, which spreads these: no import cycle). The registrar has checked the
// role; the parts check the rest where the action happens.
import type { z } from 'zod';
import type { backchannelRequests } from '../../../shared/requests/backchannel.ts';
import type { Conference } from '../../conference/conference.ts';
import type { Session } from '../../conference/session.ts';

type Table = typeof backchannelRequests;
type BackchannelHandler<K extends keyof Table> = (
  ctx: { conference: Conference; session: Session },
  params: z.output<Table[K]['params']>,
) => z.infer<Table[K]['result']>;

export const backchannelHandlers: { [K in keyof Table]: BackchannelHandler<K> } = {
  'backchannel.send': ({ conference, session }, p) => conference.backchannel.send(session, p.pointId, p.text),
  'backchannel.confirmHeard': ({ conference, session }, p) => conference.backchannel.confirmHeard(session, p.pointId),
  'backchannel.snapshot': ({ conference, session }) => ({
    ...conference.backchannel.snapshot(session),
    talkback: conference.talkback.viewFor(session),
  }),
  'backchannel.markRead': ({ conference, session }, p) => conference.backchannel.markRead(session, p.pointId),
  'talkback.listen': ({ conference, session }, p) => conference.talkback.listen(session, p.pointId),
  'talkback.talk': ({ conference, session }, p) => conference.talkback.talk(session, p.pointId),
};
