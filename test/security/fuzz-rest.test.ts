// Fuzzes every REST operation listed in the OpenAPI document (server/http/openapi.ts, so a new route is
// fuzzed without touching this file) against a real in-process hub: hostile path parameters and query
// strings, hostile bodies under every content type (JSON, malformed JSON, CSV, multipart, oversized),
// every kind of caller (admin key, host, technician and viewer tokens, garbage, none) and foreign origins.
// fast-check with a fixed seed. Checked: never a 5xx, every error is JSON `{ error: { code, message } }`
// with a known code and its status, no stack trace anywhere, a POST with garbage stores nothing, and the
// database is exactly as before. Also the static side (the client's files) with hostile paths.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ErrorCode, REASONS, type Reason } from '../../shared/errors.ts';
import type { Hub } from '../../server/hub.ts';
import { rotateAdminKey } from '../../server/http/admin-key.ts';
import { STATUS } from '../../server/http/errors.ts';
import { buildOpenApi } from '../../server/http/openapi.ts';
import { startHub } from '../helpers/test-hub.ts';
import { countBy, dumpDatabase, hostile, ODD_STRINGS, SEED } from './hostile.ts';

const CONF = 'mttq-giam-sat-bau-cu-dot-1';
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000) / 2;

let hub: Hub;
let base: string;
const callers: Record<string, string | undefined> = {};

beforeAll(async () => {
  ({ hub, url: base } = await startHub({ DIEMCAU_ALLOWED_ORIGINS: 'https://ban-to-chuc.example' }));
  const issue = async (pointId: string, role: 'host' | 'technician' | 'viewer') =>
    (await hub.credentials.issue({ conferenceId: CONF, pointId, role }, 600)).token;
  Object.assign(callers, {
    admin: rotateAdminKey(hub.db),
    host: await issue('trung-uong', 'host'),
    technician: await issue('ha-noi', 'technician'),
    viewer: await issue('ha-noi', 'viewer'),
    garbage: 'eyJhbGciOiJub25lIn0.eyJyb2xlIjoiaG9zdCJ9.',
    none: undefined,
  });
});

afterAll(async () => {
  await hub?.close('test done');
});

interface Operation {
  method: 'GET' | 'POST';
  path: string;
  params: string[];
  query: string[];
}

function operations(): Operation[] {
  const doc = buildOpenApi() as { paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>> };
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase() as Operation['method'],
      path,
      params: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
      query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
    })),
  );
}

const OPS = operations();

const pathValue = fc.oneof(
  fc.constant(CONF),
  fc.constantFrom(...ODD_STRINGS.filter((s) => s.length < 1000 && s.length > 0)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  fc.constantFrom('..', '%2e%2e', '..%2f..%2fetc%2fpasswd', '%', '%E0%A4%A', 'constructor', '__proto__'),
);

/** A body: the text sent and its content type. */
const body = fc.oneof(
  hostile.map((v) => ({
    type: 'application/json',
    text: JSON.stringify(v, (_k, x: unknown) => (ArrayBuffer.isView(x) ? Array.from(x as Uint8Array) : x)) ?? 'null',
  })),
  fc.string({ unit: 'binary', maxLength: 200 }).map((text) => ({ type: 'application/json', text })),
  fc
    .constantFrom('{"a":', '{"__proto__":{"polluted":true}}', '[', '\u0000', '{"a":1}'.repeat(10))
    .map((text) => ({ type: 'application/json', text })),
  fc.string({ unit: 'binary', maxLength: 500 }).map((text) => ({ type: 'text/csv', text: `id,name,level\n${text}` })),
  fc.string({ maxLength: 200 }).map((text) => ({
    type: 'multipart/form-data; boundary=xyz',
    text: `--xyz\r\nContent-Disposition: form-data; name="file"; filename="../../${text}"\r\n\r\n${text}\r\n--xyz--`,
  })),
  fc.string({ maxLength: 100 }).map((text) => ({ type: 'text/plain', text })),
  fc.constant({ type: 'application/json', text: `[${'1,'.repeat(2_500_000)}1]` }),
);

const request = fc.record({
  op: fc.constantFrom(...OPS),
  values: fc.array(pathValue, { minLength: 3, maxLength: 3 }),
  query: fc.dictionary(
    fc.constantFrom('format', 'status', 'category', 'pointId', '__proto__', 'x'),
    fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('csv', 'json', 'submitted')),
    { maxKeys: 3 },
  ),
  caller: fc.constantFrom(...['admin', 'admin', 'host', 'technician', 'viewer', 'garbage', 'none']),
  origin: fc.constantFrom(undefined, undefined, undefined, 'https://evil.example', 'null'),
  body,
});

