// The recording of each conference in the database: the host's choices (recording now, since when, which
// segment, starting with the conference, the press link's key), the live pushes with their full addresses,
// and every file made with its size, duration and SHA-256.
import type { RecordingFileKind } from '../../shared/recording.ts';
import type { Database } from './db.ts';

export interface RecordingSettings {
  /** The recording in progress (null when not recording). */
  recordingId: string | null;
  startedAt: number | null;
  segment: number;
  autoStart: boolean;
  pressKey: string | null;
}

export interface StoredOutput {
  id: string;
  label: string;
  url: string;
  enabled: boolean;
  createdAt: number;
}

export interface StoredFile {
  id: string;
  recordingId: string | null;
  kind: RecordingFileKind;
  name: string;
  /** Relative to the recordings folder. */
  path: string;
  segment: number;
  pointId: string | null;
  startedAt: number;
  endedAt: number | null;
  durationMs: number | null;
  bytes: number;
  sha256: string | null;
  /** For a clip: the programme file it was cut from and the range in it. */
  sourceFileId: string | null;
  fromMs: number | null;
  toMs: number | null;
}

interface FileRow {
  id: string;
  recording_id: string | null;
  kind: string;
  name: string;
  path: string;
  segment: number;
  point_id: string | null;
  started_at: number;
  ended_at: number | null;
  duration_ms: number | null;
  bytes: number;
  sha256: string | null;
  source_file_id: string | null;
  from_ms: number | null;
  to_ms: number | null;
}

const DEFAULT_SETTINGS: RecordingSettings = { recordingId: null, startedAt: null, segment: 0, autoStart: false, pressKey: null };

const fileOf = (r: FileRow): StoredFile => ({
  id: r.id,
  recordingId: r.recording_id,
  kind: r.kind as RecordingFileKind,
  name: r.name,
  path: r.path,
  segment: r.segment,
  pointId: r.point_id,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  durationMs: r.duration_ms,
  bytes: r.bytes,
  sha256: r.sha256,
  sourceFileId: r.source_file_id,
  fromMs: r.from_ms,
  toMs: r.to_ms,
});

export class RecordingStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  transaction<T>(work: () => T): T {
    return this.#db.transaction(work);
  }

  settings(conferenceId: string): RecordingSettings {
    const row = this.#db.get<{
      recording_id: string | null;
      started_at: number | null;
      segment: number;
      auto_start: number;
      press_key: string | null;
    }>('SELECT recording_id, started_at, segment, auto_start, press_key FROM recording WHERE conference_id = ?', conferenceId);
    if (!row) return { ...DEFAULT_SETTINGS };
    return {
      recordingId: row.recording_id,
      startedAt: row.started_at,
      segment: row.segment,
      autoStart: row.auto_start === 1,
      pressKey: row.press_key,
    };
  }

  saveSettings(conferenceId: string, s: RecordingSettings): void {
    this.#db.run(
      `INSERT INTO recording (conference_id, recording_id, started_at, segment, auto_start, press_key) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (conference_id) DO UPDATE SET recording_id = excluded.recording_id, started_at = excluded.started_at,
         segment = excluded.segment, auto_start = excluded.auto_start, press_key = excluded.press_key`,
      conferenceId,
      s.recordingId,
      s.startedAt,
      s.segment,
      s.autoStart ? 1 : 0,
      s.pressKey,
    );
  }

  outputs(conferenceId: string): StoredOutput[] {
    return this.#db
      .all<{ id: string; label: string; url: string; enabled: number; created_at: number }>(
        'SELECT id, label, url, enabled, created_at FROM live_outputs WHERE conference_id = ? ORDER BY created_at, id',
        conferenceId,
      )
      .map((r) => ({ id: r.id, label: r.label, url: r.url, enabled: r.enabled === 1, createdAt: r.created_at }));
  }

  addOutput(conferenceId: string, o: StoredOutput): void {
    this.#db.run(
      'INSERT INTO live_outputs (id, conference_id, label, url, enabled, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      o.id,
      conferenceId,
      o.label,
      o.url,
      o.enabled ? 1 : 0,
      o.createdAt,
    );
  }

  setOutput(outputId: string, enabled: boolean): void {
    this.#db.run('UPDATE live_outputs SET enabled = ? WHERE id = ?', enabled ? 1 : 0, outputId);
  }

  removeOutput(outputId: string): void {
    this.#db.run('DELETE FROM live_outputs WHERE id = ?', outputId);
  }

  files(conferenceId: string): StoredFile[] {
    return this.#db
      .all<FileRow>('SELECT * FROM recording_files WHERE conference_id = ? ORDER BY started_at, segment, id', conferenceId)
      .map(fileOf);
  }

  file(fileId: string): (StoredFile & { conferenceId: string }) | undefined {
    const row = this.#db.get<FileRow & { conference_id: string }>('SELECT * FROM recording_files WHERE id = ?', fileId);
    return row ? { ...fileOf(row), conferenceId: row.conference_id } : undefined;
  }

  addFile(conferenceId: string, f: StoredFile): void {
    this.#db.run(
      `INSERT INTO recording_files (id, conference_id, recording_id, kind, name, path, segment, point_id, started_at, ended_at,
         duration_ms, bytes, sha256, source_file_id, from_ms, to_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      f.id,
      conferenceId,
      f.recordingId,
      f.kind,
      f.name,
      f.path,
      f.segment,
      f.pointId,
      f.startedAt,
      f.endedAt,
      f.durationMs,
      f.bytes,
      f.sha256,
      f.sourceFileId,
      f.fromMs,
      f.toMs,
    );
  }

  /** When the file's media time 0 is (the recorder's writer started then). */
  setFileStart(fileId: string, at: number): void {
    this.#db.run('UPDATE recording_files SET started_at = ? WHERE id = ?', at, fileId);
  }

  /** The file is closed: when, and (once measured) its duration, size and hash. */
  closeFile(fileId: string, endedAt: number): void {
    this.#db.run('UPDATE recording_files SET ended_at = COALESCE(ended_at, ?) WHERE id = ?', endedAt, fileId);
  }

  measured(fileId: string, m: { durationMs: number | null; bytes: number; sha256: string }): void {
    this.#db.run('UPDATE recording_files SET duration_ms = ?, bytes = ?, sha256 = ? WHERE id = ?', m.durationMs, m.bytes, m.sha256, fileId);
  }

  removeFile(fileId: string): void {
    this.#db.run('DELETE FROM recording_files WHERE id = ?', fileId);
  }
}
