// Security headers for every answer, and the Content-Security-Policy of the browser client: its scripts,
// styles and images come from the hub itself only (Vite builds no inline script), it talks to the hub's
// own origin over HTTP(S) and WS(S), plays media from blob:/mediastream:, and may not be framed.
import type { RequestHandler } from 'express';

/** A Host header fit to put in a header value (no spaces, quotes or semicolons). */
const HOST = /^[A-Za-z0-9.\-:[\]]{1,255}$/;

export function contentSecurityPolicy(host: string | undefined): string {
  const sockets = host && HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    "font-src 'self'",
    `connect-src 'self'${sockets}`,
    "worker-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers on every answer; the CSP on the client's pages (the REST API answers JSON and sets its own). */
export function securityHeaders(): RequestHandler {
  return (req, res, next) => {
    res.set({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Permissions-Policy': 'camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()',
      'Content-Security-Policy': contentSecurityPolicy(req.get('host')),
    });
    if (req.secure) res.set('Strict-Transport-Security', 'max-age=15552000');
    next();
  };
}
