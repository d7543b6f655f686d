// The programme's handlers (shared/requests/programme.ts). Typed against the request table directly (not
// through ../handlers.ts, which spreads these: no import cycle). The registrar has checked the role.
import type { z } from 'zod';
import type { programmeRequests } from '../../../shared/requests/programme.ts';
import type { Conference } from '../../conference/conference.ts';
import type { Session } from '../../conference/session.ts';

type Table = typeof programmeRequests;
type ProgrammeHandler<K extends keyof Table> = (
  ctx: { conference: Conference; session: Session },
  params: z.output<Table[K]['params']>,
) => z.infer<Table[K]['result']>;

export const programmeHandlers: { [K in keyof Table]: ProgrammeHandler<K> } = {
  'programme.setLayout': ({ conference, session }, p) => conference.programme.setLayout(session, p.layout, p.message),
  'programme.setGain': ({ conference, session }, p) => conference.programme.setGain(session, p.pointId, p.gainDb),
  'programme.allowSharing': ({ conference, session }, p) => conference.programme.allowSharing(session, p.allowed),
  'programme.stopSharing': ({ conference, session }) => conference.programme.stopSharing(session),
};
