// The host's controls over the conference and its points: status, mutes (credentials: credentials.ts).
import { z } from 'zod';
import { ConferenceStatus, PointView } from '../domain.ts';
import { MediaKind } from '../media.ts';
import { CONTROLLERS } from '../rules.ts';
import { type RequestTable, id, empty } from './common.ts';

export const conferenceRequests = {
  'point.mute': {
    params: z.object({ pointId: id, kind: MediaKind, muted: z.boolean() }).strict(),
    result: PointView,
    roles: CONTROLLERS,
  },
  'conference.setStatus': {
    params: z.object({ status: ConferenceStatus }).strict(),
    result: empty,
    roles: CONTROLLERS,
  },
} as const satisfies RequestTable;
