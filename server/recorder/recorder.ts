// The recorder: joins its hub through the protocol in the `recorder` role, receives the stage over one plain
// RTP transport (SRTP), keeps the programme mix going in one ffmpeg (the relay feeds it four continuous
// streams; the scene decides what they carry, as the halls' screens would) and fans the mix out to what the
// hub orders: the recording's current segment, the press page's HLS, the live pushes. It reports twice a
// second; the answer is its orders. A lost connection or a media restart at the hub rebuilds the receiving
// side only: the mix and its outputs go on (on filler) meanwhile.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { ConferenceView, MediaSource } from '../../shared/domain.ts';
import type { EventName, EventPayload } from '../../shared/protocol.ts';
import type { RecorderConfig, RecorderReport } from '../../shared/recording.ts';
import { HubLink, type Welcome } from './hub-link.ts';
import { ProgrammeMixer } from './mixer.ts';
import { ProgrammeOutputs } from './outputs.ts';
import { StageRelay } from './relay.ts';
import { decideScene, type SceneConsumer } from './scene.ts';
import { ProgrammeSwitcher } from './switcher.ts';
import { TrackArchive, type TrackSource } from './tracks.ts';
import { freePortPairs, stageSdp } from './sdp.ts';

const REPORT_EVERY_MS = 500;

export interface RecorderOptions {
  hubUrl: string;
  token: string;
  /** The recordings folder: the hub's relative paths are under it. */
  dir: string;
  videoKbps: number;
  log: Logger;
  /** Called once the recorder has stopped by itself (conference ended, credential refused). */
  onStopped?: (why: string) => void;
}

type Consumed = SceneConsumer & TrackSource;

export class Recorder {
  readonly #o: RecorderOptions;
  readonly #log: Logger;
  #link: HubLink | undefined;
  #mixer: ProgrammeMixer | undefined;
  #relay: StageRelay | undefined;
  #outputs: ProgrammeOutputs | undefined;
  #workDir: string | undefined;
  #conference: ConferenceView | undefined;
  readonly #consumers = new Map<string, Consumed>();
  #switcher: ProgrammeSwitcher | undefined;
  #tracks: TrackArchive | undefined;
  #config: RecorderConfig = { record: null, hls: null, outputs: [] };
  /** The segment being written; `mediaZeroAt`: the wall-clock time of its media time 0, once the writer shows it. */
  #writing: { segment: number; path: string; startedAt: number; mediaZeroAt: number | null } | null = null;
  #hls: string | null = null;
  readonly #rtmp = new Set<string>();
  #applying: Promise<void> = Promise.resolve();
  #rebuilding: Promise<void> = Promise.resolve();
  #reportTimer: NodeJS.Timeout | undefined;
  #stopping: Promise<void> | undefined;

  constructor(options: RecorderOptions) {
    this.#o = options;
    this.#log = options.log;
  }

