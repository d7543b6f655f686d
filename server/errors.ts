// The hub's error classes, each with a stable wire code. Handlers throw them; the registrar maps them to
// the wire in one place (toWireError). Anything else is a bug: logged with detail, answered as internal.
import type { z } from 'zod';
import type { ErrorCode, WireError } from '../shared/errors.ts';

export class HubError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = 'HubError';
  }
}

export const invalid = (message: string): HubError => new HubError('invalid', message);
export const unauthenticated = (message: string): HubError => new HubError('unauthenticated', message);
export const forbidden = (message: string): HubError => new HubError('forbidden', message);
export const notFound = (message: string): HubError => new HubError('not_found', message);
export const conflict = (message: string): HubError => new HubError('conflict', message);
export const rateLimited = (message: string): HubError => new HubError('rate_limited', message);

/** mediasoup rejects bad parameters with TypeError; those are the caller's fault, not ours. */
function isMediasoupTypeError(error: unknown): error is Error {
  return error instanceof TypeError || (error instanceof Error && error.name === 'UnsupportedError');
}

/** Maps a thrown value to the wire; `internal` is true when it should be logged as a bug. */
export function toWireError(error: unknown): { wire: WireError; internal: boolean } {
  if (error instanceof HubError) return { wire: { code: error.code, message: error.message }, internal: false };
  if (isMediasoupTypeError(error)) return { wire: { code: 'invalid', message: error.message }, internal: false };
  return { wire: { code: 'internal', message: 'internal error' }, internal: true };
}

/** The first issue of a zod error as one line naming the field: "<what> <path>: <message>". */
export function describeIssue(error: z.ZodError, what: string): string {
  const issue = error.issues[0];
  if (!issue) return `${what}: invalid`;
  const path = issue.path.map(String).join('.');
  return `${what}${path ? ` ${path}` : ''}: ${issue.message}`;
}
