// The programme of each conference in the database: layout, banner message, sharing permission, and the
// gains per point (a gain of 0 dB is stored as no row).
import { DEFAULT_PROGRAMME, Layout, type ProgrammeView } from '../../shared/programme.ts';
import type { Database } from './db.ts';

interface ProgrammeRow {
  layout: string;
  message: string;
  point_sharing: number;
}

export class ProgrammeStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  transaction<T>(work: () => T): T {
    return this.#db.transaction(work);
  }

  /** The stored programme, or the default one (automatic layout, no gains) for a conference never changed. */
  load(conferenceId: string): ProgrammeView {
    const row = this.#db.get<ProgrammeRow>('SELECT layout, message, point_sharing FROM programme WHERE conference_id = ?', conferenceId);
    const gains: Record<string, number> = {};
    const rows = this.#db.all<{ point_id: string; gain_db: number }>(
      'SELECT point_id, gain_db FROM point_gains WHERE conference_id = ? ORDER BY point_id',
      conferenceId,
    );
    for (const r of rows) gains[r.point_id] = r.gain_db;
    if (!row) return { ...DEFAULT_PROGRAMME, gains };
    const layout = Layout.safeParse(row.layout);
    return {
      layout: layout.success ? layout.data : DEFAULT_PROGRAMME.layout,
      message: row.message,
      pointSharing: row.point_sharing === 1,
      gains,
    };
  }

  save(conferenceId: string, programme: Pick<ProgrammeView, 'layout' | 'message' | 'pointSharing'>): void {
    this.#db.run(
      `INSERT INTO programme (conference_id, layout, message, point_sharing) VALUES (?, ?, ?, ?)
       ON CONFLICT (conference_id) DO UPDATE SET layout = excluded.layout, message = excluded.message,
         point_sharing = excluded.point_sharing`,
      conferenceId,
      programme.layout,
      programme.message,
      programme.pointSharing ? 1 : 0,
    );
  }

  setGain(conferenceId: string, pointId: string, gainDb: number): void {
    if (gainDb === 0) {
      this.#db.run('DELETE FROM point_gains WHERE conference_id = ? AND point_id = ?', conferenceId, pointId);
      return;
    }
    this.#db.run(
      `INSERT INTO point_gains (conference_id, point_id, gain_db) VALUES (?, ?, ?)
       ON CONFLICT (conference_id, point_id) DO UPDATE SET gain_db = excluded.gain_db`,
      conferenceId,
      pointId,
      gainDb,
    );
  }
}
