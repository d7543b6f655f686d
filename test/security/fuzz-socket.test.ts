// Fuzzes every socket request of the protocol table (shared/protocol.ts `requests`, so a new message is
// fuzzed without touching this file) from every role, against a real in-process hub and once against the
// hub as a child process. Inputs are hostile values from ./hostile.ts (fast-check, fixed seed): the whole
// payload, each known field, or an extra (prototype) key; extra arguments, missing acks, unknown event
// names, binary. A payload the protocol's own schema would accept is not garbage and is skipped. Checked:
// every answer is `{ ok: false, error: { code: 'invalid', message } }` (rate_limited allowed), the hub stays
// up, and the database and every conference's state are exactly as before.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import type { Role } from '../../shared/domain.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { requests, type RequestName } from '../../shared/protocol.ts';
import { CredentialIssuer } from '../../server/auth/credentials.ts';
import type { Hub } from '../../server/hub.ts';
import { Database } from '../../server/store/db.ts';
import { tempDataDir } from '../../scripts/lib/data-dir.ts';
import { hubPort, processAlive, spawnHub, type HubProcess } from '../../scripts/lib/hub-process.ts';
import { connect, type HubClient as SignalClient } from '../../scripts/lib/hub-client.ts';
import { MTTQ_CONFERENCE, MTTQ_POINT_FOR_ROLE } from '../helpers/demo-points.ts';
import { startHub } from '../helpers/test-hub.ts';
import { countBy, dumpDatabase, hostile, ODD_STRINGS, oddString, overTheWire, PROTO_KEYS, SEED } from './hostile.ts';

const CONF = MTTQ_CONFERENCE;
const POINT_AT = MTTQ_POINT_FOR_ROLE;
const ROLES = Object.keys(POINT_AT) as Role[];
const NAMES = Object.keys(requests) as RequestName[];
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const ANSWER_MS = 5000;

/** The top-level keys a request's params know, from its JSON schema (empty for unions). */
function knownKeys(name: RequestName): string[] {
  const schema = z.toJSONSchema(requests[name].params, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown> };
  return Object.keys(schema.properties ?? {});
}

/** A payload of one of three shapes, all hostile. */
const payloadFor = (name: RequestName) => {
  const keys = knownKeys(name);
  const shapes = [
    hostile,
    fc.tuple(fc.constantFrom(...PROTO_KEYS), hostile).map(([k, v]) => ({ ...Object.fromEntries(keys.map((key) => [key, 1])), [k]: v })),
  ];
  if (keys.length > 0) shapes.push(fc.dictionary(fc.constantFrom(...keys), hostile, { minKeys: 1, maxKeys: keys.length }));
  return fc.oneof(...shapes);
};

const input = fc.constantFrom(...NAMES).chain((name) =>
  fc.record({
    name: fc.constant(name),
    role: fc.constantFrom(...ROLES),
    payload: payloadFor(name),
    /** 0: the usual (payload, ack); 1: no ack; 2: extra arguments before the ack. */
    form: fc.constantFrom(0, 0, 0, 0, 1, 2),
  }),
);

type Answer = { ok: boolean; error?: { code: string; message: string } };

