// The records' parts on a real database file, without a hub: each change is stored with its event-log row in
// one transaction and only then sent (a failed write stores and sends nothing), each part's audience rule
// decides both its live events and the snapshot, and the readiness judge's limits.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ConferenceSpec, type Role } from '../../shared/domain.ts';
import type { EventName } from '../../shared/protocol.ts';
import type { ReadinessMeasurement } from '../../shared/records.ts';
import { ConferenceRecords } from '../../server/conference/records.ts';
import { readinessProblems } from '../../server/conference/records/readiness-judge.ts';
import { Session, type SessionSink } from '../../server/conference/session.ts';
import { Database } from '../../server/store/db.ts';
import { ConferenceStore } from '../../server/store/conferences.ts';
import { RecordStore } from '../../server/store/records.ts';

import { tempDataDir } from '../../scripts/lib/data-dir.ts';

const spec = ConferenceSpec.parse({
  id: 'phan-ghi',
  title: 'Hội nghị thử',
  startsAt: '2026-05-01T08:00:00+07:00',
  centralPointId: 'tinh',
  questionCategories: ['Khác'],
  agenda: [{ id: 'khai-mac', title: 'Khai mạc', plannedMinutes: 5 }],
  points: [
    { id: 'tinh', name: 'Tỉnh', level: 'province' },
    { id: 'phu', name: 'Điểm phụ', level: 'province', parentId: 'tinh', centralSide: true },
    { id: 'huyen-a', name: 'Huyện A', level: 'district', parentId: 'tinh' },
    { id: 'huyen-b', name: 'Huyện B', level: 'district', parentId: 'tinh' },
  ],
});

/** A session whose sink records what the records send it. */
interface Listener {
  session: Session;
  got: Array<{ event: EventName; payload: unknown }>;
}

let db: Database;
let store: RecordStore;
let records: ConferenceRecords;
const listeners: Listener[] = [];

function listen(pointId: string, role: Role): Listener {
  const got: Listener['got'] = [];
  const sink: SessionSink = { emit: (event, payload) => void got.push({ event, payload }), end: () => undefined };
  // The records never touch a session's media; a session here has none.
  const session = new Session({ conferenceId: spec.id, pointId, role }, sink, undefined as never, pino({ level: 'silent' }));
  const listener = { session, got };
  listeners.push(listener);
  return listener;
}

