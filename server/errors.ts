// The hub's one error class: a stable reason (shared/errors.ts) with its parameters, and an English line
// for logs and scripts. Handlers throw it with `refuse`; the registrar and the REST error handler map it
// to the wire in one place (toWireError). Anything else is a bug: logged with detail, answered as internal.
import type { z } from 'zod';
import { type ErrorCode, REASONS, type Reason, type ReasonParams, type WireError } from '../shared/errors.ts';

export class HubError extends Error {
  readonly code: ErrorCode;
  readonly reason: Reason;
  readonly params: Record<string, string | number>;
  constructor(reason: Reason, params: Record<string, string | number>, message: string) {
    super(message);
    this.code = REASONS[reason].code;
    this.reason = reason;
    this.params = params;
    this.name = 'HubError';
  }
}

/** A refusal: `reason` with its parameters (typed per reason) and an English line for logs and scripts. */
export function refuse<R extends Reason>(reason: R, params: ReasonParams<R>, message: string): HubError {
  return new HubError(reason, params, message);
}

/** mediasoup rejects bad parameters with TypeError; those are the caller's fault, not ours. */
function isMediasoupTypeError(error: unknown): error is Error {
  return error instanceof TypeError || (error instanceof Error && error.name === 'UnsupportedError');
}

export function wireError<R extends Reason>(reason: R, params: ReasonParams<R>, message: string): WireError {
  return { code: REASONS[reason].code, reason, params, message };
}

/** Maps a thrown value to the wire; `internal` is true when it should be logged as a bug. */
export function toWireError(error: unknown): { wire: WireError; internal: boolean } {
  if (error instanceof HubError) {
    return { wire: { code: error.code, reason: error.reason, params: error.params, message: error.message }, internal: false };
  }
  if (isMediasoupTypeError(error)) return { wire: wireError('media.parameters', {}, error.message), internal: false };
  return { wire: wireError('internal', {}, 'internal error'), internal: true };
}

/** The first issue of a zod error as one line naming the field: "<what> <path>: <message>". */
export function describeIssue(error: z.ZodError, what: string): string {
  const issue = error.issues[0];
  if (!issue) return `${what}: invalid`;
  const path = issue.path.map(String).join('.');
  return `${what}${path ? ` ${path}` : ''}: ${issue.message}`;
}

/** The path of a zod error's first issue ("" for the whole value), the `field` parameter of a refusal. */
export function issueField(error: z.ZodError): string {
  return error.issues[0]?.path.map(String).join('.') ?? '';
}
