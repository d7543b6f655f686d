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
