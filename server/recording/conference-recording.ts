// The recording and live output of one conference, as a part of it: the host's choices (recording, starting
// with the conference, pushes, the press link), the recorder process that carries them out, the files.
// One write path: check → one transaction (state rows and event-log row) → memory → the moderators' view
// and the recorder's orders → the process. The choices survive a restart of the hub: a recording that was on
// goes on in a new segment, pushes that were on push again.
import { randomBytes, randomUUID } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConferenceSpec, ConferenceStatus } from '../../shared/domain.ts';
import type { Actor } from '../../shared/event-log.ts';
import type { EventName, EventPayload } from '../../shared/protocol.ts';
import {
  maskLiveOutputUrl,
  type LiveOutputView,
  type RecorderConfig,
  type RecorderReport,
  type RecorderState,
  type RecordingFileView,
  type RecordingView,
} from '../../shared/recording.ts';
import { LIMITS } from '../../shared/rules.ts';
import type { Session } from '../conference/session.ts';
import { refuse } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { RecordingSettings, RecordingStore, StoredFile, StoredOutput } from '../store/recording.ts';
import type { RecordStore } from '../store/records.ts';
import { freeBytes, measureFile } from './files.ts';
import type { RecorderSupervisor } from './supervisor.ts';

/** What the part needs from its conference and the hub. */
export interface RecordingHost {
  readonly spec: ConferenceSpec;
  status(): ConferenceStatus;
  sessions(): readonly Session[];
}

export interface RecordingDeps {
  store: RecordingStore;
  log: RecordStore;
  /** The recordings folder (absolute); this conference's files go in a folder named by its id. */
  root: string;
  minFreeBytes: number;
  logger: Logger;
  /** Makes the supervisor of this conference's recorder (events come back through `recorderStarted/Exited`). */
  supervisor: (part: ConferenceRecording) => RecorderSupervisor;
}

type OutputRuntime = Pick<LiveOutputView, 'state' | 'attempt' | 'error' | 'since'>;

/** Who acts: a session, a REST caller (its actor), or the hub itself (null). */
export type By = Session | { actor: Actor } | null;
const actorOfSession = (by: By): Actor => (by === null ? null : 'actor' in by ? by.actor : { pointId: by.pointId, role: by.role });
const stamp = (at: number): string => new Date(at).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');

export class ConferenceRecording {
  readonly #host: RecordingHost;
  readonly #deps: RecordingDeps;
  readonly #supervisor: RecorderSupervisor;
  #settings: RecordingSettings;
  #outputs: StoredOutput[];
  #files: StoredFile[];
  readonly #runtime = new Map<string, OutputRuntime>();
  #recorder: RecorderState = 'off';
  #written = { ms: 0, fps: 0, hls: false, segment: 0 };
  #freeBytes = 0;
  /** Files closed at the hub that the recorder may still be finishing: measured once it stops writing them. */
  readonly #closing = new Set<string>();
  #lastBroadcast = 0;
  #diskTimer: NodeJS.Timeout | undefined;

  constructor(host: RecordingHost, deps: RecordingDeps) {
    this.#host = host;
    this.#deps = deps;
    this.#settings = deps.store.settings(host.spec.id);
    this.#outputs = deps.store.outputs(host.spec.id);
    this.#files = deps.store.files(host.spec.id);
    this.#supervisor = deps.supervisor(this);
    // Files left open by a hub that stopped are closed now and measured.
    for (const f of this.#files) if (f.endedAt === null) this.#close(f.id, Date.now());
  }

  get #id(): string {
    return this.#host.spec.id;
  }

  /** This conference's folder, relative to the recordings root. */
  get folder(): string {
    return this.#id;
  }

