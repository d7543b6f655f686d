// Stable error codes carried on the wire. Server and client both switch on these, never on message text.
import { z } from 'zod';

export const ErrorCode = z.enum([
  'invalid',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const WireError = z.object({
  code: ErrorCode,
  message: z.string(),
});
export type WireError = z.infer<typeof WireError>;