function send(client: SignalClient, name: string, form: number, payload: unknown): Promise<Answer | 'no-ack'> {
  const emit = (client.socket.emit as (...a: unknown[]) => void).bind(client.socket);
  if (form === 1) {
    emit(name, payload);
    return Promise.resolve('no-ack');
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: no answer within ${ANSWER_MS} ms`)), ANSWER_MS);
    const ack = (answer: Answer) => {
      clearTimeout(timer);
      resolve(answer);
    };
    if (form === 2) emit(name, payload, { extra: payload }, 42, ack);
    else emit(name, payload, ack);
  });
}

function expectTypedError(answer: unknown, what: string): asserts answer is Answer {
  expect(answer, what).toMatchObject({ ok: false, error: { code: expect.any(String), message: expect.any(String) } });
  const { error } = answer as { error: { code: string } };
  expect(ErrorCode.options, what).toContain(error.code);
  expect(['invalid', 'rate_limited'], what).toContain(error.code);
}

interface Target {
  clients: Record<Role, SignalClient>;
  state: () => unknown;
  alive: () => boolean;
}

async function joinAll(url: string, tokenFor: (role: Role) => Promise<string>): Promise<Record<Role, SignalClient>> {
  const entries = await Promise.all(ROLES.map(async (role) => [role, await connect(url, { token: await tokenFor(role) })] as const));
  return Object.fromEntries(entries) as Record<Role, SignalClient>;
}

/** Runs the property; returns what was sent and answered, for the printed summary. */
async function fuzz(target: Target, runs: number, seed: number) {
  const sent: Array<{ name: string; shape: string }> = [];
  let skippedValid = 0;
  const before = target.state();
  await fc.assert(
    fc.asyncProperty(input, async ({ name, role, payload, form }) => {
      if (requests[name].params.safeParse(overTheWire(payload)).success) {
        skippedValid++;
        return;
      }
      const what = `${name} as ${role} (form ${form})`;
      const answer = await send(target.clients[role], name, form, payload);
      sent.push({ name, shape: form === 1 ? 'no-ack' : form === 2 ? 'extra-args' : 'payload' });
      if (answer !== 'no-ack') expectTypedError(answer, what);
      expect(target.clients[role].socket.connected, `${what}: still connected`).toBe(true);
    }),
    { seed, numRuns: runs, endOnFailure: true },
  );
  // Unknown events, prototype names and socket.io's own names: typed answers, nothing else.
  const odd = [
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'error',
    'session.welcome',
    'x'.repeat(5000),
    '\uD800',
    '',
    'media.produce ',
  ];
  for (const role of ROLES) {
    for (const event of odd) {
      const answer = await send(target.clients[role], event, 0, { a: 1 });
      expectTypedError(answer, `event ${JSON.stringify(event.slice(0, 20))} as ${role}`);
      sent.push({ name: '(unknown event)', shape: 'payload' });
    }
  }
  // Every client is still served, and nothing changed.
  for (const role of ROLES) expect(await target.clients[role].request('readiness.ping', { sentAt: 1 })).toMatchObject({ ok: true });
  expect(target.alive()).toBe(true);
  expect(target.state()).toEqual(before);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  return { sent: sent.length, skippedValid, byRequest: countBy(sent, (s) => s.name), byShape: countBy(sent, (s) => s.shape) };
}

describe('socket fuzz, in-process hub', () => {
  let hub: Hub;
  let url: string;
  let clients: Record<Role, SignalClient>;

  beforeAll(async () => {
    ({ hub, url } = await startHub({ DIEMCAU_REQUESTS_PER_SECOND: '10000', DIEMCAU_POINT_ACTIONS_PER_MINUTE: '100000' }));
    clients = await joinAll(
      url,
      async (role) => (await hub.credentials.issue({ conferenceId: CONF, pointId: POINT_AT[role], role }, 600)).token,
    );
  });

  afterAll(async () => {
    for (const c of Object.values(clients ?? {})) c.close();
    await hub?.close('test done');
  });

  it(`answers ${RUNS} hostile requests (every request × every role) with typed errors and changes nothing`, async () => {
    const started = Date.now();
    const state = () => ({ db: dumpDatabase(hub.db), conferences: hub.conferences.list().map((c) => c.view()) });
    const summary = await fuzz({ clients, state, alive: () => true }, RUNS, SEED);
    console.log(JSON.stringify({ fuzz: 'socket in-process', seed: SEED, runs: RUNS, ms: Date.now() - started, ...summary }));
    expect(Object.keys(summary.byRequest)).toEqual(expect.arrayContaining(NAMES));
  }, 120_000);

  it('a message over the size limit closes only that connection; the hub serves the others', async () => {
    const { token } = await hub.credentials.issue({ conferenceId: CONF, pointId: 'ha-noi', role: 'viewer' }, 600);
    const big = await connect(url, { token });
    const closed = new Promise((resolve) => big.socket.once('disconnect', resolve));
    (big.socket.emit as (...a: unknown[]) => void)('readiness.ping', { sentAt: 1, pad: 'x'.repeat(2 * 1024 * 1024) }, () => undefined);
    await closed;
    expect(await clients.host.request('readiness.ping', { sentAt: 2 })).toMatchObject({ ok: true });
  });
});

describe('socket fuzz, hub as a child process', () => {
  let proc: HubProcess;
  let clients: Record<Role, SignalClient>;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = tempDataDir();
    proc = spawnHub({
      DIEMCAU_DATA_DIR: dataDir,
      DIEMCAU_WORKERS: '1',
      DIEMCAU_LISTEN_IP: '127.0.0.1',
      DIEMCAU_REQUESTS_PER_SECOND: '10000',
      DIEMCAU_POINT_ACTIONS_PER_MINUTE: '100000',
    });
    const url = `http://127.0.0.1:${await hubPort(proc)}`;
    const db = new Database(dataDir);
    const issuer = new CredentialIssuer(db, 'auto');
    const tokens = await Promise.all(ROLES.map((role) => issuer.issue({ conferenceId: CONF, pointId: POINT_AT[role], role }, 600)));
    db.close();
    clients = await joinAll(url, async (role) => (tokens[ROLES.indexOf(role)] as { token: string }).token);
  }, 30_000);

  afterAll(async () => {
    for (const c of Object.values(clients ?? {})) c.close();
    proc?.child.kill('SIGTERM');
    await proc?.exited;
  });

  it('survives the same garbage (an uncaught exception would kill it)', async () => {
    const runs = Math.ceil(RUNS / 3);
    const started = Date.now();
    const state = () => {
      const db = new Database(dataDir);
      try {
        return dumpDatabase(db);
      } finally {
        db.close();
      }
    };
    const summary = await fuzz({ clients, state, alive: () => processAlive(proc.child.pid as number) }, runs, SEED + 1);
    console.log(
      JSON.stringify({
        fuzz: 'socket child process',
        seed: SEED + 1,
        runs,
        ms: Date.now() - started,
        sent: summary.sent,
        skippedValid: summary.skippedValid,
      }),
    );
    expect(proc.child.exitCode).toBeNull();
    expect(proc.logs.filter((l) => l.level === 60 || l.msg === 'request failed')).toEqual([]);
  }, 120_000);
});

