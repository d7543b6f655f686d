// The hub's web side against real in-process hubs: security headers and the client's CSP, CORS closed by
// default for the REST API and socket.io (polling and the WebSocket upgrade) and open only to configured
// origins, and TLS by configuration with a certificate from scripts/dev-cert.sh: HTTPS and WSS with the
// development CA trusted, refused without it.
import { execFileSync } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Hub } from '../../server/hub.ts';
import { connect } from '../../scripts/lib/hub-client.ts';
import { startHub } from '../helpers/test-hub.ts';

const CONF = 'dong-nai-tap-huan-bau-cu';
const ALLOWED = 'https://ban-to-chuc.example';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let hub: Hub;
let base: string;

beforeAll(async () => {
  ({ hub, url: base } = await startHub({ DIEMCAU_ALLOWED_ORIGINS: `${ALLOWED}, https://other.example` }));
});

afterAll(async () => {
  await hub?.close('test done');
});

/** A socket.io connection attempt with these headers: 'welcome' or the refusal's message. */
function attempt(
  url: string,
  headers: Record<string, string>,
  transport: 'websocket' | 'polling',
  extra: Record<string, unknown> = {},
): Promise<string> {
  return hub.credentials.issue({ conferenceId: CONF, pointId: 'bien-hoa', role: 'viewer' }, 600).then(
    ({ token }) =>
      new Promise((resolve) => {
        const socket = io(url, {
          auth: { token },
          transports: [transport],
          extraHeaders: headers,
          forceNew: true,
          reconnection: false,
          ...extra,
        });
        socket.once('session.welcome', () => {
          socket.close();
          resolve('welcome');
        });
        socket.once('connect_error', (error) => {
          socket.close();
          resolve(`refused: ${error.message}`);
        });
      }),
  );
}

