// The organisers' audit log: every change made from the organiser page, the admin key or the CLI, with who
// and when (accounts, sign-ins, conferences, the directory, codes, documents). Rows are never changed.
import { AuditAction, type AuditEntry } from '../../shared/organiser.ts';
import type { Database } from '../store/db.ts';

/** What the routes need: one row per change, written in the change's own transaction when there is one. */
export interface AuditLog {
  record(actor: string, action: AuditAction, target: string, details?: Record<string, unknown>): void;
}

interface AuditRow {
  seq: number;
  at: number;
  actor: string;
  action: string;
  target: string;
  details: string;
}

export class AuditStore implements AuditLog {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  record(actor: string, action: AuditAction, target: string, details: Record<string, unknown> = {}): void {
    this.#db.run(
      'INSERT INTO organiser_audit (at, actor, action, target, details) VALUES (?, ?, ?, ?, ?)',
      Date.now(),
      actor,
      action,
      target,
      JSON.stringify(details),
    );
  }

  /** Newest first; `before` pages back by sequence number. */
  list(limit = 200, before?: number): AuditEntry[] {
    const rows =
      before === undefined
        ? this.#db.all<AuditRow>('SELECT * FROM organiser_audit ORDER BY seq DESC LIMIT ?', limit)
        : this.#db.all<AuditRow>('SELECT * FROM organiser_audit WHERE seq < ? ORDER BY seq DESC LIMIT ?', before, limit);
    return rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      actor: r.actor,
      action: AuditAction.parse(r.action),
      target: r.target,
      details: JSON.parse(r.details) as Record<string, unknown>,
    }));
  }
}
