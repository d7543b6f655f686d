// The hub's REST routes the client uses (documents), with the session's token. A refusal arrives as
// `{ error: WireError }` and is thrown as the same RequestError a socket request throws, so it is shown in
// the same words; no answer at all is a `network` error.
import { fromWire, RequestError } from './signal.ts';

const BY_STATUS: Record<number, RequestError['code']> = {
  400: 'invalid',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'invalid',
  415: 'invalid',
  429: 'rate_limited',
};

export async function rest(url: string, credential: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { ...init.headers, Authorization: `Bearer ${credential}` } });
  } catch (error) {
    throw new RequestError('network', `${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (response.ok) return response;
  const body: unknown = await response.json().catch(() => null);
  const wire = body && typeof body === 'object' ? fromWire((body as { error?: unknown }).error) : undefined;
  throw wire ?? new RequestError(BY_STATUS[response.status] ?? 'internal', `${url}: HTTP ${response.status}`);
}
