// Conferences, their points and their live state (status, agenda position, floor, host mutes, each point's
// last connection state) in the database.
import { ConferenceSpec, ConnectionState, FloorView, type PointSpec, type ConferenceStatus } from '../../shared/domain.ts';
import type { Database } from './db.ts';

export interface Mutes {
  audio: boolean;
  video: boolean;
}

export interface StoredConference {
  spec: ConferenceSpec;
  status: ConferenceStatus;
  agendaCurrent: string | null;
  agendaSince: number | null;
  floor: FloorView | null;
  /** Host mutes by point id (points never muted are absent or all false). */
  mutes: Record<string, Mutes>;
  /** The last connection state recorded for each point that ever connected, and since when. */
  connections: Record<string, { state: ConnectionState; at: number }>;
}

interface ConferenceRow {
  id: string;
  spec: string;
  status: ConferenceStatus;
  agenda_current: string | null;
  agenda_since: number | null;
}

export class ConferenceStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  has(id: string): boolean {
    return this.#db.get('SELECT 1 AS x FROM conferences WHERE id = ?', id) !== undefined;
  }

  /** Stores a new conference with its points; throws if the id exists. */
  insert(spec: ConferenceSpec): void {
    const { points, ...rest } = spec;
    const now = Date.now();
    this.#db.transaction(() => {
      this.#db.run(
        'INSERT INTO conferences (id, spec, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
        spec.id,
        JSON.stringify(rest),
        spec.status,
        now,
        now,
      );
      this.#insertPoints(spec.id, points, 0);
    });
  }

  /** Appends points (all or none); returns how many. */
  addPoints(conferenceId: string, points: PointSpec[]): number {
    return this.#db.transaction(() => {
      const { n } = this.#db.get<{ n: number }>('SELECT COUNT(*) AS n FROM points WHERE conference_id = ?', conferenceId) ?? { n: 0 };
      this.#insertPoints(conferenceId, points, n);
      return points.length;
    });
  }

  /**
   * Replaces a conference's spec (an organiser's edit, server/conference/editing.ts), inside the caller's
   * transaction when there is one: the conference's row, its points in the new order (kept ones updated in
   * place with their mutes, new ones inserted) and the removed points with the live state that would point at
   * nothing: their credentials revoked, their connections, tests, attendance, gains and read marks deleted, the
   * floor and the agenda position cleared of them. Questions and messages stay, as records.
   */
  replace(spec: ConferenceSpec): void {
    const { points, ...rest } = spec;
    const id = spec.id;
    const now = Date.now();
    this.#db.transaction(() => {
      this.#db.run('UPDATE conferences SET spec = ?, status = ?, updated_at = ? WHERE id = ?', JSON.stringify(rest), spec.status, now, id);
      const current = this.#db.get<{ agenda_current: string | null }>('SELECT agenda_current FROM conferences WHERE id = ?', id);
      if (current?.agenda_current && !spec.agenda.some((item) => item.id === current.agenda_current)) this.saveAgenda(id, null, null);
      const rows = this.#db.all<{ id: string; spec: string; position: number }>(
        'SELECT id, spec, position FROM points WHERE conference_id = ?',
        id,
      );
      const kept = new Map(rows.map((r) => [r.id, r]));
      for (const [position, p] of points.entries()) {
        const row = kept.get(p.id);
        kept.delete(p.id);
        const text = JSON.stringify(p);
        if (!row) this.#insertPoints(id, [p], position);
        // Only the rows that changed are written: renaming one point of 2000 writes one row.
        else if (row.spec !== text || row.position !== position) {
          this.#db.run('UPDATE points SET spec = ?, position = ? WHERE conference_id = ? AND id = ?', text, position, id, p.id);
        }
      }
      for (const pointId of kept.keys()) this.#forgetPoint(id, pointId, now);
    });
  }

  #forgetPoint(id: string, pointId: string, now: number): void {
    this.#db.run('UPDATE credentials SET revoked_at = ? WHERE conference_id = ? AND point_id = ? AND revoked_at IS NULL', now, id, pointId);
    for (const table of ['points', 'connections', 'readiness', 'attendance', 'point_gains', 'message_reads']) {
      const column = table === 'points' ? 'id' : 'point_id';
      this.#db.run(`DELETE FROM ${table} WHERE conference_id = ? AND ${column} = ?`, id, pointId);
    }
    const calls = 'SELECT id FROM roll_calls WHERE conference_id = ?';
    this.#db.run(`DELETE FROM roll_call_confirmations WHERE point_id = ? AND roll_call_id IN (${calls})`, pointId, id);
    const floor = this.#db.get<{ holder: string | null; queue: string }>(
      'SELECT holder, queue FROM floor_state WHERE conference_id = ?',
      id,
    );
    if (!floor) return;
    const queue = (JSON.parse(floor.queue) as Array<{ pointId: string }>).filter((r) => r.pointId !== pointId);
    const holder = floor.holder === pointId ? null : floor.holder;
    const endsAt = holder === floor.holder ? 'ends_at' : 'NULL';
    this.#db.run(
      `UPDATE floor_state SET holder = ?, ends_at = ${endsAt}, queue = ? WHERE conference_id = ?`,
      holder,
      JSON.stringify(queue),
      id,
    );
  }

  #insertPoints(conferenceId: string, points: PointSpec[], from: number): void {
    for (const [i, p] of points.entries()) {
      this.#db.run(
        'INSERT INTO points (conference_id, id, position, spec) VALUES (?, ?, ?, ?)',
        conferenceId,
        p.id,
        from + i,
        JSON.stringify(p),
      );
    }
  }

  load(id: string): StoredConference | undefined {
    const row = this.#db.get<ConferenceRow>('SELECT * FROM conferences WHERE id = ?', id);
    return row ? this.#hydrate(row) : undefined;
  }

  loadAll(): StoredConference[] {
    return this.#db.all<ConferenceRow>('SELECT * FROM conferences ORDER BY created_at, id').map((row) => this.#hydrate(row));
  }

  #hydrate(row: ConferenceRow): StoredConference {
    const pointRows = this.#db.all<{ id: string; spec: string; muted_audio: number; muted_video: number }>(
      'SELECT id, spec, muted_audio, muted_video FROM points WHERE conference_id = ? ORDER BY position',
      row.id,
    );
    const points = pointRows.map((p) => JSON.parse(p.spec) as unknown);
    const spec = ConferenceSpec.parse({ ...(JSON.parse(row.spec) as object), points, status: row.status });
    const mutes = Object.fromEntries(pointRows.map((p) => [p.id, { audio: p.muted_audio === 1, video: p.muted_video === 1 }]));
    // SQLite takes the bare columns of an aggregate query from the row that gave MAX(): each point's last row.
    const last = this.#db.all<{ point_id: string; state: string; at: number }>(
      'SELECT point_id, state, at, MAX(rowid) FROM connections WHERE conference_id = ? GROUP BY point_id',
      row.id,
    );
    const connections = Object.fromEntries(last.map((c) => [c.point_id, { state: ConnectionState.parse(c.state), at: c.at }]));
    const floor = this.#db.get<{ holder: string | null; since: number; ends_at: number | null; queue: string }>(
      'SELECT holder, since, ends_at, queue FROM floor_state WHERE conference_id = ?',
      row.id,
    );
    return {
      spec,
      status: row.status,
      agendaCurrent: row.agenda_current,
      agendaSince: row.agenda_since,
      floor: floor
        ? FloorView.parse({ pointId: floor.holder, since: floor.since, endsAt: floor.ends_at, queue: JSON.parse(floor.queue) })
        : null,
      mutes,
      connections,
    };
  }

  saveStatus(id: string, status: ConferenceStatus): void {
    this.#db.run('UPDATE conferences SET status = ?, updated_at = ? WHERE id = ?', status, Date.now(), id);
  }

  saveAgenda(id: string, current: string | null, since: number | null): void {
    const sql = 'UPDATE conferences SET agenda_current = ?, agenda_since = ?, updated_at = ? WHERE id = ?';
    this.#db.run(sql, current, since, Date.now(), id);
  }

  saveMutes(id: string, pointId: string, mutes: Mutes): void {
    this.#db.run(
      'UPDATE points SET muted_audio = ?, muted_video = ? WHERE conference_id = ? AND id = ?',
      mutes.audio ? 1 : 0,
      mutes.video ? 1 : 0,
      id,
      pointId,
    );
  }

  saveFloor(id: string, floor: FloorView): void {
    this.#db.run(
      `INSERT INTO floor_state (conference_id, holder, since, ends_at, queue) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (conference_id) DO UPDATE SET holder = excluded.holder, since = excluded.since,
         ends_at = excluded.ends_at, queue = excluded.queue`,
      id,
      floor.pointId,
      floor.since,
      floor.endsAt,
      JSON.stringify(floor.queue),
    );
  }
}
