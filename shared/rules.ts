// The rules written once: who may do what, the limits, and how a typed join code is read. The protocol's
// role table, the domain's checks, the REST routes and the client's view gating all use these.
// It imports nothing, so every other module of the protocol may import it.

export const ALL_ROLES = ['host', 'cohost', 'technician', 'secretary', 'viewer', 'recorder'] as const;
export type Role = (typeof ALL_ROLES)[number];
/** Run the conference's content: moderate questions, see the monitoring wall, read the records. */
export const MODERATORS = ['host', 'cohost'] as const satisfies readonly Role[];
/** Speak for a point: publish its camera and microphone (one connection per point). */
export const PUBLISHERS = ['host', 'cohost', 'technician'] as const satisfies readonly Role[];
/** Write a point's questions. */
export const QUESTION_WRITERS = ['technician', 'secretary'] as const satisfies readonly Role[];
/** Report for a remote point: attendance, roll call, asking for the floor. */
export const POINT_OPERATORS = ['technician'] as const satisfies readonly Role[];
/** Take part in readiness tests (a point checks its link, a central-side point and the centre too). */
export const READINESS_TESTERS = ['host', 'cohost', 'technician'] as const satisfies readonly Role[];
/** Points whose microphone the hub pauses off the floor report their own level for the wall. */
export const LEVEL_REPORTERS = ['cohost', 'technician'] as const satisfies readonly Role[];
/** Everyone but a room display: the records (questions, attendance, roll call, documents) are for them. */
export const RECORD_READERS = ['host', 'cohost', 'technician', 'secretary'] as const satisfies readonly Role[];
/** Download the conference's documents over REST: any credential of the conference (the press too); the
 *  consoles' live document list goes to RECORD_READERS, since a room display shows none. */
export const DOCUMENT_READERS = ALL_ROLES;
/** Control the floor, the status, mutes, credentials, the agenda and documents. */
export const CONTROLLERS = ['host'] as const satisfies readonly Role[];
/** The hub's own recorder process (the programme mix, recording, live output): it joins at the central point. */
export const RECORDERS = ['recorder'] as const satisfies readonly Role[];
/** Roles a person can be given a join code for (the recorder's credential is the hub's own). */
export const PERSON_ROLES = ['host', 'cohost', 'technician', 'secretary', 'viewer'] as const satisfies readonly Role[];
/** Roles whose join code is redeemed by its first join (a viewer code serves many room displays). */
export const SINGLE_USE_ROLES = ['host', 'cohost', 'technician', 'secretary'] as const satisfies readonly Role[];

const has = (list: readonly Role[], role: Role): boolean => list.includes(role);
export const isModerator = (role: Role): boolean => has(MODERATORS, role);
export const isPublisher = (role: Role): boolean => has(PUBLISHERS, role);
export const writesQuestions = (role: Role): boolean => has(QUESTION_WRITERS, role);
export const readsRecords = (role: Role): boolean => has(RECORD_READERS, role);
export const controls = (role: Role): boolean => has(CONTROLLERS, role);
export const isSingleUse = (role: Role): boolean => has(SINGLE_USE_ROLES, role);

/**
 * Where each role belongs: the host at the central point, co-hosts at central-side points, technicians and
 * secretaries at the remote points, viewers (room displays, press) anywhere.
 */
export function roleBelongsAt(role: Role, point: { id: string; centralSide: boolean }, centralPointId: string): boolean {
  const central = point.id === centralPointId;
  if (role === 'host' || role === 'recorder') return central;
  if (role === 'cohost') return point.centralSide;
  if (role === 'technician' || role === 'secretary') return !central && !point.centralSide;
  return true;
}

export const LIMITS = {
  /** Conference and point ids, agenda item ids: lower-case letters, digits and dashes. */
  idPattern: /^[a-z0-9][a-z0-9-]{0,63}$/,
  idMax: 64,
  /** One grant of the floor, and one extension. */
  floorSecondsMin: 5,
  floorSecondsMax: 3600,
  /** A conference's default grant. */
  conferenceFloorSecondsMin: 10,
  conferenceFloorSecondsDefault: 300,
  /** The speaker is warned this long before the floor returns to the centre. */
  floorWarningSeconds: 30,
  /** Join credentials issued by the host (default one day, at most thirty). */
  tokenTtlSecondsMin: 60,
  tokenTtlSecondsDefault: 86_400,
  tokenTtlSecondsMax: 30 * 86_400,
  /** How long a point stays "reconnecting" after its connection drops before it counts as gone. */
  reconnectGraceMs: 15_000,
  rollCallSecondsMin: 10,
  rollCallSecondsMax: 900,
  rollCallSecondsDefault: 60,
  questionTextMax: 2000,
  askerMax: 200,
  unitMax: 300,
  categoryMax: 100,
  floorNoteMax: 500,
  answerMax: 10_000,
  dismissReasonMax: 500,
  attendanceMax: 100_000,
  attendanceGroupsMax: 20,
  joinCodeLength: 8,
  /** One back-channel message between the centre and a point's technician. */
  messageTextMax: 1000,
  /** Live outputs (RTMP/RTMPS pushes) of one conference, and the length of an address and of its label. */
  liveOutputsMax: 4,
  liveOutputUrlMax: 1000,
  liveOutputLabelMax: 100,
  /** A clip's name, and its length at most (a chapter or a time range of the recording). */
  clipNameMax: 200,
} as const;

/** The simulcast layers a point's camera sends (low for the wall, high for the stage). */
export const SIMULCAST_LAYERS = [
  { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
] as const;
/** Spatial layer of each consumer purpose: the wall takes the lowest, the stage the highest. */
export const WALL_LAYER = 0;
export const STAGE_LAYER = SIMULCAST_LAYERS.length - 1;
/**
 * The first this many points of the floor queue are consumed ahead ('standby': paused at the hub) by every
 * receiver that shows a stage, so that granting one of them only resumes what is there already.
 */
export const STANDBY_POINTS = 2;
/** The centre's programme: one encoding. */
export const PROGRAMME_MAX_BITRATE = 2_500_000;

/** A connection test fails on any of these (the hub judges; the consoles show each failure with its value). */
export const READINESS_LIMITS = {
  signallingRoundTripMsMax: 500,
  bitrateKbpsMin: 150,
  lossPercentMax: 5,
  roundTripMsMax: 400,
  jitterMsMax: 60,
  microphoneLevelDbMin: -60,
} as const;

/** Crockford base32 without I, L, O, U: nothing a technician can misread on a printed sheet. */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** What a person typed, as a code: case, spaces and dashes do not matter, O/I/L read as 0/1/1. */
export function normaliseCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** Groups a code for display: ABCD-EFGH. */
export const displayCode = (code: string): string => `${code.slice(0, 4)}-${code.slice(4)}`;
