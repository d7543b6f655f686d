// The conference as clients see it: roles, points, floor and connection state.
import { z } from 'zod';
import { ProgrammeView } from './programme.ts';
import { AgendaItem, AgendaView } from './records.ts';
import { ALL_ROLES, LIMITS } from './rules.ts';

export const Role = z.enum(ALL_ROLES);
export type Role = z.infer<typeof Role>;

export const PointLevel = z.enum(['central', 'province', 'district', 'commune']);
export type PointLevel = z.infer<typeof PointLevel>;

export const ConferenceStatus = z.enum(['draft', 'scheduled', 'rehearsal', 'live', 'ended']);
export type ConferenceStatus = z.infer<typeof ConferenceStatus>;

export const ConnectionState = z.enum(['never', 'connected', 'reconnecting', 'gone', 'ended']);
export type ConnectionState = z.infer<typeof ConnectionState>;

/** talkback: the host's private voice to one point's technician (never on the stage). */
export const MediaSource = z.enum(['camera', 'microphone', 'screen', 'talkback']);
export type MediaSource = z.infer<typeof MediaSource>;

/** Static description of a point, as loaded from config/ or the store. */
export const PointSpec = z.object({
  id: z.string().regex(LIMITS.idPattern),
  name: z.string().min(1).max(200),
  level: PointLevel,
  parentId: z.string().max(LIMITS.idMax).nullable().default(null),
  /** A central-side point other than the main hall (its operators are co-hosts). */
  centralSide: z.boolean().default(false),
  venue: z.string().max(300).default(''),
  presiding: z.string().max(200).default(''),
  expectedAttendance: z.number().int().min(0).max(LIMITS.attendanceMax).default(0),
});
export type PointSpec = z.infer<typeof PointSpec>;

export const ConferenceSpec = z.object({
  id: z.string().regex(LIMITS.idPattern),
  title: z.string().min(1).max(500),
  content: z.string().max(5000).default(''),
  organiser: z.string().max(300).default(''),
  startsAt: z.iso.datetime({ offset: true }),
  /** When the points connect for the rehearsal (the connection tests), if one is planned. */
  rehearsalAt: z.iso.datetime({ offset: true }).nullable().default(null),
  status: ConferenceStatus.default('scheduled'),
  banner: z.string().max(500).default(''),
  /** Default length of a grant of the floor. */
  floorSeconds: z
    .number()
    .int()
    .min(LIMITS.conferenceFloorSecondsMin)
    .max(LIMITS.floorSecondsMax)
    .default(LIMITS.conferenceFloorSecondsDefault),
  /** The main central point: where the host sits and the programme comes from. */
  centralPointId: z.string(),
  points: z.array(PointSpec).min(1).max(2000),
  /** Categories a secretary files questions under. */
  questionCategories: z.array(z.string().min(1).max(LIMITS.categoryMax)).min(1).max(50).default(['Khác']),
  agenda: z.array(AgendaItem).max(200).default([]),
});
export type ConferenceSpec = z.infer<typeof ConferenceSpec>;

export const PointView = PointSpec.extend({
  connection: ConnectionState,
  connectionSince: z.number().nullable(),
  /** Host mutes, which the point cannot undo. */
  mutedByHost: z.object({ audio: z.boolean(), video: z.boolean() }),
  publishing: z.object({ audio: z.boolean(), video: z.boolean() }),
});
export type PointView = z.infer<typeof PointView>;

export const FloorRequestView = z.object({
  pointId: z.string(),
  note: z.string(),
  requestedAt: z.number(),
});

export const FloorView = z.object({
  /** The point holding the floor; null means the centre. */
  pointId: z.string().nullable(),
  since: z.number(),
  /** When the grant runs out (epoch ms); null at the centre. */
  endsAt: z.number().nullable(),
  queue: z.array(FloorRequestView),
});
export type FloorView = z.infer<typeof FloorView>;

export const ConferenceView = z.object({
  id: z.string(),
  title: z.string(),
  organiser: z.string(),
  startsAt: z.string(),
  status: ConferenceStatus,
  banner: z.string(),
  floorSeconds: z.number(),
  centralPointId: z.string(),
  questionCategories: z.array(z.string()),
  points: z.array(PointView),
  floor: FloorView,
  agenda: AgendaView,
  programme: ProgrammeView,
});
export type ConferenceView = z.infer<typeof ConferenceView>;

/** What an organiser may change while sessions are on (conference.updated): the welcome's header fields. */
export const ConferenceHeader = ConferenceView.pick({
  title: true,
  organiser: true,
  startsAt: true,
  banner: true,
  floorSeconds: true,
  questionCategories: true,
});
export type ConferenceHeader = z.infer<typeof ConferenceHeader>;
