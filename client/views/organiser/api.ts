// The organiser page's REST client: the signed-in organiser's token (kept in sessionStorage, so closing the
// browser signs out), JSON in and out parsed with the shared schemas, refusals thrown as RequestError (shown
// in Vietnamese by describe()). An expired or revoked session sends the page back to the sign-in form.
import type { z } from 'zod';
import { rest } from '../../net/rest.ts';
import { RequestError } from '../../net/signal.ts';

const TOKEN_KEY = 'diemcau.organiser';
const signedOut = new Set<() => void>();

export function organiserToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function keepToken(token: string | null): void {
  try {
    if (token === null) sessionStorage.removeItem(TOKEN_KEY);
    else sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // private mode without storage: the page keeps working until it is reloaded
  }
}

/** Called when the hub says the session is no longer good (expired, disabled, signed out elsewhere). */
export function onSignedOut(listener: () => void): () => void {
  signedOut.add(listener);
  return () => signedOut.delete(listener);
}

async function call(path: string, init: RequestInit): Promise<Response> {
  const token = organiserToken() ?? '';
  try {
    return await rest(`/api${path}`, token, init);
  } catch (error) {
    const gone = error instanceof RequestError && (error.code === 'unauthenticated' || error.reason === 'organiser.disabled');
    if (gone) {
      keepToken(null);
      for (const listener of signedOut) listener();
    }
    throw error;
  }
}

/** A JSON request; the answer is parsed with `schema` (a 204 gives undefined). */
export async function api<S extends z.ZodType>(schema: S, path: string, method = 'GET', body?: unknown): Promise<z.infer<S>> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'Content-Type': 'application/json' };
  }
  const response = await call(path, init);
  if (response.status === 204) return schema.parse(undefined);
  return schema.parse(await response.json());
}

/** A request with a raw body (a CSV or .xlsx file, a multipart upload); the answer parsed with `schema`. */
export async function send<S extends z.ZodType>(schema: S, path: string, body: BodyInit, contentType?: string): Promise<z.infer<S>> {
  const init: RequestInit = { method: 'POST', body };
  if (contentType) init.headers = { 'Content-Type': contentType };
  const response = await call(path, init);
  return schema.parse(await response.json());
}

/** A file from the hub (an export), saved by the browser under `name`. */
export async function download(path: string, name: string): Promise<void> {
  const response = await call(path, { method: 'GET' });
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
