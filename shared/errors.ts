// Stable error codes carried on the wire. Server and client both switch on these, never on message text.
// `code` is one of seven classes (it fixes the HTTP status); `reason` is the finer, stable cause with its
// `params`, which the client translates (Vietnamese first, English). `message` is an English line for
// scripts and logs only: no client ever shows it.
import { z } from 'zod';

export const ErrorCode = z.enum(['invalid', 'unauthenticated', 'forbidden', 'not_found', 'conflict', 'rate_limited', 'internal']);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** One refusal: its class and the names of the parameters it carries. */
const reason = <C extends ErrorCode, P extends string = never>(code: C, ...params: P[]): { code: C; params: P[] } => ({ code, params });

/** Every reason the hub gives for refusing, by area. Add one here, then its words in client/i18n. */
export const REASONS = {
  // The request boundary (socket registrar, REST parsing).
  'request.malformed': reason('invalid', 'request', 'field'),
  'request.not_plain': reason('invalid', 'request'),
  'request.arguments': reason('invalid', 'request'),
  'request.unknown': reason('invalid', 'request'),
  'request.role': reason('forbidden', 'request', 'role'),
  'request.body_too_large': reason('invalid'),
  'request.json_malformed': reason('invalid'),
  'request.body_unreadable': reason('invalid'),
  'request.address_malformed': reason('invalid'),
  'request.no_route': reason('not_found', 'method', 'path'),
  'rate.requests': reason('rate_limited'),
  'rate.point_actions': reason('rate_limited', 'request', 'perMinute'),
  'rate.connections': reason('rate_limited'),
  'rate.wrong_codes': reason('rate_limited', 'minutes'),
  internal: reason('internal'),
  // Joining and credentials.
  'join.credential_missing': reason('unauthenticated'),
  'join.code_unknown': reason('unauthenticated'),
  'join.code_expired': reason('unauthenticated'),
  'join.code_used': reason('unauthenticated'),
  'join.conference_unknown': reason('not_found', 'conferenceId'),
  'join.conference_ended': reason('forbidden'),
  'join.conference_closed': reason('conflict'),
  'token.expired': reason('unauthenticated'),
  'token.invalid': reason('unauthenticated'),
  'token.revoked': reason('unauthenticated'),
  'auth.header_missing': reason('unauthenticated'),
  'auth.header_malformed': reason('unauthenticated'),
  'auth.admin_only': reason('forbidden'),
  'auth.other_conference': reason('forbidden'),
  'auth.origin': reason('forbidden', 'origin'),
  'role.not_allowed': reason('forbidden', 'role'),
  'role.wrong_point': reason('forbidden', 'role', 'pointId'),
  // The conference and its points.
  'conference.unknown': reason('not_found', 'conferenceId'),
  'conference.exists': reason('conflict', 'conferenceId'),
  'conference.ended': reason('conflict'),
  'conference.status_order': reason('conflict', 'from', 'to'),
  'point.unknown': reason('not_found', 'pointId'),
  'point.exists': reason('conflict', 'pointId'),
  'point.unknown_parent': reason('invalid', 'pointId', 'parentId'),
  'point.is_centre': reason('invalid', 'pointId'),
  'points.too_many': reason('invalid', 'max'),
  // Conference specifications (create, import).
  'spec.invalid': reason('invalid', 'field'),
  'spec.duplicate_point': reason('invalid', 'pointId'),
  'spec.central_unknown': reason('invalid', 'pointId'),
  'spec.own_parent': reason('invalid', 'pointId'),
  'spec.duplicate_agenda_item': reason('invalid', 'itemId'),
  'spec.agenda_unknown_point': reason('invalid', 'itemId', 'pointId'),
  'spec.duplicate_category': reason('invalid'),
  'import.body': reason('invalid'),
  'import.content_type': reason('invalid'),
  'csv.malformed': reason('invalid', 'line'),
  'csv.empty': reason('invalid'),
  'csv.unknown_column': reason('invalid', 'column'),
  'csv.duplicate_column': reason('invalid'),
  'csv.missing_column': reason('invalid', 'column'),
  'csv.no_rows': reason('invalid'),
  'csv.too_many_rows': reason('invalid', 'max'),
  'csv.not_boolean': reason('invalid', 'row', 'column'),
  'csv.not_number': reason('invalid', 'row', 'column'),
  'csv.row_invalid': reason('invalid', 'row', 'field'),
  // Media.
  'media.not_publisher': reason('forbidden', 'role'),
  'media.not_representative': reason('forbidden'),
  'media.screen_not_allowed': reason('forbidden'),
  'media.transport_exists': reason('conflict', 'direction'),
  'media.transport_type': reason('invalid', 'expected'),
  'media.plain_address_needed': reason('invalid'),
  'media.plain_address_learnt': reason('invalid'),
  'media.produce_on_send': reason('invalid'),
  'media.source_kind': reason('invalid', 'source', 'kind'),
  'media.already_producing': reason('conflict', 'source'),
  'media.consumer_unknown': reason('not_found'),
  'media.transport_unknown': reason('not_found'),
  'media.parameters': reason('invalid'),
  // The floor.
  'floor.centre_asks': reason('invalid'),
  'floor.already_holding': reason('conflict', 'pointId'),
  'floor.already_queued': reason('conflict', 'pointId'),
  'floor.at_centre': reason('conflict'),
  'floor.not_queued': reason('not_found', 'pointId'),
  'floor.host_only': reason('forbidden'),
  // Questions.
  'question.unknown': reason('not_found'),
  'question.not_own': reason('forbidden'),
  'question.others': reason('forbidden'),
  'question.moderated': reason('conflict', 'status'),
  'question.not_submitted': reason('conflict', 'status'),
  'question.not_queued': reason('conflict', 'status'),
  'question.closed': reason('conflict', 'status'),
  /** Only a submitted or queued question can be taken up for answering. */
  'question.not_waiting': reason('conflict', 'status'),
  'question.merge_self': reason('invalid'),
  'question.merge_target_closed': reason('conflict', 'status'),
  'question.category_unknown': reason('invalid', 'category'),
  // Roll call and agenda.
  'rollcall.open': reason('conflict'),
  'rollcall.none': reason('not_found'),
  'rollcall.closed': reason('conflict'),
  'agenda.item_unknown': reason('not_found', 'itemId'),
  // Documents.
  'document.no_file': reason('invalid'),
  'document.empty': reason('invalid'),
  'document.too_large': reason('invalid'),
  'document.type': reason('invalid', 'mime'),
  'document.name_missing': reason('invalid'),
  'document.name_long': reason('invalid', 'max'),
  'document.unknown': reason('not_found'),
  'document.file_missing': reason('not_found'),
  'document.upload': reason('invalid', 'detail'),
  // The back-channel and talkback (issue #12 item 4).
  'backchannel.other_point': reason('forbidden', 'pointId'),
  'backchannel.no_technician': reason('invalid', 'pointId'),
  'talkback.point_absent': reason('conflict', 'pointId'),
  'talkback.on_floor': reason('conflict', 'pointId'),
  'media.talkback_not_allowed': reason('forbidden'),
  // The programme (issue #13): sharing a screen, layouts.
  'media.screen_not_on_floor': reason('forbidden'),
  'media.screen_sharing_off': reason('forbidden'),
  'programme.nothing_shared': reason('conflict'),
  // Floor and question flows, the rehearsal, the end (issue #12, items 5, 6, 8).
  'floor.point_offline': reason('conflict', 'pointId'),
  // The recording and the live output (issue #14).
  'recording.disk_low': reason('conflict', 'freeMb', 'neededMb'),
  'recording.ended': reason('conflict'),
  'recording.output_unknown': reason('not_found', 'outputId'),
  'recording.outputs_full': reason('conflict', 'max'),
  'recording.output_duplicate': reason('conflict'),
  'recording.file_unknown': reason('not_found', 'fileId'),
  'recording.file_open': reason('conflict', 'fileId'),
  'recording.clip_range': reason('invalid', 'detail'),
  'recording.no_recorder': reason('conflict'),
  'recording.press_off': reason('forbidden'),
  'recording.live_not_yet': reason('not_found'),
  'auth.ticket': reason('unauthenticated'),
  // Organisers and the organiser page (issue #15).
  'organiser.signin_failed': reason('unauthenticated'),
  'organiser.locked': reason('forbidden', 'minutes'),
  'organiser.disabled': reason('forbidden'),
  'organiser.session_expired': reason('unauthenticated'),
  'organiser.only': reason('forbidden'),
  'organiser.admin_only': reason('forbidden'),
  'organiser.unknown': reason('not_found', 'username'),
  'organiser.exists': reason('conflict', 'username'),
  'organiser.self': reason('conflict'),
  'organiser.password_wrong': reason('invalid'),
  'rate.signins': reason('rate_limited', 'seconds'),
  'edit.id_changed': reason('invalid', 'conferenceId'),
  'edit.status': reason('conflict', 'from', 'to'),
  'edit.in_use_central': reason('conflict'),
  'edit.in_use_point_removed': reason('conflict', 'pointId'),
  'edit.in_use_point_moved': reason('conflict', 'pointId'),
  'edit.in_use_agenda_removed': reason('conflict', 'itemId'),
  'edit.in_use_category_removed': reason('conflict', 'category'),
  'template.unknown': reason('not_found', 'templateId'),
  'import.xlsx_unreadable': reason('invalid'),
  'import.xlsx_no_sheet': reason('invalid'),
  'directory.unknown': reason('not_found', 'pointId'),
  'document.order': reason('invalid'),
  // Join codes from the host's console (issue #12, item 3).
  'credentials.own': reason('forbidden', 'role', 'pointId'),
} as const;

export type Reason = keyof typeof REASONS;
export const Reason = z.enum(Object.keys(REASONS) as [Reason, ...Reason[]]);

/** The parameters a reason carries, each a string or a number. */
export type ReasonParams<R extends Reason> = { [K in (typeof REASONS)[R]['params'][number]]: string | number };

export const WireError = z.object({
  code: ErrorCode,
  reason: Reason,
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  /** English, for scripts and logs; clients show `reason` in their own words. */
  message: z.string(),
});
export type WireError = z.infer<typeof WireError>;

/** Why the hub ends a session (then it disconnects). */
export const EndReason = z.enum(['replaced', 'conference_ended', 'shutdown']);
export type EndReason = z.infer<typeof EndReason>;
