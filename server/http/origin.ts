// Cross-origin policy for the REST API and socket.io: a browser request whose Origin is neither the hub's
// own (same host and port as the Host header) nor listed in `http.allowedOrigins` is refused. Requests
// without an Origin (the CLI, curl, Node clients, same-origin GETs) are not browser cross-origin calls.
import type { RequestHandler } from 'express';
import { refuse } from '../errors.ts';

/** True when a request with this Origin and Host may be served. */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowed.includes(origin) || allowed.includes('*')) return true;
  if (origin === 'null' || !host) return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host.toLowerCase();
  } catch {
    return false;
  }
}

/** Express middleware: refuses foreign origins with 403 `forbidden`; answers CORS (and preflights) for listed ones. */
export function corsGuard(allowed: readonly string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('origin');
    if (!originAllowed(origin, req.get('host'), allowed))
      throw refuse('auth.origin', { origin: String(origin) }, `requests from origin ${origin} are not allowed`);
    if (origin !== undefined && allowed.length > 0 && (allowed.includes(origin) || allowed.includes('*'))) {
      res.vary('Origin');
      res.set({
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Headers': 'Authorization, Content-Type',
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
        'Access-Control-Max-Age': '600',
      });
      if (req.method === 'OPTIONS') {
        res.status(204).end();
        return;
      }
    }
    next();
  };
}
