// The programme's requests: the layout every hall shows, the banner message, whether the speaking point may
// share its screen, the host stopping any sharing, and the gain per point that every display applies.
import { z } from 'zod';
import { BANNER_MESSAGE_MAX, GainDb, Layout, ProgrammeView } from '../programme.ts';
import { CONTROLLERS } from '../rules.ts';
import { type RequestTable, id, empty } from './common.ts';

export const programmeRequests = {
  /** Every room display (and the host's stage preview) follows at once; `message` is for the banner layout. */
  'programme.setLayout': {
    params: z.object({ layout: Layout, message: z.string().trim().max(BANNER_MESSAGE_MAX).optional() }).strict(),
    result: ProgrammeView,
    roles: CONTROLLERS,
  },
  /** The gain in dB every display applies to `pointId`'s sound (the centre's too), to match the halls' levels. */
  'programme.setGain': { params: z.object({ pointId: id, gainDb: GainDb }).strict(), result: ProgrammeView, roles: CONTROLLERS },
  /** Whether the point holding the floor may share its screen; switching it off stops a point's sharing. */
  'programme.allowSharing': { params: z.object({ allowed: z.boolean() }).strict(), result: ProgrammeView, roles: CONTROLLERS },
  /** Stops whatever screen is shared now (the host's own or the speaking point's). */
  'programme.stopSharing': { params: empty, result: z.object({ stopped: z.array(z.string()) }), roles: CONTROLLERS },
} as const satisfies RequestTable;

export const programmeEvents = {
  /** The programme changed (layout, message, sharing permission, gains): to every session. */
  'programme.updated': ProgrammeView,
} as const;
