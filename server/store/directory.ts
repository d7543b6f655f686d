// The directory of points kept between conferences (issue #15): an organiser saves the points it prepares
// once (the province, its districts) and picks them for the next conference. Each point keeps its place.
import { PointSpec } from '../../shared/domain.ts';
import type { DirectoryPoint } from '../../shared/organiser.ts';
import type { Database } from './db.ts';

interface DirectoryRow {
  id: string;
  position: number;
  spec: string;
  updated_at: number;
  updated_by: string;
}

export class DirectoryStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Every point in its place. */
  list(): DirectoryPoint[] {
    return this.#db
      .all<DirectoryRow>('SELECT * FROM directory_points ORDER BY position, id')
      .map((r) => ({ ...PointSpec.parse(JSON.parse(r.spec)), updatedAt: r.updated_at, updatedBy: r.updated_by }));
  }

  /**
   * Adds or replaces points, in the caller's transaction (all or none): a known point keeps its place, a new
   * one goes after the last. Returns how many were new.
   */
  upsert(points: readonly PointSpec[], by: string, at = Date.now()): number {
    let next = (this.#db.get<{ last: number | null }>('SELECT MAX(position) AS last FROM directory_points')?.last ?? -1) + 1;
    let added = 0;
    for (const p of points) {
      const known = this.#db.get<{ id: string }>('SELECT id FROM directory_points WHERE id = ?', p.id);
      if (known) {
        this.#db.run('UPDATE directory_points SET spec = ?, updated_at = ?, updated_by = ? WHERE id = ?', JSON.stringify(p), at, by, p.id);
      } else {
        this.#db.run(
          'INSERT INTO directory_points (id, position, spec, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)',
          p.id,
          next++,
          JSON.stringify(p),
          at,
          by,
        );
        added++;
      }
    }
    return added;
  }

  /** Removes one point; false when the directory has none by that id. */
  remove(id: string): boolean {
    const known = this.#db.get<{ id: string }>('SELECT id FROM directory_points WHERE id = ?', id);
    if (!known) return false;
    this.#db.run('DELETE FROM directory_points WHERE id = ?', id);
    return true;
  }
}
