// The files of one conference's recording: programme segments, clips and tracks, as rows in the database and
// files on disk. A file closed is measured (size, duration, SHA-256) once nothing writes it any more; a clip
// is cut from a closed programme file without re-encoding (the mix has a key frame every 2 s); the host
// deletes files that are not being written. Each change is stored with its event-log row, then shown.
import { randomUUID } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Actor } from '../../shared/event-log.ts';
import type { Chapter, ClipRequest, RecorderReport, RecordingFileView } from '../../shared/recording.ts';
import { refuse } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { RecordingStore, StoredFile } from '../store/recording.ts';
import type { RecordStore } from '../store/records.ts';
import { cutClip } from './clips.ts';
import { measureFile } from './files.ts';

/** A track the recorder reports open. */
export type TrackReport = NonNullable<RecorderReport['tracks']>[number];
/** Where a track may be: the conference's tracks folder, a plain file name. */
const TRACK_PATH = /^[a-z0-9-]+\/tracks\/[A-Za-z0-9._-]{1,200}\.webm$/;

export interface FilesHost {
  readonly conferenceId: string;
  /** The recordings folder (absolute). */
  readonly root: string;
  readonly store: RecordingStore;
  readonly log: RecordStore;
  readonly logger: Logger;
  /** A recorder process runs now (it may still be writing a file the hub closed). */
  recorderRunning(): boolean;
  /** The segment the recorder writes now and how much of it (for an open file's duration). */
  written(): { segment: number; ms: number };
  /** Something changed: the moderators get the view again. */
  changed(): void;
}

/** A file name part from what a person typed: letters (Vietnamese too), digits, dashes. */
const safeName = (text: string): string =>
  text
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);

const clock = (ms: number): string => {
  const s = Math.floor(ms / 1000);
  return [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, '0')).join('');
};

export class RecordingFiles {
  readonly #host: FilesHost;
  #files: StoredFile[];
  /** Files closed at the hub that the recorder may still be finishing: measured once it lets go of them. */
  readonly #closing = new Set<string>();

  constructor(host: FilesHost) {
    this.#host = host;
    this.#files = host.store.files(host.conferenceId);
  }

  all(): readonly StoredFile[] {
    return this.#files;
  }

