// Conferences, their points and their live state (status, agenda position, floor) in the database.
import { ConferenceSpec, FloorView, PointSpec, type ConferenceStatus } from '../../shared/domain.ts';
import type { Database } from './db.ts';

export interface StoredConference {
  spec: ConferenceSpec;
  status: ConferenceStatus;
  agendaCurrent: string | null;
  agendaSince: number | null;
  floor: FloorView | null;
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
    points.forEach((p, i) =>
      this.#db.run('INSERT INTO points (conference_id, id, position, spec) VALUES (?, ?, ?, ?)', conferenceId, p.id, from + i, JSON.stringify(p)),
    );
  }

  load(id: string): StoredConference | undefined {
    const row = this.#db.get<ConferenceRow>('SELECT * FROM conferences WHERE id = ?', id);
    return row ? this.#hydrate(row) : undefined;
  }

  loadAll(): StoredConference[] {
    return this.#db.all<ConferenceRow>('SELECT * FROM conferences ORDER BY created_at, id').map((row) => this.#hydrate(row));
  }

  #hydrate(row: ConferenceRow): StoredConference {
    const points = this.#db
      .all<{ spec: string }>('SELECT spec FROM points WHERE conference_id = ? ORDER BY position', row.id)
      .map((p) => JSON.parse(p.spec) as unknown);
    const spec = ConferenceSpec.parse({ ...(JSON.parse(row.spec) as object), points, status: row.status });
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
    };
  }

  saveStatus(id: string, status: ConferenceStatus): void {
    this.#db.run('UPDATE conferences SET status = ?, updated_at = ? WHERE id = ?', status, Date.now(), id);
  }

  saveAgenda(id: string, current: string | null, since: number | null): void {
    this.#db.run('UPDATE conferences SET agenda_current = ?, agenda_since = ?, updated_at = ? WHERE id = ?', current, since, Date.now(), id);
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