  /** Starts the mix, then joins the hub. */
  async start(): Promise<void> {
    this.#workDir = await mkdtemp(join(tmpdir(), 'diemcau-recorder-'));
    const ports = await freePortPairs(4);
    const [main, second, centre, floor] = ports as [(typeof ports)[0], (typeof ports)[0], (typeof ports)[0], (typeof ports)[0]];
    const targets = { video: { main, second }, audio: { centre, floor } };
    this.#mixer = new ProgrammeMixer({ sdp: stageSdp(targets), workDir: this.#workDir, videoKbps: this.#o.videoKbps, log: this.#log });
    this.#mixer.on('exit', (exit) => {
      if (!this.#stopping) this.#fail(`the mixer ended (${exit.code ?? exit.signal})`);
    });
    await this.#mixer.start();
    this.#outputs = new ProgrammeOutputs(this.#mixer.ts, { log: this.#log });
    this.#outputs.on('failed', ({ output, exit }) => {
      this.#log.warn({ output, code: exit.code, signal: exit.signal }, 'an output writer ended');
      if (output === 'file') this.#writing = null;
      if (output === 'hls') this.#hls = null;
      this.#apply(this.#config);
    });
    const requestKeyFrame = (consumerId: string): void => {
      this.#link?.request('media.requestKeyFrame', { consumerId }).catch(() => undefined);
    };
    this.#tracks = new TrackArchive(this.#o.dir, requestKeyFrame, this.#log);
    // Placeholder key: the relay is re-keyed with the hub's once the transport exists.
    this.#relay = new StageRelay({
      srtp: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: randomBytes(30).toString('base64') },
      targets,
      requestKeyFrame,
      tap: (consumerId, rtp) => this.#tracks?.feed(consumerId, rtp),
      log: this.#log,
    });
    await this.#relay.start();
    this.#switcher = new ProgrammeSwitcher(this.#relay, this.#mixer, this.#log);
    this.#link = new HubLink(this.#o.hubUrl, this.#o.token, {
      onWelcome: (welcome) => void this.#welcome(welcome),
      onEvent: (name, payload) => this.#event(name, payload),
    });
    this.#link.onRefused((error) => this.#fail(`the hub refused the recorder (${error?.reason ?? 'unknown'})`));
    this.#reportTimer = setInterval(() => void this.#report(), REPORT_EVERY_MS);
  }

  /** Finishes every file and stops every process it started. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      clearInterval(this.#reportTimer);
      this.#switcher?.close();
      // The files end where the stop came: outputs and tracks first, while the stage still comes in.
      await Promise.all([
        this.#outputs?.close().catch((error: unknown) => this.#log.warn({ err: error }, 'outputs did not close cleanly')),
        this.#tracks?.closeAll(),
      ]);
      this.#link?.close();
      await this.#mixer?.stop().catch(() => undefined);
      await this.#relay?.close().catch(() => undefined);
      if (this.#workDir) await rm(this.#workDir, { recursive: true, force: true });
      this.#log.info('recorder stopped');
    })();
    return this.#stopping;
  }

  #fail(why: string): void {
    this.#log.error({ why }, 'recorder stops');
    void this.stop().then(() => this.#o.onStopped?.(why));
  }

  // --- The hub --------------------------------------------------------------------------------------

  async #welcome(welcome: Welcome): Promise<void> {
    this.#conference = welcome.conference;
    this.#log.info({ sessionId: welcome.self.sessionId, conferenceId: welcome.self.conferenceId }, 'joined the hub');
    this.#rebuild(welcome.routerRtpCapabilities);
  }

  /** A new receiving transport (first join, reconnection, media restart at the hub): the mix goes on meanwhile. */
  #rebuild(caps: Welcome['routerRtpCapabilities']): void {
    this.#rebuilding = this.#rebuilding.then(async () => {
      const link = this.#link;
      const relay = this.#relay;
      if (!link || !relay || this.#stopping) return;
      for (const id of this.#consumers.keys()) {
        relay.removeConsumer(id);
        void this.#tracks?.close(id);
      }
      this.#consumers.clear();
      this.#applyScene();
      try {
        await link.request('media.setCapabilities', { rtpCapabilities: caps });
        const info = await link.request('media.createTransport', { direction: 'recv', type: 'plain' });
        if (info.type !== 'plain') throw new Error(`asked for a plain transport, got ${info.type}`);
        relay.setSrtp(info.srtpParameters);
        const own = { cryptoSuite: info.srtpParameters.cryptoSuite, keyBase64: randomBytes(30).toString('base64') };
        await link.request('media.connectTransport', { transportId: info.id, ...relay.address, srtpParameters: own });
        this.#log.info({ transportId: info.id }, 'receiving the stage');
        await this.#report();
      } catch (error) {
        this.#log.error({ err: error }, 'the receiving transport could not be made');
      }
    });
  }

  #event(name: EventName, payload: unknown): void {
    const conference = this.#conference;
    switch (name) {
      case 'media.consumer':
        return void this.#consume(payload as EventPayload<'media.consumer'>);
      case 'media.consumerClosed': {
        const { consumerId } = payload as EventPayload<'media.consumerClosed'>;
        this.#consumers.delete(consumerId);
        this.#relay?.removeConsumer(consumerId);
        void this.#tracks?.close(consumerId);
        break;
      }
      case 'media.restart':
        this.#rebuild((payload as EventPayload<'media.restart'>).routerRtpCapabilities);
        return;
      case 'recorder.config':
        this.#apply(payload as RecorderConfig);
        return;
      case 'session.ended':
        this.#fail(`the hub ended the session (${(payload as EventPayload<'session.ended'>).reason})`);
        return;
      case 'conference.status':
        if (conference) conference.status = (payload as EventPayload<'conference.status'>).status;
        break;
      case 'point.updated': {
        const point = payload as EventPayload<'point.updated'>;
        if (conference) conference.points = conference.points.map((p) => (p.id === point.id ? point : p));
        break;
      }
      case 'floor.updated':
        if (conference) conference.floor = payload as EventPayload<'floor.updated'>;
        break;
      case 'agenda.updated':
        if (conference) conference.agenda = payload as EventPayload<'agenda.updated'>;
        break;
      case 'programme.updated':
        if (conference) conference.programme = payload as EventPayload<'programme.updated'>;
        break;
      default:
        return;
    }
    this.#applyScene();
  }

  async #consume(c: EventPayload<'media.consumer'>): Promise<void> {
    const ssrc = c.rtpParameters.encodings?.[0]?.ssrc;
    const codec = c.rtpParameters.codecs[0];
    if (ssrc === undefined || !codec) return void this.#log.warn({ consumerId: c.consumerId }, 'consumer without ssrc');
    const { payloadType, mimeType, clockRate, channels } = codec;
    this.#relay?.addConsumer({ consumerId: c.consumerId, kind: c.kind, ssrc, payloadType });
    const consumed = { consumerId: c.consumerId, pointId: c.pointId, source: c.source as MediaSource, kind: c.kind };
    this.#consumers.set(c.consumerId, { ...consumed, payloadType, mimeType, clockRate, channels });
    this.#archive();
    this.#applyScene();
    await this.#link?.request('media.resumeConsumer', { consumerId: c.consumerId }).catch((error: unknown) => {
      this.#log.warn({ err: error, consumerId: c.consumerId }, 'resume refused');
    });
  }

  /** What the mix shows now: the switcher takes it to the relay and the mixer without a dark or stale frame. */
  #applyScene(): void {
    const conference = this.#conference;
    if (!conference || !this.#switcher) return;
    this.#switcher.show(decideScene(conference, [...this.#consumers.values()]));
  }

  /** While the programme is recorded, every stage stream also goes to the track archive, as it came. */
  #archive(): void {
    const record = this.#config.record;
    const tracks = this.#tracks;
    if (!tracks || this.#stopping) return;
    if (!record) return void tracks.closeAll();
    const folder = join(dirname(record.path), 'tracks');
    for (const c of this.#consumers.values()) if (!tracks.has(c.consumerId)) void tracks.open(folder, c);
  }

  // --- Orders and reports ---------------------------------------------------------------------------

  async #report(): Promise<void> {
    const link = this.#link;
    if (!link?.connected || this.#stopping) return;
    const progress = this.#mixer?.lastProgress;
    // The file's media time 0 (it begins at the mix's first key frame after the writer started): fixed once
    // the writer has written a second, from the wall clock less what it has written (the stream is live).
    const written = this.#outputs?.recording?.writtenMs ?? null;
    if (this.#writing && this.#writing.mediaZeroAt === null && written !== null && written > 1000) {
      this.#writing.mediaZeroAt = Date.now() - written;
    }
    const report: RecorderReport = {
      state: progress && progress.frame > 0 ? 'running' : 'starting',
      segment: this.#writing?.segment ?? 0,
      segmentStartedAt: this.#writing?.mediaZeroAt ?? null,
      writtenMs: this.#writing ? (written ?? 0) : 0,
      fps: Math.round((progress?.fps ?? 0) * 10) / 10,
      hls: this.#hls !== null,
      tracks: this.#tracks?.list() ?? [],
      outputs: (this.#outputs?.rtmpStates() ?? []).map((s) => ({ id: s.id, state: s.state, attempt: s.attempt, error: s.error ?? null })),
    };
    try {
      this.#apply(await link.request('recorder.report', report));
    } catch (error) {
      this.#log.warn({ err: error }, 'report not taken');
    }
  }

  /** Follows the hub's orders, one change at a time. */
  #apply(config: RecorderConfig): void {
    this.#config = config;
    this.#applying = this.#applying
      .then(() => this.#follow(this.#config))
      .catch((error: unknown) => {
        this.#log.error({ err: error }, 'orders not followed');
      });
  }

  async #follow(config: RecorderConfig): Promise<void> {
    const outputs = this.#outputs;
    if (!outputs || this.#stopping) return;
    const record = config.record;
    if (this.#writing && (!record || record.segment !== this.#writing.segment || record.path !== this.#writing.path)) {
      const info = await outputs.stopFile();
      this.#log.info({ path: info?.path, bytes: info?.bytes, durationMs: info?.durationMs }, 'segment closed');
      this.#writing = null;
    }
    if (record && !this.#writing) {
      const path = join(this.#o.dir, record.path);
      await mkdir(dirname(path), { recursive: true });
      void outputs.startFile(path).catch((error: unknown) => this.#log.error({ err: error, path }, 'segment not written'));
      this.#writing = { ...record, startedAt: Date.now(), mediaZeroAt: null };
      this.#log.info({ path, segment: record.segment }, 'segment opened');
    }
    if (config.hls !== this.#hls) {
      if (this.#hls !== null) await outputs.stopHls();
      this.#hls = null;
      if (config.hls !== null) {
        outputs.startHls(join(this.#o.dir, config.hls));
        this.#hls = config.hls;
      }
    }
    this.#archive();
    const wanted = new Set(config.outputs.map((o) => o.id));
    for (const id of [...this.#rtmp]) {
      if (wanted.has(id)) continue;
      await outputs.removeRtmp(id);
      this.#rtmp.delete(id);
    }
    for (const o of config.outputs) {
      outputs.setRtmp(o.id, o.url, o.enabled);
      this.#rtmp.add(o.id);
    }
  }
}