/** Every byte of the UTF-8 form (a lone surrogate as U+FFFD), so any string makes a valid URL. */
const percentEncode = (value: string): string =>
  Array.from(Buffer.from(value, 'utf8'), (b) => `%${b.toString(16).padStart(2, '0')}`).join('');

const STACK = /at \S+ \(|node_modules|\.ts:\d+/;

type Call = typeof request extends fc.Arbitrary<infer T> ? T : never;

async function send(r: Call) {
  let path = r.op.path;
  r.op.params.forEach((name, i) => {
    const value = r.values[i] as string;
    path = path.replace(`{${name}}`, /%/.test(value) ? value : percentEncode(value));
  });
  const query = new URLSearchParams(r.query as Record<string, string>).toString();
  const headers: Record<string, string> = {};
  const token = callers[r.caller];
  if (token) headers.authorization = `Bearer ${token}`;
  if (r.origin) headers.origin = r.origin;
  const init: RequestInit = { method: r.op.method, headers };
  if (r.op.method === 'POST') {
    headers['content-type'] = r.body.type;
    init.body = r.body.text;
  }
  const res = await fetch(`${base}/api${path}${query ? `?${query}` : ''}`, init);
  return { res, text: await res.text(), what: `${r.op.method} ${path} as ${r.caller}${r.origin ? ` from ${r.origin}` : ''}` };
}

describe('REST fuzz', () => {
  it(`answers ${RUNS} hostile calls over every OpenAPI operation with typed 4xx JSON and stores nothing`, async () => {
    const before = dumpDatabase(hub.db);
    const seen: Array<{ op: string; status: number }> = [];
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const { res, text, what } = await send(r);
        seen.push({ op: `${r.op.method} ${r.op.path}`, status: res.status });
        expect(res.status, what).toBeLessThan(500);
        expect(text, what).not.toMatch(STACK);
        if (res.status >= 400) {
          expect(res.headers.get('content-type'), what).toMatch(/^application\/json/);
          const parsed = JSON.parse(text) as { error: { code: ErrorCode; reason: Reason; message: string } };
          expect(parsed, what).toEqual({
            error: { code: expect.any(String), reason: expect.any(String), params: expect.any(Object), message: expect.any(String) },
          });
          expect(ErrorCode.options, what).toContain(parsed.error.code);
          expect(REASONS[parsed.error.reason]?.code, what).toBe(parsed.error.code);
          expect([STATUS[parsed.error.code], 413], what).toContain(res.status);
        } else {
          // Only reads succeed (the points preview is a read sent as POST): garbage never creates anything.
          const reads = r.op.method === 'GET' || (r.op.method === 'POST' && r.op.path === '/points/preview');
          expect(reads, `${what} answered ${res.status}`).toBe(true);
          if (r.origin) throw new Error(`${what}: a foreign origin was served`);
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    expect(dumpDatabase(hub.db)).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const byOp = countBy(seen, (s) => s.op);
    const byStatus = countBy(seen, (s) => String(s.status));
    console.log(JSON.stringify({ fuzz: 'rest', seed: SEED, runs: RUNS, ms: Date.now() - started, byOp, byStatus }));
    expect(Object.keys(byOp)).toEqual(expect.arrayContaining(OPS.map((o) => `${o.method} ${o.path}`)));
  }, 120_000);

  it('hostile paths outside the API get a plain answer without a stack trace', async () => {
    for (const path of [
      '/%',
      '/%E0%A4%A',
      '/..%2f..%2fetc%2fpasswd',
      '/assets/%00',
      '/index.html/..',
      `/${'a'.repeat(5000)}`,
      '/socket.io/?EIO=9&transport=x',
    ]) {
      const res = await fetch(`${base}${path}`);
      const text = await res.text();
      expect(res.status, path).toBeLessThan(500);
      expect(text, path).not.toMatch(STACK);
    }
  });
});