const count = (table: string): number => (db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`) ?? { n: -1 }).n;
const heard = (l: Listener, event: EventName): number => l.got.filter((e) => e.event === event).length;

let host: Listener;
let techA: Listener;
let secretaryA: Listener;
let viewerA: Listener;
let techB: Listener;

beforeAll(() => {
  db = new Database(tempDataDir());
  new ConferenceStore(db).insert(spec);
  store = new RecordStore(db);
  host = listen('tinh', 'host');
  listen('phu', 'cohost');
  techA = listen('huyen-a', 'technician');
  secretaryA = listen('huyen-a', 'secretary');
  viewerA = listen('huyen-a', 'viewer');
  techB = listen('huyen-b', 'technician');
  const owner = {
    spec,
    sessions: () => listeners.map((l) => l.session),
    grantFloor: () => undefined,
    floorHolder: () => null,
    revokeFloor: () => undefined,
  };
  records = new ConferenceRecords(owner, store, { current: null, since: null });
});

afterAll(() => {
  records?.close();
  db?.close();
});

describe('roll call confirmation', () => {
  it('stores the confirmation and its log row together, or neither, and tells no one of a failed one', () => {
    const call = records.rollCall.start(host.session, 30);
    expect(heard(viewerA, 'rollcall.updated')).toBe(0);
    expect(heard(techB, 'rollcall.updated')).toBe(1);
    const before = { confirmations: count('roll_call_confirmations'), events: count('events'), heard: heard(host, 'rollcall.updated') };

    // The event-log row fails after the confirmation row is written: the transaction takes both back.
    db.sql.exec(`CREATE TEMP TRIGGER no_confirm BEFORE INSERT ON events WHEN NEW.action = 'rollcall.confirm'
      BEGIN SELECT RAISE(ABORT, 'log refused'); END`);
    expect(() => records.rollCall.confirm(techA.session)).toThrow(/log refused/);
    expect(count('roll_call_confirmations')).toBe(before.confirmations);
    expect(count('events')).toBe(before.events);
    expect(heard(host, 'rollcall.updated')).toBe(before.heard);

    db.sql.exec('DROP TRIGGER no_confirm');
    const confirmed = records.rollCall.confirm(techA.session);
    expect(Object.keys(confirmed.confirmed)).toEqual(['huyen-a']);
    expect(count('roll_call_confirmations')).toBe(before.confirmations + 1);
    expect(store.events(spec.id).at(-1)).toMatchObject({
      action: 'rollcall.confirm',
      detail: { rollCallId: call.id },
      actorPoint: 'huyen-a',
    });
    expect(heard(host, 'rollcall.updated')).toBe(before.heard + 1);
    expect(heard(viewerA, 'rollcall.updated')).toBe(0);
  });
});

describe('audience rules', () => {
  it('questions: the moderators and the asking point’s question writers, in events and in the snapshot alike', () => {
    const q = records.questions.submit(secretaryA.session, { asker: 'Tổ thư ký', unit: '', category: 'Khác', text: 'Hỏi?' });
    const told = listeners.filter((l) => l.got.some((e) => e.event === 'question.updated' && (e.payload as { id: string }).id === q.id));
    expect(told.map((l) => l.session.role).sort()).toEqual(['cohost', 'host', 'secretary', 'technician']);
    expect(told.every((l) => l.session.role === 'host' || l.session.role === 'cohost' || l.session.pointId === 'huyen-a')).toBe(true);
    for (const l of listeners) {
      const sees = records.snapshot(l.session).questions.some((x) => x.id === q.id);
      expect(sees, `${l.session.pointId}/${l.session.role}`).toBe(told.includes(l));
    }
  });

  it('attendance and readiness: the moderators and the point itself, never its room display', () => {
    const good = { bitrateKbps: 900, lossPercent: 0, jitterMs: 5, roundTripMs: 20 };
    records.attendance.report(techA.session, 12, {});
    records.readiness.report(techA.session, { signallingRoundTripMs: 10, send: good, receive: good, microphoneLevelDb: -20 }, null);
    for (const [event, section] of [
      ['attendance.updated', 'attendance'],
      ['readiness.updated', 'readiness'],
    ] as const) {
      const told = listeners.filter((l) => heard(l, event) > 0).map((l) => `${l.session.pointId}/${l.session.role}`);
      expect(told.sort()).toEqual(['huyen-a/secretary', 'huyen-a/technician', 'phu/cohost', 'tinh/host']);
      const seen = (l: Listener): boolean => records.snapshot(l.session)[section].some((x) => x.pointId === 'huyen-a');
      expect(
        listeners
          .filter(seen)
          .map((l) => `${l.session.pointId}/${l.session.role}`)
          .sort(),
      ).toEqual(told);
    }
    // The board lists the centre first, then every other point; a point sees only its own line.
    expect(records.snapshot(host.session).readiness.map((r) => r.pointId)).toEqual(['tinh', 'phu', 'huyen-a', 'huyen-b']);
    // The centre checks itself too: its result leads the host's board, and no remote point sees it.
    records.readiness.report(host.session, { signallingRoundTripMs: 10, send: good, receive: good, microphoneLevelDb: -80 }, null);
    expect(records.snapshot(host.session).readiness[0]).toMatchObject({ pointId: 'tinh', state: 'not_ready' });
    expect(records.snapshot(host.session).readiness[0]?.reasons.map((r) => r.code)).toEqual(['microphone_silent']);
    expect(records.snapshot(techB.session).readiness).toEqual([
      { pointId: 'huyen-b', state: 'not_tested', reasons: [], testedAt: null, measurement: null, server: null },
    ]);
  });

  it('the agenda goes to everyone; nothing else of the records reaches a room display', () => {
    records.gotoAgenda(host.session, 'khai-mac', () => undefined);
    expect(listeners.every((l) => heard(l, 'agenda.updated') === 1)).toBe(true);
    expect(records.agenda()).toMatchObject({ currentItemId: 'khai-mac', currentSince: expect.any(Number) });
    expect(records.snapshot(viewerA.session)).toEqual({ questions: [], attendance: [], rollCall: null, readiness: [], documents: [] });
    expect(viewerA.got.map((e) => e.event)).toEqual(['agenda.updated']);
  });

  it('a refused change stores nothing and sends nothing', () => {
    const events = count('events');
    const sent = listeners.map((l) => l.got.length);
    expect(() => records.gotoAgenda(host.session, 'khong-co', () => undefined)).toThrow(
      expect.objectContaining({ reason: 'agenda.item_unknown' }),
    );
    expect(() => records.questions.accept(host.session, 'khong-co')).toThrow(expect.objectContaining({ reason: 'question.unknown' }));
    expect(() => records.rollCall.start(host.session, 30)).toThrow(expect.objectContaining({ reason: 'rollcall.open' }));
    expect(count('events')).toBe(events);
    expect(listeners.map((l) => l.got.length)).toEqual(sent);
  });
});

describe('readiness judge', () => {
  const good = { bitrateKbps: 150, lossPercent: 5, jitterMs: 60, roundTripMs: 400 };
  const at = (m: Partial<ReadinessMeasurement>): ReadinessMeasurement => ({
    signallingRoundTripMs: 500,
    send: good,
    receive: good,
    microphoneLevelDb: -60,
    ...m,
  });

  it('passes a measurement exactly at every limit', () => {
    expect(readinessProblems(at({}))).toEqual([]);
  });

  it('gives one reason code per failure, with its direction, value and limit', () => {
    const bad = { bitrateKbps: 149, lossPercent: 5.1, jitterMs: 61, roundTripMs: 401 };
    expect(readinessProblems(at({ signallingRoundTripMs: 501, receive: bad, microphoneLevelDb: -61 }))).toEqual([
      { code: 'signalling_slow', direction: null, value: 501, limit: 500 },
      { code: 'bitrate_low', direction: 'receive', value: 149, limit: 150 },
      { code: 'loss_high', direction: 'receive', value: 5.1, limit: 5 },
      { code: 'round_trip_high', direction: 'receive', value: 401, limit: 400 },
      { code: 'jitter_high', direction: 'receive', value: 61, limit: 60 },
      { code: 'microphone_silent', direction: null, value: -61, limit: -60 },
    ]);
  });

  it('does not judge the centre by what it receives (nothing before the points connect), only by its quality', () => {
    const idle = { bitrateKbps: 0, lossPercent: 0, jitterMs: 0, roundTripMs: 0 };
    expect(readinessProblems(at({ receive: idle }), { centre: true })).toEqual([]);
    expect(readinessProblems(at({ receive: idle }))).toEqual([{ code: 'bitrate_low', direction: 'receive', value: 0, limit: 150 }]);
    expect(readinessProblems(at({ receive: { ...idle, lossPercent: 9 } }), { centre: true })).toEqual([
      { code: 'loss_high', direction: 'receive', value: 9, limit: 5 },
    ]);
  });
});