describe('plain payloads', () => {
  it('refuses what socket.io rebuilds from a crafted `__proto__` attachment, binary, and deep nesting; cleans NUL', async () => {
    const { cleanPayload } = await import('../../server/signal/registrar.ts');
    const crafted: Record<string, unknown> = {};
    Object.setPrototypeOf(crafted, Buffer.from('x'));
    expect(cleanPayload(crafted)).toEqual({ reason: expect.stringMatching(/non-plain/) });
    expect(cleanPayload({ a: [Buffer.from('x')] })).toEqual({ reason: expect.stringMatching(/binary/) });
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(cleanPayload(deep)).toEqual({ reason: expect.stringMatching(/nested deeper/) });
    const proto = cleanPayload(JSON.parse('{"__proto__": {"x": 1}, "a": [1, {"b": null}]}')) as { value: object };
    expect(Object.keys(proto.value)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(proto.value)).toBe(Object.prototype);
    expect(cleanPayload({ 'k\u0000': 'a\u0000b\uD800' })).toEqual({ value: { k: 'ab\uFFFD' } });
    expect(cleanPayload(Object.create(null))).toEqual({ value: {} });
  });
});

describe('odd text in valid fields', () => {
  let hub: Hub;
  let url: string;

  beforeAll(async () => {
    ({ hub, url } = await startHub({ DIEMCAU_REQUESTS_PER_SECOND: '10000', DIEMCAU_POINT_ACTIONS_PER_MINUTE: '100000' }));
  });

  afterAll(async () => {
    await hub?.close('test done');
  });

  it('stores a question with any text exactly as the hub answered it, and as it reads back from the database', async () => {
    const { token } = await hub.credentials.issue({ conferenceId: CONF, pointId: 'ha-noi', role: 'secretary' }, 600);
    const secretary = await connect(url, { token });
    const text = fc.oneof(
      fc.constantFrom(...ODD_STRINGS.filter((s) => s.trim().length > 0 && s.length <= 2000)),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
      oddString,
    );
    let accepted = 0;
    let refused = 0;
    try {
      await fc.assert(
        fc.asyncProperty(text, text, async (asker, body) => {
          const answer = await secretary.request('question.submit', {
            asker: asker.slice(0, 200),
            category: 'Khác',
            text: body.slice(0, 2000),
          });
          if (!answer.ok) {
            expect(answer.error.code).toBe('invalid');
            refused++;
            return;
          }
          accepted++;
          const row = hub.db.get<{ asker: string; text: string }>('SELECT asker, text FROM questions WHERE id = ?', answer.data.id);
          expect(row).toEqual({ asker: answer.data.asker, text: answer.data.text });
          const listed = await secretary.request('question.list', {});
          expect(listed.ok && listed.data.questions.find((q) => q.id === answer.data.id)).toMatchObject({
            asker: answer.data.asker,
            text: answer.data.text,
          });
        }),
        { seed: SEED, numRuns: Math.ceil(RUNS / 10), endOnFailure: true },
      );
    } finally {
      secretary.close();
    }
    console.log(JSON.stringify({ fuzz: 'odd text round trip', seed: SEED, runs: Math.ceil(RUNS / 10), accepted, refused }));
  }, 60_000);
});
