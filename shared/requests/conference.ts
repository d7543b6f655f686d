// The host's controls over the conference and its points: status, mutes, credentials.
import { z } from 'zod';
import { ConferenceStatus, PointView, Role } from '../domain.ts';
import { MediaKind } from '../media.ts';
import { CONTROLLERS, LIMITS } from '../rules.ts';
import { type RequestTable, id, empty } from './common.ts';

export const conferenceRequests = {
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
} as const satisfies RequestTable;