  /** The HLS folder (absolute) the press page reads. */
  get hlsDir(): string {
    return join(this.#deps.root, this.#id, 'hls');
  }

  /** The recorder's process id while one runs (operations, tests). */
  get recorderPid(): number | undefined {
    return this.#supervisor.pid;
  }

  get pressKey(): string | null {
    return this.#settings.pressKey;
  }

  /** A file of this conference by id, with its absolute path. */
  file(fileId: string): (StoredFile & { absolute: string }) | undefined {
    const f = this.#files.find((x) => x.id === fileId);
    return f ? { ...f, absolute: join(this.#deps.root, f.path) } : undefined;
  }

  /** Starts the recorder if anything needs the mix (after a restart of the hub too); refreshes the disk figure. */
  async resume(): Promise<void> {
    await this.#refreshDisk();
    if (this.#settings.recordingId !== null && this.#recordingFileOpen() === undefined) this.#openSegment('restart');
    this.#reconcile();
  }

  view(): RecordingView {
    return {
      recording: this.#settings.recordingId !== null,
      autoStart: this.#settings.autoStart,
      startedAt: this.#settings.startedAt,
      recorder: this.#recorder,
      segment: this.#settings.recordingId !== null ? this.#settings.segment : 0,
      writtenMs: this.#written.ms,
      fps: this.#written.fps,
      press: { enabled: this.#settings.pressKey !== null, key: this.#settings.pressKey },
      hls: this.#written.hls,
      disk: { freeBytes: this.#freeBytes, minFreeBytes: this.#deps.minFreeBytes },
      outputs: this.#outputs.map((o) => this.#outputView(o)),
      files: this.#files.map((f) => this.#fileView(f)),
    };
  }

  /** The recorder's orders. */
  config(): RecorderConfig {
    const open = this.#recordingFileOpen();
    return {
      record: open ? { segment: open.segment, path: open.path } : null,
      hls: this.#settings.pressKey !== null ? join(this.#id, 'hls') : null,
      outputs: this.#outputs.map((o) => ({ id: o.id, url: o.url, enabled: o.enabled })),
    };
  }

  // --- The host's choices -----------------------------------------------------------------------------

  async start(session: By): Promise<RecordingView> {
    this.#assertNotEnded();
    if (this.#settings.recordingId !== null) return this.view();
    await this.#refreshDisk();
    if (this.#freeBytes < this.#deps.minFreeBytes) {
      const params = { freeMb: Math.floor(this.#freeBytes / 2 ** 20), neededMb: Math.ceil(this.#deps.minFreeBytes / 2 ** 20) };
      throw refuse('recording.disk_low', params, `only ${params.freeMb} MB free; recording needs ${params.neededMb} MB`);
    }
    if (this.#settings.recordingId !== null) return this.view();
    const recordingId = randomUUID();
    const next = { ...this.#settings, recordingId, startedAt: Date.now(), segment: 0 };
    this.#deps.store.transaction(() => {
      this.#deps.store.saveSettings(this.#id, next);
      this.#deps.log.log(this.#id, actorOfSession(session), 'recording.start', { recordingId });
      this.#settings = next;
      this.#openSegment('start');
    });
    this.#deps.logger.info({ action: 'recording.start', recordingId, actor: actorOfSession(session) }, 'control action');
    return this.#changed();
  }

  stop(session: By): RecordingView {
    const recordingId = this.#settings.recordingId;
    if (recordingId === null) return this.view();
    const open = this.#recordingFileOpen();
    const next = { ...this.#settings, recordingId: null, startedAt: null, segment: 0 };
    const at = Date.now();
    this.#deps.store.transaction(() => {
      this.#deps.store.saveSettings(this.#id, next);
      if (open) this.#deps.store.closeFile(open.id, at);
      this.#deps.log.log(this.#id, actorOfSession(session), 'recording.stop', { recordingId });
    });
    this.#settings = next;
    if (open) this.#close(open.id, at, false);
    this.#deps.logger.info({ action: 'recording.stop', recordingId, actor: actorOfSession(session) }, 'control action');
    return this.#changed();
  }

  setAutoStart(session: Session, enabled: boolean): RecordingView {
    const next = { ...this.#settings, autoStart: enabled };
    this.#deps.store.transaction(() => {
      this.#deps.store.saveSettings(this.#id, next);
      this.#deps.log.log(this.#id, actorOfSession(session), 'recording.auto_start', { enabled });
    });
    this.#settings = next;
    return this.#changed();
  }

  addOutput(session: Session, url: string, label: string, enabled: boolean): RecordingView {
    this.#assertNotEnded();
    if (this.#outputs.length >= LIMITS.liveOutputsMax) {
      throw refuse('recording.outputs_full', { max: LIMITS.liveOutputsMax }, `at most ${LIMITS.liveOutputsMax} live outputs`);
    }
    if (this.#outputs.some((o) => o.url === url)) throw refuse('recording.output_duplicate', {}, 'this address is in the list already');
    const output: StoredOutput = { id: randomUUID(), label, url, enabled, createdAt: Date.now() };
    this.#deps.store.transaction(() => {
      this.#deps.store.addOutput(this.#id, output);
      const host = new URL(url).host;
      this.#deps.log.log(this.#id, actorOfSession(session), 'recording.output_add', { outputId: output.id, label, host });
    });
    this.#outputs = [...this.#outputs, output];
    return this.#changed();
  }

  setOutput(session: Session, outputId: string, enabled: boolean): RecordingView {
    this.#output(outputId);
    if (enabled) this.#assertNotEnded();
    this.#deps.store.transaction(() => {
      this.#deps.store.setOutput(outputId, enabled);
      this.#deps.log.log(this.#id, actorOfSession(session), 'recording.output_set', { outputId, enabled });
    });
    this.#outputs = this.#outputs.map((o) => (o.id === outputId ? { ...o, enabled } : o));
    return this.#changed();
  }

  removeOutput(session: Session, outputId: string): RecordingView {
    this.#output(outputId);
    this.#deps.store.transaction(() => {
      this.#deps.store.removeOutput(outputId);
      this.#deps.log.log(this.#id, actorOfSession(session), 'recording.output_remove', { outputId });
    });
    this.#outputs = this.#outputs.filter((o) => o.id !== outputId);
    this.#runtime.delete(outputId);
    return this.#changed();
  }

  /** The press page's public link: on with a fresh key (an old link stops working), or off. */
  setPress(session: Session, enabled: boolean): RecordingView {
    if (enabled) this.#assertNotEnded();
    const next = { ...this.#settings, pressKey: enabled ? randomBytes(12).toString('base64url') : null };
    this.#deps.store.transaction(() => {
      this.#deps.store.saveSettings(this.#id, next);
      this.#deps.log.log(this.#id, actorOfSession(session), 'recording.press', { enabled });
    });
    this.#settings = next;
    return this.#changed();
  }

  async deleteFile(session: By, fileId: string): Promise<RecordingView> {
    const file = this.file(fileId);
    if (!file) throw refuse('recording.file_unknown', { fileId }, `no file ${fileId}`);
    if (file.endedAt === null || this.#closing.has(fileId)) throw refuse('recording.file_open', { fileId }, 'the file is being written');
    this.#deps.store.transaction(() => {
      this.#deps.store.removeFile(fileId);
      this.#deps.log.log(this.#id, actorOfSession(session), 'recording.file_delete', { fileId, name: file.name });
    });
    this.#files = this.#files.filter((f) => f.id !== fileId);
    await unlink(file.absolute).catch(() => undefined);
    return this.#changed();
  }