describe('headers', () => {
  it('serves the client with a strict CSP and the usual hardening headers', async () => {
    const res = await fetch(`${base}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    const host = new URL(base).host;
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      `connect-src 'self' ws://${host} wss://${host}`,
      "media-src 'self' blob: mediastream:",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-powered-by')).toBeNull();
    // The built page has no inline script for the CSP to block.
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('keeps a forged Host header out of the CSP', async () => {
    const { request } = await import('node:http');
    const csp = await new Promise<string>((resolve, reject) => {
      const req = request(`${base}/`, { headers: { host: "evil; script-src 'unsafe-inline'" } }, (res) => {
        res.resume();
        resolve(String(res.headers['content-security-policy']));
      });
      req.on('error', reject);
      req.end();
    });
    expect(csp).not.toContain('unsafe-inline');
  });
});

describe('CORS', () => {
  it('the REST API refuses foreign origins and answers listed ones', async () => {
    const foreign = await fetch(`${base}/api/conferences/${CONF}`, { headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: { code: 'forbidden', message: expect.stringMatching(/origin/) } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    // The hub's own pages (same origin) and callers without an Origin reach the usual checks.
    expect((await fetch(`${base}/api/conferences/${CONF}`, { headers: { origin: base } })).status).toBe(401);
    expect((await fetch(`${base}/api/conferences/${CONF}`)).status).toBe(401);
    const listed = await fetch(`${base}/api/conferences/${CONF}`, { headers: { origin: ALLOWED } });
    expect(listed.status).toBe(401);
    expect(listed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    const preflight = await fetch(`${base}/api/conferences/${CONF}/credentials`, {
      method: 'OPTIONS',
      headers: {
        origin: ALLOWED,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const foreignPreflight = await fetch(`${base}/api/conferences/${CONF}`, { method: 'OPTIONS', headers: { origin: 'null' } });
    expect(foreignPreflight.status).toBe(403);
  });

  it('socket.io refuses foreign origins on the WebSocket upgrade and on polling', async () => {
    expect(await attempt(base, { origin: 'https://evil.example' }, 'websocket')).toMatch(/^refused/);
    expect(await attempt(base, { origin: 'https://evil.example' }, 'polling')).toMatch(/^refused/);
    expect(await attempt(base, { origin: 'null' }, 'websocket')).toMatch(/^refused/);
    expect(await attempt(base, { origin: base }, 'websocket')).toBe('welcome');
    expect(await attempt(base, { origin: ALLOWED }, 'websocket')).toBe('welcome');
    expect(await attempt(base, { origin: ALLOWED }, 'polling')).toBe('welcome');
    expect(await attempt(base, {}, 'websocket')).toBe('welcome');
  });

  it('is closed to every cross origin when none is configured', async () => {
    const { hub: closed, url } = await startHub();
    try {
      const res = await fetch(`${url}/api/conferences/${CONF}`, { headers: { origin: ALLOWED } });
      expect(res.status).toBe(403);
      const { token } = await closed.credentials.issue({ conferenceId: CONF, pointId: 'bien-hoa', role: 'viewer' }, 600);
      const refused = await new Promise<string>((resolve) => {
        const socket = io(url, {
          auth: { token },
          transports: ['websocket'],
          extraHeaders: { origin: ALLOWED },
          forceNew: true,
          reconnection: false,
        });
        socket.once('session.welcome', () => resolve('welcome'));
        socket.once('connect_error', (e) => resolve(`refused: ${e.message}`));
      });
      expect(refused).toMatch(/^refused/);
      (await connect(url, { token })).close();
    } finally {
      await closed.close('test done');
    }
  });
});

describe('TLS', () => {
  it('serves HTTPS and WSS with a dev-cert.sh certificate; a client without the CA is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'diemcau-tls-'));
    execFileSync('bash', [join(ROOT, 'scripts/dev-cert.sh'), '--out', dir, '--days', '1'], { stdio: 'pipe' });
    const ca = readFileSync(join(dir, 'ca.crt'));
    const { hub: secure } = await startHub({ DIEMCAU_TLS_CERT: join(dir, 'hub.crt'), DIEMCAU_TLS_KEY: join(dir, 'hub.key') });
    try {
      const port = (secure.httpServer.address() as { port: number }).port;
      const url = `https://localhost:${port}`;
      const get = (path: string, options: { ca?: Buffer } = {}) =>
        new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
          const req = httpsRequest(`${url}${path}`, { ca: options.ca }, (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
          });
          req.on('error', reject);
          req.end();
        });
      const health = await get('/healthz', { ca });
      expect(health.status).toBe(200);
      expect(health.headers['strict-transport-security']).toMatch(/max-age=/);
      await expect(get('/healthz')).rejects.toThrow(/self-signed|unable to verify|certificate/i);
      // Plain HTTP on the TLS port gets no answer from the app.
      await expect(fetch(`http://localhost:${port}/healthz`).then((r) => r.status)).rejects.toThrow();

      const { token } = await secure.credentials.issue({ conferenceId: CONF, pointId: 'bien-hoa', role: 'viewer' }, 600);
      const over = (extra: Record<string, unknown>) =>
        new Promise<string>((resolve) => {
          const socket = io(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false, ...extra });
          socket.once('session.welcome', (w) => {
            socket.close();
            resolve(`welcome ${w.self.role}`);
          });
          socket.once('connect_error', (e) => {
            socket.close();
            resolve(`refused: ${e.message}`);
          });
        });
      expect(await over({ ca })).toBe('welcome viewer');
      expect(await over({})).toMatch(/^refused/);
    } finally {
      await secure.close('test done');
    }
  });
});

describe('configuration', () => {
  it('reads origins from a comma list, needs cert and key together, and names a missing file', async () => {
    const { loadConfig, ConfigError } = await import('../../config/config.ts');
    expect(loadConfig({ DIEMCAU_ALLOWED_ORIGINS: ' https://a.example ,https://b.example:8443,' }).http.allowedOrigins).toEqual([
      'https://a.example',
      'https://b.example:8443',
    ]);
    expect(loadConfig({}).http.allowedOrigins).toEqual([]);
    expect(() => loadConfig({ DIEMCAU_TLS_CERT: '/tmp/hub.crt' })).toThrow(/tls.key: tls.cert and tls.key go together/);
    const limits = loadConfig({ DIEMCAU_POINT_ACTIONS_PER_MINUTE: '7', DIEMCAU_FAILED_AUTH_PER_10_MINUTES: '9' }).limits;
    expect(limits).toMatchObject({ pointActionsPerMinute: 7, failedAuthPer10Minutes: 9, joinsPerMinutePerAddress: 600 });
    await expect(startHub({ DIEMCAU_TLS_CERT: '/nonexistent/hub.crt', DIEMCAU_TLS_KEY: '/nonexistent/hub.key' })).rejects.toThrow(
      ConfigError,
    );
  });
});
