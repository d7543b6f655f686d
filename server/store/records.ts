// Questions, attendance, roll calls, readiness results, connection history, documents and the event log
// of every control action, in the database.
import { z } from 'zod';
import type { ConnectionState, Role } from '../../shared/domain.ts';
import { type ActionDetail, type ActionName, type Actor, LoggedAction, type LoggedEvent } from '../../shared/event-log.ts';
import {
  type AttendanceView,
  type DocumentView,
  type QuestionStatus,
  type QuestionView,
  type ReadinessMeasurement,
  ReadinessReason,
  type ReadinessView,
  type RollCallView,
} from '../../shared/records.ts';
import { readinessProblems } from '../conference/records/readiness-judge.ts';
import type { Database } from './db.ts';
import { listDocuments, orderDocuments, removeDocument, saveDocument } from './documents.ts';

interface QuestionRow {
  id: string;
  point_id: string;
  asker: string;
  unit: string;
  category: string;
  text: string;
  status: QuestionStatus;
  position: number | null;
  answer_mode: 'live' | 'written' | null;
  answer: string | null;
  dismiss_reason: string | null;
  merged_into: string | null;
  created_at: number;
  updated_at: number;
}

const toQuestion = (r: QuestionRow): QuestionView => ({
  id: r.id,
  pointId: r.point_id,
  asker: r.asker,
  unit: r.unit,
  category: r.category,
  text: r.text,
  status: r.status,
  position: r.position,
  answerMode: r.answer_mode,
  answer: r.answer,
  dismissReason: r.dismiss_reason,
  mergedInto: r.merged_into,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** One row of the event log as stored (the union of actions is in shared/event-log.ts). */
export type EventRecord = LoggedEvent;

/** The event log read back: every row as its typed action, and the rows that could not be read (by seq). */
export interface EventLog {
  events: EventRecord[];
  unreadable: Array<{ seq: number; action: string }>;
}

const storedReasons = z.array(ReadinessReason);

/** Stored JSON text as a value; undefined (which no schema accepts) for text that is not JSON. */
function readJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * A readiness row's reasons. Rows from before reason codes kept them as sentences: those are judged again
 * from the stored measurement by the same judge (the one that gave the sentences, same limits).
 */
function readinessReasons(stored: string, measurement: ReadinessMeasurement): ReadinessView['reasons'] {
  const parsed = storedReasons.safeParse(readJson(stored));
  return parsed.success ? parsed.data : readinessProblems(measurement);
}

/**
 * Event-log details older versions wrote in another shape, brought to today's, in this one place:
 * `readiness.report` kept its reasons as sentences (its measurement is in the readiness table, not in the
 * row); they read as no reason codes, the state (ready / not ready) as it was.
 */
function upgradeDetail(action: string, detail: unknown): unknown {
  if (action === 'readiness.report' && typeof detail === 'object' && detail !== null && 'reasons' in detail) {
    const reasons = (detail as { reasons: unknown }).reasons;
    if (Array.isArray(reasons) && reasons.some((r) => typeof r === 'string')) return { ...detail, reasons: [] };
  }
  return detail;
}

export class RecordStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  transaction<T>(work: () => T): T {
    return this.#db.transaction(work);
  }

  // --- Questions ---------------------------------------------------------------------------------------

  questions(conferenceId: string): QuestionView[] {
    return this.#db
      .all<QuestionRow>('SELECT * FROM questions WHERE conference_id = ? ORDER BY created_at, id', conferenceId)
      .map(toQuestion);
  }

  saveQuestion(conferenceId: string, q: QuestionView): void {
    this.#db.run(
      `INSERT INTO questions (id, conference_id, point_id, asker, unit, category, text, status, position, answer_mode,
         answer, dismiss_reason, merged_into, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET asker = excluded.asker, unit = excluded.unit, category = excluded.category,
         text = excluded.text, status = excluded.status, position = excluded.position, answer_mode = excluded.answer_mode,
         answer = excluded.answer, dismiss_reason = excluded.dismiss_reason, merged_into = excluded.merged_into,
         updated_at = excluded.updated_at`,
      q.id,
      conferenceId,
      q.pointId,
      q.asker,
      q.unit,
      q.category,
      q.text,
      q.status,
      q.position,
      q.answerMode,
      q.answer,
      q.dismissReason,
      q.mergedInto,
      q.createdAt,
      q.updatedAt,
    );
  }

  // --- Attendance and roll calls -----------------------------------------------------------------------

  attendance(conferenceId: string): AttendanceView[] {
    return this.#db
      .all<{ point_id: string; present: number; groups: string; reported_at: number }>(
        'SELECT * FROM attendance WHERE conference_id = ? ORDER BY point_id',
        conferenceId,
      )
      .map((r) => ({
        pointId: r.point_id,
        present: r.present,
        groups: JSON.parse(r.groups) as Record<string, number>,
        reportedAt: r.reported_at,
      }));
  }

  saveAttendance(conferenceId: string, a: AttendanceView): void {
    this.#db.run(
      `INSERT INTO attendance (conference_id, point_id, present, groups, reported_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (conference_id, point_id) DO UPDATE SET present = excluded.present, groups = excluded.groups,
         reported_at = excluded.reported_at`,
      conferenceId,
      a.pointId,
      a.present,
      JSON.stringify(a.groups),
      a.reportedAt,
    );
  }

  lastRollCall(conferenceId: string): RollCallView | null {
    const call = this.#db.get<{ id: string; started_at: number; deadline: number }>(
      'SELECT * FROM roll_calls WHERE conference_id = ? ORDER BY started_at DESC LIMIT 1',
      conferenceId,
    );
    if (!call) return null;
    const confirmed = Object.fromEntries(
      this.#db
        .all<{ point_id: string; confirmed_at: number }>('SELECT * FROM roll_call_confirmations WHERE roll_call_id = ?', call.id)
        .map((c) => [c.point_id, c.confirmed_at]),
    );
    return { id: call.id, startedAt: call.started_at, deadline: call.deadline, confirmed, open: Date.now() < call.deadline };
  }

  startRollCall(conferenceId: string, id: string, startedAt: number, deadline: number): void {
    this.#db.run(
      'INSERT INTO roll_calls (id, conference_id, started_at, deadline) VALUES (?, ?, ?, ?)',
      id,
      conferenceId,
      startedAt,
      deadline,
    );
  }

  /** Ends a roll call before its deadline (the conference ended): its deadline becomes `at`. */
  closeRollCall(rollCallId: string, at: number): void {
    this.#db.run('UPDATE roll_calls SET deadline = ? WHERE id = ? AND deadline > ?', at, rollCallId, at);
  }

  confirmRollCall(rollCallId: string, pointId: string, at: number): void {
    this.#db.run(
      'INSERT OR IGNORE INTO roll_call_confirmations (roll_call_id, point_id, confirmed_at) VALUES (?, ?, ?)',
      rollCallId,
      pointId,
      at,
    );
  }

  // --- Readiness and connection history ----------------------------------------------------------------

  latestReadiness(conferenceId: string): ReadinessView[] {
    return this.#db
      .all<{ point_id: string; tested_at: number; ready: number; reasons: string; measurement: string; server: string | null }>(
        `SELECT r.* FROM readiness r
         JOIN (SELECT point_id, MAX(tested_at) AS t FROM readiness WHERE conference_id = ? GROUP BY point_id) last
           ON r.point_id = last.point_id AND r.tested_at = last.t
         WHERE r.conference_id = ?`,
        conferenceId,
        conferenceId,
      )
      .map((r) => {
        const measurement = JSON.parse(r.measurement) as ReadinessMeasurement;
        return {
          pointId: r.point_id,
          state: r.ready ? 'ready' : 'not_ready',
          reasons: readinessReasons(r.reasons, measurement),
          testedAt: r.tested_at,
          measurement,
          server: r.server ? (JSON.parse(r.server) as ReadinessView['server']) : null,
        };
      });
  }

  saveReadiness(conferenceId: string, r: ReadinessView): void {
    this.#db.run(
      'INSERT INTO readiness (conference_id, point_id, tested_at, ready, reasons, measurement, server) VALUES (?, ?, ?, ?, ?, ?, ?)',
      conferenceId,
      r.pointId,
      r.testedAt ?? Date.now(),
      r.state === 'ready' ? 1 : 0,
      JSON.stringify(r.reasons),
      JSON.stringify(r.measurement),
      r.server ? JSON.stringify(r.server) : null,
    );
  }

  saveConnection(conferenceId: string, pointId: string, state: ConnectionState, at: number): void {
    this.#db.run('INSERT INTO connections (conference_id, point_id, state, at) VALUES (?, ?, ?, ?)', conferenceId, pointId, state, at);
  }

  connections(conferenceId: string): Array<{ pointId: string; state: ConnectionState; at: number }> {
    return this.#db
      .all<{ point_id: string; state: ConnectionState; at: number }>(
        'SELECT * FROM connections WHERE conference_id = ? ORDER BY at',
        conferenceId,
      )
      .map((r) => ({ pointId: r.point_id, state: r.state, at: r.at }));
  }

  // --- Documents ---------------------------------------------------------------------------------------

  documents(conferenceId: string): DocumentView[] {
    return listDocuments(this.#db, conferenceId);
  }

  saveDocument(conferenceId: string, d: DocumentView): void {
    saveDocument(this.#db, conferenceId, d);
  }

  /** Puts the documents in the order of `ids` (all of them; the caller checks). */
  orderDocuments(conferenceId: string, ids: readonly string[]): void {
    orderDocuments(this.#db, conferenceId, ids);
  }

  /** Removes a document's row (its file is the caller's); false when there is none. */
  removeDocument(conferenceId: string, id: string): boolean {
    return removeDocument(this.#db, conferenceId, id);
  }

  // --- Event log ---------------------------------------------------------------------------------------

  /** Appends one action to the log; call it inside the transaction that stores the state it changed. */
  log<A extends ActionName>(conferenceId: string, actor: Actor, action: A, detail: ActionDetail<A>): void {
    this.#db.run(
      'INSERT INTO events (conference_id, at, actor_point, actor_role, action, detail) VALUES (?, ?, ?, ?, ?, ?)',
      conferenceId,
      Date.now(),
      actor?.pointId ?? null,
      actor?.role ?? null,
      action,
      JSON.stringify(detail),
    );
  }

  /** The typed events of a conference in order (see eventLog for the rows that could not be read). */
  events(conferenceId: string): EventRecord[] {
    return this.eventLog(conferenceId).events;
  }

  /**
   * The event log, every row as its typed action; older rows are brought to today's shape first
   * (upgradeDetail). A row that still does not read is not guessed at: it is listed in `unreadable`.
   */
  eventLog(conferenceId: string): EventLog {
    const log: EventLog = { events: [], unreadable: [] };
    const rows = this.#db.all<{
      seq: number;
      at: number;
      actor_point: string | null;
      actor_role: Role | null;
      action: string;
      detail: string;
    }>('SELECT * FROM events WHERE conference_id = ? ORDER BY seq', conferenceId);
    for (const e of rows) {
      const parsed = LoggedAction.safeParse({ action: e.action, detail: upgradeDetail(e.action, readJson(e.detail)) });
      if (parsed.success) log.events.push({ seq: e.seq, at: e.at, actorPoint: e.actor_point, actorRole: e.actor_role, ...parsed.data });
      else log.unreadable.push({ seq: e.seq, action: e.action });
    }
    return log;
  }
}
