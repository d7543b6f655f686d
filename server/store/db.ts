// The embedded database: one SQLite file (node:sqlite, built into Node, so nothing native to build) under
// the data folder, WAL mode, foreign keys on, and numbered migrations recorded in PRAGMA user_version.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';

export type Row = Record<string, SQLInputValue>;

/** Prepared statements kept at most (the hub's queries are a few hundred fixed texts; the cache starts over past this). */
const STATEMENT_CACHE = 1000;

/** Each entry moves the schema one version up; never edit one that has shipped, add a new one. */
const MIGRATIONS: string[] = [
  `
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE conferences (
    id TEXT PRIMARY KEY,
    spec TEXT NOT NULL,                 -- ConferenceSpec without points, JSON
    status TEXT NOT NULL,
    agenda_current TEXT,
    agenda_since INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE points (
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    spec TEXT NOT NULL,                 -- PointSpec, JSON
    PRIMARY KEY (conference_id, id)
  );
  CREATE TABLE credentials (
    id TEXT PRIMARY KEY,                -- the token's jti
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    point_id TEXT NOT NULL,
    role TEXT NOT NULL,
    code_hash TEXT NOT NULL UNIQUE,     -- sha256 of the normalised join code; the code itself is never stored
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE floor_state (
    conference_id TEXT PRIMARY KEY REFERENCES conferences(id) ON DELETE CASCADE,
    holder TEXT,
    since INTEGER NOT NULL,
    ends_at INTEGER,
    queue TEXT NOT NULL                 -- JSON array of { pointId, note, requestedAt }
  );
  CREATE TABLE questions (
    id TEXT PRIMARY KEY,
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    point_id TEXT NOT NULL,
    asker TEXT NOT NULL,
    unit TEXT NOT NULL,
    category TEXT NOT NULL,
    text TEXT NOT NULL,
    status TEXT NOT NULL,
    position INTEGER,
    answer_mode TEXT,
    answer TEXT,
    dismiss_reason TEXT,
    merged_into TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX questions_by_conference ON questions (conference_id, status);
  CREATE TABLE attendance (
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    point_id TEXT NOT NULL,
    present INTEGER NOT NULL,
    groups TEXT NOT NULL,
    reported_at INTEGER NOT NULL,
    PRIMARY KEY (conference_id, point_id)
  );
  CREATE TABLE roll_calls (
    id TEXT PRIMARY KEY,
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    started_at INTEGER NOT NULL,
    deadline INTEGER NOT NULL
  );
  CREATE TABLE roll_call_confirmations (
    roll_call_id TEXT NOT NULL REFERENCES roll_calls(id) ON DELETE CASCADE,
    point_id TEXT NOT NULL,
    confirmed_at INTEGER NOT NULL,
    PRIMARY KEY (roll_call_id, point_id)
  );
  CREATE TABLE readiness (
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    point_id TEXT NOT NULL,
    tested_at INTEGER NOT NULL,
    ready INTEGER NOT NULL,
    reasons TEXT NOT NULL,
    measurement TEXT NOT NULL,
    server TEXT
  );
  CREATE INDEX readiness_by_point ON readiness (conference_id, point_id, tested_at);
  CREATE TABLE connections (
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    point_id TEXT NOT NULL,
    state TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    mime_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_at INTEGER NOT NULL
  );
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    conference_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    actor_point TEXT,
    actor_role TEXT,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
  );
  CREATE INDEX events_by_conference ON events (conference_id, seq);
  `,
  // Join codes of the roles that act are good for one join: the first one stamps redeemed_at.
  `
  ALTER TABLE credentials ADD COLUMN redeemed_at INTEGER;
  `,
  // Host mutes survive a restart (a point muted by the host stays muted); each point's last connection
  // state is found without reading the whole history.
  `
  ALTER TABLE points ADD COLUMN muted_audio INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE points ADD COLUMN muted_video INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX connections_by_point ON connections (conference_id, point_id, at);
  `,
  // The control room's back-channel: messages between the centre and a point's technician (point_id NULL:
  // to every technician), and each side's read mark per point's thread, so unread counts survive a restart.
  `
  CREATE TABLE messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    point_id TEXT,
    side TEXT NOT NULL,                 -- who wrote it: centre | point
    kind TEXT NOT NULL,                 -- text | heard
    text TEXT NOT NULL,
    author_role TEXT NOT NULL,
    sent_at INTEGER NOT NULL
  );
  CREATE INDEX messages_by_thread ON messages (conference_id, point_id, seq);
  CREATE TABLE message_reads (
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    point_id TEXT NOT NULL,
    side TEXT NOT NULL,                 -- the reader: centre | point
    read_seq INTEGER NOT NULL,
    PRIMARY KEY (conference_id, point_id, side)
  );
  `,
  // The programme (issue #13): the layout every hall shows, the banner message, whether the speaking point
  // may share its screen, and the gain (dB) per point that every display applies.
  `
  CREATE TABLE programme (
    conference_id TEXT PRIMARY KEY REFERENCES conferences(id) ON DELETE CASCADE,
    layout TEXT NOT NULL,
    message TEXT NOT NULL,
    point_sharing INTEGER NOT NULL
  );
  CREATE TABLE point_gains (
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    point_id TEXT NOT NULL,
    gain_db REAL NOT NULL,
    PRIMARY KEY (conference_id, point_id)
  );
  `,
  // The recording and the live output (issue #14): the host's choices, the pushes (with their stream keys),
  // and every file made (programme segments, clips, tracks) with its size, duration and SHA-256.
  `
  CREATE TABLE recording (
    conference_id TEXT PRIMARY KEY REFERENCES conferences(id) ON DELETE CASCADE,
    recording_id TEXT,
    started_at INTEGER,
    segment INTEGER NOT NULL DEFAULT 0,
    auto_start INTEGER NOT NULL DEFAULT 0,
    press_key TEXT
  );
  CREATE TABLE live_outputs (
    id TEXT PRIMARY KEY,
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    url TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE recording_files (
    id TEXT PRIMARY KEY,
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    recording_id TEXT,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    segment INTEGER NOT NULL,
    point_id TEXT,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    duration_ms INTEGER,
    bytes INTEGER NOT NULL DEFAULT 0,
    sha256 TEXT,
    source_file_id TEXT,
    from_ms INTEGER,
    to_ms INTEGER
  );
  CREATE INDEX recording_files_conference ON recording_files (conference_id, started_at);
  `,
  // Organisers and the organiser page (issue #15): accounts (scrypt hashes, lockout), their audit log, the
  // directory of points kept between conferences, and the documents' order.
  `
  CREATE TABLE organisers (
    username TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    admin INTEGER NOT NULL DEFAULT 0,
    disabled_at INTEGER,
    failed_count INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    created_at INTEGER NOT NULL,
    created_by TEXT,
    last_signin_at INTEGER,
    sessions_from INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE organiser_audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    details TEXT NOT NULL
  );
  CREATE TABLE directory_points (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    spec TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL
  );
  ALTER TABLE documents ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
  `,
];