  // --- The recorder -------------------------------------------------------------------------------------

  /** A report from the recorder: its state, what it writes, the pushes; answered with its orders. */
  report(report: RecorderReport): RecorderConfig {
    const before = JSON.stringify([this.#recorder, this.#written.hls, [...this.#runtime.values()].map((r) => r.state)]);
    this.#recorder = report.state === 'running' ? 'running' : 'starting';
    this.#written = { ms: report.writtenMs, fps: report.fps, hls: report.hls, segment: report.segment };
    for (const o of report.outputs) {
      if (!this.#outputs.some((x) => x.id === o.id)) continue;
      const was = this.#runtime.get(o.id);
      this.#runtime.set(o.id, {
        state: o.state,
        attempt: o.attempt,
        error: o.error,
        since: was?.state === o.state ? was.since : Date.now(),
      });
    }
    for (const fileId of this.#closing) {
      const f = this.#files.find((x) => x.id === fileId);
      if (f && f.segment !== report.segment) void this.#measure(fileId);
    }
    const after = JSON.stringify([this.#recorder, this.#written.hls, [...this.#runtime.values()].map((r) => r.state)]);
    if (before !== after || Date.now() - this.#lastBroadcast >= 1000) this.#broadcast();
    return this.config();
  }

  recorderStarted(): void {
    this.#recorder = this.#supervisor.failing ? 'failed' : 'starting';
    this.#broadcast();
  }

  /** The recorder ended: what it wrote is closed; a recording goes on in a new segment once it is back. */
  recorderExited(again: boolean): void {
    for (const fileId of this.#closing) void this.#measure(fileId);
    this.#written = { ms: 0, fps: 0, hls: false, segment: 0 };
    this.#runtime.clear();
    this.#recorder = again ? (this.#supervisor.failing ? 'failed' : 'restarting') : 'off';
    const open = this.#recordingFileOpen();
    if (again && open) {
      this.#close(open.id, Date.now());
      this.#openSegment('restart');
    }
    this.#broadcast();
  }

  statusChanged(status: ConferenceStatus): void {
    if (status === 'live' && this.#settings.autoStart && this.#settings.recordingId === null) {
      this.start(null).catch((error) => this.#deps.logger.warn({ err: error }, 'the recording did not start with the conference'));
    }
    if (status === 'ended') this.stop(null);
    this.#reconcile();
  }

  async close(): Promise<void> {
    clearInterval(this.#diskTimer);
    await this.#supervisor.close();
    await Promise.all([...this.#closing].map((id) => this.#measure(id)));
  }

  // --- Inside -----------------------------------------------------------------------------------------

  #assertNotEnded(): void {
    if (this.#host.status() === 'ended') throw refuse('recording.ended', {}, 'the conference has ended');
  }

  #output(outputId: string): StoredOutput {
    const output = this.#outputs.find((o) => o.id === outputId);
    if (!output) throw refuse('recording.output_unknown', { outputId }, `no live output ${outputId}`);
    return output;
  }

  #recordingFileOpen(): StoredFile | undefined {
    const id = this.#settings.recordingId;
    return id === null ? undefined : this.#files.find((f) => f.recordingId === id && f.kind === 'programme' && f.endedAt === null);
  }

  /** The next programme segment of the recording in progress: a file row, logged (inside the caller's transaction if any). */
  #openSegment(cause: 'start' | 'restart'): void {
    const recordingId = this.#settings.recordingId;
    if (recordingId === null) return;
    const segment = this.#settings.segment + 1;
    const at = Date.now();
    const name = `${this.#id}-${stamp(this.#settings.startedAt ?? at)}-phan-${String(segment).padStart(2, '0')}.mp4`;
    const file: StoredFile = {
      ...{ id: randomUUID(), recordingId, kind: 'programme', name, path: join(this.#id, name), segment, pointId: null },
      ...{ startedAt: at, endedAt: null, durationMs: null, bytes: 0, sha256: null, sourceFileId: null, fromMs: null, toMs: null },
    };
    const settings = { ...this.#settings, segment };
    this.#deps.store.transaction(() => {
      this.#deps.store.saveSettings(this.#id, settings);
      this.#deps.store.addFile(this.#id, file);
      this.#deps.log.log(this.#id, null, 'recording.segment', { recordingId, segment, fileId: file.id, cause });
    });
    this.#settings = settings;
    this.#files = [...this.#files, file];
  }

  /** Marks a file closed (stored) and measures it once the recorder has let go of it. */
  #close(fileId: string, at: number, store = true): void {
    if (store) this.#deps.store.closeFile(fileId, at);
    this.#files = this.#files.map((f) => (f.id === fileId ? { ...f, endedAt: f.endedAt ?? at } : f));
    this.#closing.add(fileId);
    if (!this.#supervisor.running) void this.#measure(fileId);
  }

  async #measure(fileId: string): Promise<void> {
    if (!this.#closing.delete(fileId)) return;
    const file = this.file(fileId);
    if (!file) return;
    try {
      const m = await measureFile(file.absolute);
      this.#deps.store.measured(fileId, m);
      this.#files = this.#files.map((f) => (f.id === fileId ? { ...f, ...m } : f));
    } catch (error) {
      this.#deps.logger.warn({ err: error, fileId, path: file.path }, 'a recording file could not be measured');
    }
    this.#broadcast();
  }

  async #refreshDisk(): Promise<void> {
    try {
      this.#freeBytes = await freeBytes(join(this.#deps.root, this.#id));
    } catch (error) {
      this.#deps.logger.warn({ err: error }, 'free disk space unknown');
      this.#freeBytes = 0;
    }
  }

  /** Whether the programme mix is needed now: recording, a push switched on, or the press page. */
  #needsMix(): boolean {
    if (this.#host.status() === 'ended') return false;
    return this.#settings.recordingId !== null || this.#settings.pressKey !== null || this.#outputs.some((o) => o.enabled);
  }

  #reconcile(): void {
    const needed = this.#needsMix();
    this.#supervisor.want(needed);
    if (needed && !this.#diskTimer) {
      this.#diskTimer = setInterval(() => void this.#refreshDisk().then(() => this.#broadcast()), 10_000);
      this.#diskTimer.unref();
    } else if (!needed) {
      clearInterval(this.#diskTimer);
      this.#diskTimer = undefined;
    }
  }

  /** After a change by the host: the process follows, the recorder gets its orders, the moderators the view. */
  #changed(): RecordingView {
    this.#reconcile();
    this.#send('recorder.config', this.config(), (s) => s.role === 'recorder');
    return this.#broadcast();
  }

  #broadcast(): RecordingView {
    const view = this.view();
    this.#lastBroadcast = Date.now();
    this.#send('recording.updated', view, (s) => s.role === 'host' || s.role === 'cohost');
    return view;
  }

  #send<K extends EventName>(event: K, payload: EventPayload<K>, to: (s: Session) => boolean): void {
    for (const session of this.#host.sessions()) if (to(session)) session.sink.emit(event, payload);
  }

  #outputView(o: StoredOutput): LiveOutputView {
    const runtime = this.#runtime.get(o.id);
    const state = o.enabled ? (runtime?.state ?? 'connecting') : 'off';
    return { id: o.id, label: o.label, url: maskLiveOutputUrl(o.url), enabled: o.enabled, state, ...this.#runtimeFields(runtime) };
  }

  #runtimeFields(r: OutputRuntime | undefined): Pick<LiveOutputView, 'attempt' | 'error' | 'since'> {
    return { attempt: r?.attempt ?? 0, error: r?.error ?? null, since: r?.since ?? null };
  }

  #fileView(f: StoredFile): RecordingFileView {
    const open = f.endedAt === null;
    return {
      ...{ id: f.id, kind: f.kind, name: f.name, segment: f.segment, pointId: f.pointId, startedAt: f.startedAt, endedAt: f.endedAt },
      durationMs: open && f.kind === 'programme' && f.segment === this.#written.segment ? this.#written.ms : f.durationMs,
      ...{ bytes: f.bytes, sha256: f.sha256, open },
    };
  }
}
