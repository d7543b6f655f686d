// The monitoring wall's requests: the conference's media rules keep the visible tiles and offer video for them.
// Typed against the request table directly (not through ../handlers.ts, which spreads these: no import cycle);
// handlers.ts checks them against its Handlers type where it spreads them.
import type { z } from 'zod';
import type { wallRequests } from '../../../shared/requests/wall.ts';
import type { Conference } from '../../conference/conference.ts';
import type { Session } from '../../conference/session.ts';

type Table = typeof wallRequests;
type WallHandler<K extends keyof Table> = (
  ctx: { conference: Conference; session: Session },
  params: z.output<Table[K]['params']>,
) => z.infer<Table[K]['result']>;

export const wallHandlers: { [K in keyof Table]: WallHandler<K> } = {
  'wall.visible': ({ conference, session }, p) => ({ shown: conference.media.setWallVisible(session, p.pointIds) }),
};
