// The monitoring wall: which tiles the host's (or a co-host's) screen shows now. The hub offers wall video
// only for those, so a wall of hundreds of points costs what one screenful costs. Live state of the session,
// not a setting: the client sends it again after every welcome (a new session starts with every tile wanted).
import { z } from 'zod';
import { MODERATORS } from '../rules.ts';
import { type RequestTable, id } from './common.ts';

/** More ids than any conference has points (ConferenceSpec allows 2000). */
const WALL_VISIBLE_MAX = 2000;

export const wallRequests = {
  'wall.visible': {
    params: z.object({ pointIds: z.array(id).max(WALL_VISIBLE_MAX) }).strict(),
    /** How many of the given points are on this conference's wall (unknown ids and the caller's own are left out). */
    result: z.object({ shown: z.number().int() }),
    roles: MODERATORS,
  },
} as const satisfies RequestTable;
