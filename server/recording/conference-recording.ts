// The recording and live output of one conference, as a part of it: the host's choices (recording, starting
// with the conference, pushes, the press link), the recorder process that carries them out, the files.
// One write path: check → one transaction (state rows and event-log row) → memory → the moderators' view
// and the recorder's orders → the process. The choices survive a restart of the hub: a recording that was on
// goes on in a new segment, pushes that were on push again.
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ConferenceSpec, ConferenceStatus } from '../../shared/domain.ts';
import type { Actor } from '../../shared/event-log.ts';
import type { EventName, EventPayload } from '../../shared/protocol.ts';
import type { Chapter, ClipRequest, RecorderConfig, RecorderReport, RecorderState, RecordingView } from '../../shared/recording.ts';
import type { Session } from '../conference/session.ts';
import { refuse } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { RecordingSettings, RecordingStore, StoredFile } from '../store/recording.ts';
import type { RecordStore } from '../store/records.ts';
import { chaptersOf, spansOf } from './chapters.ts';
import { freeBytes } from './files.ts';
import { LiveOutputs } from './live-outputs.ts';
import { RecordingFiles } from './recording-files.ts';
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

/** Who acts: a session, a REST caller (its actor), or the hub itself (null). */
export type By = Session | { actor: Actor } | null;
const actorOfSession = (by: By): Actor => (by === null ? null : 'actor' in by ? by.actor : { pointId: by.pointId, role: by.role });
const stamp = (at: number): string => new Date(at).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');

export class ConferenceRecording {
  readonly #host: RecordingHost;
  readonly #deps: RecordingDeps;
  readonly #supervisor: RecorderSupervisor;
  #settings: RecordingSettings;
  readonly #outputs: LiveOutputs;
  readonly #files: RecordingFiles;
  #recorder: RecorderState = 'off';
  #written = { ms: 0, fps: 0, hls: false, segment: 0 };
  #freeBytes = 0;
  #lastBroadcast = 0;
  #diskTimer: NodeJS.Timeout | undefined;

  constructor(host: RecordingHost, deps: RecordingDeps) {
    this.#host = host;
    this.#deps = deps;
    this.#settings = deps.store.settings(host.spec.id);
    this.#outputs = new LiveOutputs(host.spec.id, deps.store, deps.log);
    this.#supervisor = deps.supervisor(this);
    this.#files = new RecordingFiles({
      conferenceId: host.spec.id,
      root: deps.root,
      store: deps.store,
      log: deps.log,
      logger: deps.logger,
      recorderRunning: () => this.#supervisor.running,
      written: () => ({ segment: this.#written.segment, ms: this.#written.ms }),
      changed: () => void this.#broadcast(),
    });
    this.#files.closeLeftOpen();
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
    return this.#files.get(fileId);
  }

  /** The chapters of every programme file, from the event log. */
  chapters(): Chapter[] {
    const id = this.#id;
    return chaptersOf(spansOf(this.#deps.log.events(id), this.#host.spec, this.#deps.log.questions(id)), this.#files.all());
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
      outputs: this.#outputs.view(),
      files: this.#files.all().map((f) => this.#files.view(f)),
    };
  }

  /** The recorder's orders. */
  config(): RecorderConfig {
    const open = this.#recordingFileOpen();
    return {
      record: open ? { segment: open.segment, path: open.path } : null,
      // Whenever the programme is mixed, not only while the public link is on: a viewer code plays it too.
      hls: join(this.#id, 'hls'),
      outputs: this.#outputs.config(),
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
    if (open) this.#files.close(open.id, at, false);
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

  addOutput(by: By, url: string, label: string, enabled: boolean): RecordingView {
    this.#assertNotEnded();
    this.#outputs.add(actorOfSession(by), url, label, enabled);
    return this.#changed();
  }

  setOutput(by: By, outputId: string, enabled: boolean): RecordingView {
    if (enabled) this.#assertNotEnded();
    this.#outputs.set(actorOfSession(by), outputId, enabled);
    return this.#changed();
  }

  removeOutput(by: By, outputId: string): RecordingView {
    this.#outputs.remove(actorOfSession(by), outputId);
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

  async deleteFile(by: By, fileId: string): Promise<RecordingView> {
    await this.#files.delete(actorOfSession(by), fileId);
    return this.#changed();
  }

  /** Cuts a clip from a programme file (a chapter or a range); listed at once, ready once cut and measured. */
  clip(by: By, request: ClipRequest): RecordingView {
    this.#files.clip(actorOfSession(by), request, () => this.chapters());
    return this.#changed();
  }

  // --- The recorder -------------------------------------------------------------------------------------

  /** A report from the recorder: its state, what it writes, the pushes; answered with its orders. */
  report(report: RecorderReport): RecorderConfig {
    const before = JSON.stringify([this.#recorder, this.#written.hls, this.#written.segment]);
    this.#recorder = report.state === 'running' ? 'running' : 'starting';
    this.#written = { ms: report.writtenMs, fps: report.fps, hls: report.hls, segment: report.segment };
    const pushes = this.#outputs.reported(report.outputs);
    const open = this.#recordingFileOpen();
    if (open && report.segmentStartedAt !== null && report.segment === open.segment) this.#files.started(open.id, report.segmentStartedAt);
    this.#files.sync({ segment: report.segment, tracks: report.tracks ?? [], recordingId: this.#settings.recordingId });
    const after = JSON.stringify([this.#recorder, this.#written.hls, this.#written.segment]);
    if (pushes || before !== after || Date.now() - this.#lastBroadcast >= 1000) this.#broadcast();
    return this.config();
  }

  recorderStarted(): void {
    this.#recorder = this.#supervisor.failing ? 'failed' : 'starting';
    this.#broadcast();
  }

  /** The recorder ended: what it wrote is closed; a recording goes on in a new segment once it is back. */
  recorderExited(again: boolean): void {
    this.#files.sync(null);
    this.#written = { ms: 0, fps: 0, hls: false, segment: 0 };
    this.#outputs.clear();
    this.#recorder = again ? (this.#supervisor.failing ? 'failed' : 'restarting') : 'off';
    const open = this.#recordingFileOpen();
    if (again && open) {
      this.#files.close(open.id, Date.now());
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
    await this.#files.measureAll();
  }

  // --- Inside -----------------------------------------------------------------------------------------

  #assertNotEnded(): void {
    if (this.#host.status() === 'ended') throw refuse('recording.ended', {}, 'the conference has ended');
  }

  #recordingFileOpen(): StoredFile | undefined {
    const id = this.#settings.recordingId;
    return id === null ? undefined : this.#files.all().find((f) => f.recordingId === id && f.kind === 'programme' && f.endedAt === null);
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
      this.#files.add(file);
      this.#deps.log.log(this.#id, null, 'recording.segment', { recordingId, segment, fileId: file.id, cause });
    });
    this.#settings = settings;
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
    return this.#settings.recordingId !== null || this.#settings.pressKey !== null || this.#outputs.anyEnabled();
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
}
