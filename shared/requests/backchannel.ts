// The control room's back-channel: private text between the centre (host and co-hosts) and one point's
// technician, or from the centre to every technician, with read marks per side; the "the centre hears you"
// confirmation after a point's test; and talkback (the host listens to one point, talks to one technician).
// None of it ever reaches a room display.
import { z } from 'zod';
import { Role } from '../domain.ts';
import { CONTROLLERS, LIMITS, MODERATORS, POINT_OPERATORS } from '../rules.ts';
import { type RequestTable, id, empty } from './common.ts';

/** Who wrote a message: the centre (host, co-host) or the point's technician. */
export const MessageSide = z.enum(['centre', 'point']);
export type MessageSide = z.infer<typeof MessageSide>;

/** text: words; heard: the centre's confirmation that it hears the point well (after its test). */
export const MessageKind = z.enum(['text', 'heard']);
export type MessageKind = z.infer<typeof MessageKind>;

export const MessageView = z.object({
  id: z.string(),
  /** Order of sending in the conference (read marks count up to it). */
  seq: z.number().int(),
  /** The point's thread; null: from the centre to every technician. */
  pointId: z.string().nullable(),
  from: MessageSide,
  kind: MessageKind,
  text: z.string(),
  authorRole: Role,
  sentAt: z.number(),
});
export type MessageView = z.infer<typeof MessageView>;

/** Unread messages per thread for the session's side (the centre: every point; a point: its own). */
export const UnreadCounts = z.record(z.string(), z.number().int());

/** Who the host listens to and talks to, one point each at most (a point sees only itself or null). */
export const TalkbackView = z.object({ listeningTo: z.string().nullable(), talkingTo: z.string().nullable() });
export type TalkbackView = z.infer<typeof TalkbackView>;

const text = z.string().trim().min(1).max(LIMITS.messageTextMax);
const BACKCHANNEL_ROLES = [...MODERATORS, ...POINT_OPERATORS] as const;

export const backchannelRequests = {
  /** The centre writes to one point (pointId) or to every technician (null); a technician to the centre (its own pointId or null). */
  'backchannel.send': {
    params: z.object({ pointId: id.nullable(), text }).strict(),
    result: MessageView,
    roles: BACKCHANNEL_ROLES,
  },
  /** The centre tells a point it hears it well (shown large on the point's console). */
  'backchannel.confirmHeard': { params: z.object({ pointId: id }).strict(), result: MessageView, roles: MODERATORS },
  /** Every message this session's side may read, the unread counts, and the talkback state. */
  'backchannel.snapshot': {
    params: empty,
    result: z.object({ messages: z.array(MessageView), unread: UnreadCounts, talkback: TalkbackView }),
    roles: BACKCHANNEL_ROLES,
  },
  /** Marks a thread read for this session's side (a technician: its own). */
  'backchannel.markRead': { params: z.object({ pointId: id }).strict(), result: UnreadCounts, roles: BACKCHANNEL_ROLES },
  /** The host listens privately to one point's microphone (null stops). */
  'talkback.listen': { params: z.object({ pointId: id.nullable() }).strict(), result: TalkbackView, roles: CONTROLLERS },
  /** The host talks privately to one point's technician (null stops). */
  'talkback.talk': { params: z.object({ pointId: id.nullable() }).strict(), result: TalkbackView, roles: CONTROLLERS },
} as const satisfies RequestTable;

export const backchannelEvents = {
  /** A new message, to its audience only: the centre and the point(s) it concerns. */
  'backchannel.message': MessageView,
  /** One thread's unread count changed for this session's side. */
  'backchannel.unread': z.object({ pointId: z.string(), count: z.number().int() }),
  /** Talkback started or stopped (to the centre in full; to a point, only what concerns it). */
  'talkback.state': TalkbackView,
} as const;