  /** A file by id, with its absolute path. */
  get(fileId: string): (StoredFile & { absolute: string }) | undefined {
    const f = this.#files.find((x) => x.id === fileId);
    return f ? { ...f, absolute: join(this.#host.root, f.path) } : undefined;
  }

  /** Files left open by a hub that stopped: closed now, measured. */
  closeLeftOpen(): void {
    for (const f of this.#files) if (f.endedAt === null) this.close(f.id, Date.now());
  }

  add(file: StoredFile): void {
    this.#host.store.addFile(this.#host.conferenceId, file);
    this.#files = [...this.#files, file];
  }

  /** The recorder's writer began this file at `at` (its media time 0). */
  started(fileId: string, at: number): void {
    const f = this.#files.find((x) => x.id === fileId);
    if (!f || f.startedAt === at) return;
    this.#host.store.setFileStart(fileId, at);
    this.#files = this.#files.map((x) => (x.id === fileId ? { ...x, startedAt: at } : x));
  }

  /** Marks a file closed (`store`: write it now, else the caller did in its transaction); measured when let go. */
  close(fileId: string, at: number, store = true): void {
    if (store) this.#host.store.closeFile(fileId, at);
    this.#files = this.#files.map((f) => (f.id === fileId ? { ...f, endedAt: f.endedAt ?? at } : f));
    this.#closing.add(fileId);
    if (!this.#host.recorderRunning()) void this.measure(fileId);
  }

  /**
   * What the recorder writes now: programme segment `segment` (0: none) and the tracks `open`. Tracks it
   * started are listed (rows added), tracks it no longer lists are closed; what it let go of is measured.
   * `recorder` null: no recorder runs (everything it wrote is let go of).
   */
  sync(recorder: { segment: number; tracks: readonly TrackReport[]; recordingId: string | null } | null): void {
    const open = new Set(recorder?.tracks.map((t) => t.id) ?? []);
    for (const t of recorder?.tracks ?? []) {
      if (this.#files.some((f) => f.id === t.id) || !TRACK_PATH.test(t.path) || !t.path.startsWith(`${this.#host.conferenceId}/tracks/`)) {
        continue;
      }
      const name = t.path.slice(t.path.lastIndexOf('/') + 1);
      this.add({
        ...{ id: t.id, recordingId: recorder?.recordingId ?? null, kind: 'track', name, path: t.path, segment: 0, pointId: t.pointId },
        ...{
          startedAt: t.startedAt,
          endedAt: null,
          durationMs: null,
          bytes: 0,
          sha256: null,
          sourceFileId: null,
          fromMs: null,
          toMs: null,
        },
      });
    }
    for (const f of this.#files) if (f.kind === 'track' && f.endedAt === null && !open.has(f.id)) this.close(f.id, Date.now());
    for (const fileId of this.#closing) {
      const f = this.#files.find((x) => x.id === fileId);
      if (!f || recorder === null) void this.measure(fileId);
      else if (f.kind === 'programme' ? f.segment !== recorder.segment : f.kind === 'track' && !open.has(f.id)) void this.measure(fileId);
    }
  }

  async measureAll(): Promise<void> {
    await Promise.all([...this.#closing].map((id) => this.measure(id)));
  }

  async measure(fileId: string): Promise<void> {
    if (!this.#closing.delete(fileId)) return;
    const file = this.get(fileId);
    if (!file) return;
    try {
      const m = await measureFile(file.absolute);
      this.#host.store.measured(fileId, m);
      this.#files = this.#files.map((f) => (f.id === fileId ? { ...f, ...m } : f));
    } catch (error) {
      this.#host.logger.warn({ err: error, fileId, path: file.path }, 'a recording file could not be measured');
    }
    this.#host.changed();
  }

  async delete(actor: Actor, fileId: string): Promise<void> {
    const file = this.get(fileId);
    if (!file) throw refuse('recording.file_unknown', { fileId }, `no file ${fileId}`);
    if (file.endedAt === null || this.#closing.has(fileId)) throw refuse('recording.file_open', { fileId }, 'the file is being written');
    this.#host.store.transaction(() => {
      this.#host.store.removeFile(fileId);
      this.#host.log.log(this.#host.conferenceId, actor, 'recording.file_delete', { fileId, name: file.name });
    });
    this.#files = this.#files.filter((f) => f.id !== fileId);
    await unlink(file.absolute).catch(() => undefined);
  }

  /** Cuts a clip (a chapter of `chapters`, or a range) into a new file; it shows as open until it is cut and measured. */
  clip(actor: Actor, request: ClipRequest, chapters: () => readonly Chapter[]): StoredFile {
    let range: { fileId: string; fromMs: number; toMs: number; label: string };
    if ('chapterId' in request) {
      const chapter = chapters().find((c) => c.id === request.chapterId);
      if (!chapter) throw refuse('recording.clip_range', { detail: 'chapter' }, `no chapter ${request.chapterId}`);
      range = { fileId: chapter.fileId, fromMs: chapter.startMs, toMs: chapter.endMs ?? Number.MAX_SAFE_INTEGER, label: chapter.title };
    } else {
      range = { ...request, label: '' };
    }
    const source = this.get(range.fileId);
    if (source?.kind !== 'programme') throw refuse('recording.file_unknown', { fileId: range.fileId }, 'no such programme file');
    if (source.endedAt === null || source.durationMs === null) {
      throw refuse('recording.file_open', { fileId: source.id }, 'the file is still being written or measured');
    }
    const toMs = Math.min(range.toMs, source.durationMs);
    if (range.fromMs >= toMs) throw refuse('recording.clip_range', { detail: 'empty' }, 'the range is empty or past the end');
    const base = safeName(request.name ?? '') || safeName(range.label) || 'doan-cat';
    const name = `${base}-${clock(range.fromMs)}-${clock(toMs)}.mp4`;
    const clip: StoredFile = {
      ...{ id: randomUUID(), recordingId: source.recordingId, kind: 'clip', name, path: join(this.#host.conferenceId, 'clips', name) },
      ...{ segment: 0, pointId: null, startedAt: source.startedAt + range.fromMs, endedAt: null, durationMs: null, bytes: 0 },
      ...{ sha256: null, sourceFileId: source.id, fromMs: range.fromMs, toMs },
    };
    this.#host.store.transaction(() => {
      this.add(clip);
      this.#host.log.log(this.#host.conferenceId, actor, 'recording.clip', { fileId: clip.id, name, fromMs: range.fromMs, toMs });
    });
    void this.#cut(clip, source.absolute);
    return clip;
  }

  async #cut(clip: StoredFile, source: string): Promise<void> {
    try {
      await cutClip(source, join(this.#host.root, clip.path), clip.fromMs ?? 0, clip.toMs ?? 0);
      this.#closing.add(clip.id);
      this.#host.store.closeFile(clip.id, Date.now());
      this.#files = this.#files.map((f) => (f.id === clip.id ? { ...f, endedAt: Date.now() } : f));
      await this.measure(clip.id);
    } catch (error) {
      this.#host.logger.error({ err: error, clip: clip.name }, 'a clip could not be cut');
      // Its row goes, and the log says so (the hub removed it), so the report lists no clip that is not there.
      this.#host.store.transaction(() => {
        this.#host.store.removeFile(clip.id);
        this.#host.log.log(this.#host.conferenceId, null, 'recording.file_delete', { fileId: clip.id, name: clip.name });
      });
      this.#files = this.#files.filter((f) => f.id !== clip.id);
      this.#host.changed();
    }
  }

  view(f: StoredFile): RecordingFileView {
    const open = f.endedAt === null;
    const written = this.#host.written();
    return {
      ...{ id: f.id, kind: f.kind, name: f.name, segment: f.segment, pointId: f.pointId, startedAt: f.startedAt, endedAt: f.endedAt },
      durationMs: open && f.kind === 'programme' && f.segment === written.segment ? written.ms : f.durationMs,
      ...{ bytes: f.bytes, sha256: f.sha256, open, sourceFileId: f.sourceFileId, fromMs: f.fromMs, toMs: f.toMs },
    };
  }
}