export class Database {
  readonly sql: DatabaseSync;
  readonly file: string;
  #depth = 0;
  readonly #statements = new Map<string, StatementSync>();

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.file = join(dataDir, 'diemcau.sqlite');
    this.sql = new DatabaseSync(this.file);
    this.sql.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
    this.#migrate();
  }

  get version(): number {
    return Number((this.sql.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
  }

  #migrate(): void {
    for (let v = this.version; v < MIGRATIONS.length; v++) {
      this.transaction(() => {
        this.sql.exec(MIGRATIONS[v] as string);
        this.sql.exec(`PRAGMA user_version = ${v + 1}`);
      });
    }
  }

  /** Runs `work` in one transaction: all of it is stored, or none of it. Nested calls use savepoints. */
  transaction<T>(work: () => T): T {
    const depth = this.#depth++;
    this.sql.exec(depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT sp${depth}`);
    try {
      const result = work();
      this.sql.exec(depth === 0 ? 'COMMIT' : `RELEASE sp${depth}`);
      return result;
    } catch (error) {
      this.sql.exec(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO sp${depth}; RELEASE sp${depth}`);
      throw error;
    } finally {
      this.#depth--;
    }
  }

  all<T>(query: string, ...params: SQLInputValue[]): T[] {
    return this.#prepare(query).all(...params) as T[];
  }

  get<T>(query: string, ...params: SQLInputValue[]): T | undefined {
    return this.#prepare(query).get(...params) as T | undefined;
  }

  run(query: string, ...params: SQLInputValue[]): void {
    this.#prepare(query).run(...params);
  }

  /** The query's prepared statement, compiled once: the queries are a fixed set of texts with placeholders. */
  #prepare(query: string): StatementSync {
    let statement = this.#statements.get(query);
    if (!statement) {
      if (this.#statements.size >= STATEMENT_CACHE) this.#statements.clear();
      statement = this.sql.prepare(query);
      this.#statements.set(query, statement);
    }
    return statement;
  }

  close(): void {
    if (this.sql.isOpen) this.sql.close();
  }
}
