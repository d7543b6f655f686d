// The media rules of one conference, as a part of it: who receives what (#wanted) and bringing each
// session's consumers in line with it (reconcile); which microphones and cameras the hub pauses (off the
// floor, host mutes); audio levels for the monitoring wall; and the media's own faults (a worker's router
// lost, a replacement router added, a session's media rebuilt). It sees its conference only through MediaHost.
import type { types } from 'mediasoup';
import type { MediaSource } from '../../shared/domain.ts';
import type { RtpCapabilities, RtpParameters, TransportInfo } from '../../shared/media.ts';
import type { EventName, EventPayload } from '../../shared/protocol.ts';
import { isModerator, isPublisher, STANDBY_POINTS } from '../../shared/rules.ts';
import { refuse } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { ConferenceMedia } from '../media/conference-media.ts';
import type { ConnectParams, PeerMedia } from '../media/peer-media.ts';
import type { Mutes } from '../store/conferences.ts';
import type { Session } from './session.ts';
import { repurpose, STANDBY_AFTER_SWITCH_MS, withoutNewStandby } from './standby.ts';
import { wallPoints, type WantedHost, wantedBy } from './wanted.ts';

/** What the media rules need from their conference (besides what the rules of who receives what read). */
export interface MediaHost extends WantedHost {
  /** Sessions joined now. */
  sessions(): readonly Session[];
  /** Whether `session` is still joined (it may have left while its media work waited). */
  joined(session: Session): boolean;
  mutedByHost(pointId: string): Readonly<Mutes>;
  /** What `pointId` publishes changed: its view goes to everyone again. */
  pointChanged(pointId: string): void;
  /** Whether the host lets the point holding the floor share its screen. */
  pointSharing(): boolean;
}

export interface ProduceParams {
  transportId: string;
  kind: types.MediaKind;
  source: MediaSource;
  rtpParameters: RtpParameters;
}

const PAUSABLE = ['microphone', 'camera'] as const;

export class MediaRouting {
  readonly #host: MediaHost;
  readonly #media: ConferenceMedia;
  readonly #logger: Logger;
  /** Microphone producer id → point, for audio levels on the wall. */
  readonly #micOwners = new Map<string, string>();
  /** Per point, the pause work in flight: each decision is made when its turn comes, on the state of then. */
  readonly #pauseTurns = new Map<string, Promise<void>>();
  /** When the floor last moved (new standby consumers wait a moment after it). */
  #switchedAt = 0;

  constructor(host: MediaHost, media: ConferenceMedia, logger: Logger) {
    this.#host = host;
    this.#media = media;
    this.#logger = logger;
    media.on('levels', (levels) => this.#onLevels(levels));
    media.on('routerlost', (router) => this.#onRouterLost(router));
    media.on('routeradded', (router) => this.#onRouterAdded(router));
  }

  /** Opens the media side of a joining session on the next worker in turn. */
  openPeer(): Promise<PeerMedia> {
    return this.#media.openPeer(this.#logger);
  }

  /** Wires a joining session's media; if its worker died meanwhile, it gets the usual restart after its welcome. */
  attach(session: Session): void {
    this.#wirePeer(session);
    if (!session.peer.router.closed) return;
    setImmediate(() => {
      this.restart(session, 'worker_died').catch((error: unknown) => session.logger.error({ err: error }, 'media restart failed'));
    });
  }

  /**
   * Gives `session` fresh media at the hub (on a live worker) and tells its client to build its side
   * again: after its worker died, or on the client's own request. Floor, queue and records are untouched.
   */
  async restart(session: Session, reason: 'worker_died' | 'requested'): Promise<void> {
    await session.serial(async () => {
      if (!this.#host.joined(session)) return;
      const peer = await this.#media.openPeer(this.#logger);
      if (!this.#host.joined(session)) {
        peer.close();
        return;
      }
      const old = session.peer;
      session.peer = peer;
      this.#wirePeer(session);
      old.close();
      session.logger.warn({ reason, routerId: peer.router.id }, 'media restarted');
      session.sink.emit('media.restart', { reason, routerRtpCapabilities: peer.router.rtpCapabilities as RtpCapabilities });
    });
    if (this.#host.representative(session.pointId) === session) this.#host.pointChanged(session.pointId);
    // Consumers elsewhere of what this session produced are closed by the rules now.
    this.reconcileAll();
  }

  async setCapabilities(session: Session, rtpCapabilities: RtpCapabilities): Promise<void> {
    session.peer.setCapabilities(rtpCapabilities);
    await this.#reconcile(session);
  }

  async createTransport(session: Session, direction: 'send' | 'recv', type: 'webrtc' | 'plain'): Promise<TransportInfo> {
    if (direction === 'send' && !isPublisher(session.role)) {
      throw refuse('media.not_publisher', { role: session.role }, 'this role does not publish media');
    }
    const info = await session.peer.createTransport(direction, type);
    if (direction === 'recv') this.#reconcileLogged(session);
    return info;
  }

  async connectTransport(session: Session, params: ConnectParams): Promise<void> {
    await session.peer.connect(params);
  }

  async produce(session: Session, params: ProduceParams): Promise<{ producerId: string }> {
    const pointId = session.pointId;
    if (this.#host.representative(pointId) !== session) {
      throw refuse('media.not_representative', {}, 'only the connection that represents the point publishes');
    }
    if (params.source === 'screen') this.#assertMayShare(session);
    if (params.source === 'talkback' && session.role !== 'host') {
      throw refuse('media.talkback_not_allowed', {}, 'only the host talks back');
    }
    const peer = session.peer;
    // In the point's pause turn: a host mute or floor change meanwhile is decided after, on this producer.
    const { producer, paused } = await this.#inPauseTurn(pointId, async () => {
      const pause = this.#shouldPause(pointId, params.source);
      return { producer: await peer.produce(params.transportId, params.kind, params.source, params.rtpParameters, pause), paused: pause };
    });
    if (params.source === 'microphone') {
      this.#micOwners.set(producer.id, pointId);
      producer.observer.once('close', () => this.#micOwners.delete(producer.id));
      await this.#media.observeLevels(producer, peer.router);
    }
    await this.#media.pipeEverywhere(producer, peer.router);
    session.logger.info({ producerId: producer.id, source: params.source, paused }, 'producing');
    this.#host.pointChanged(pointId);
    this.reconcileAll();
    return { producerId: producer.id };
  }

  /** A point's own microphone level, relayed to the wall (its audio is paused at the hub off the floor). */
  reportLevel(session: Session, volume: number): void {
    if (this.#host.representative(session.pointId) !== session) {
      throw refuse('media.not_representative', {}, 'only the connection that represents the point reports its level');
    }
    this.#toModerators('wall.levels', { levels: [{ pointId: session.pointId, volume }] });
  }

  /**
   * The wall tiles `session` shows now: wall video is offered for those only (the others' consumers close), so
   * a wall of hundreds costs what a screenful costs. Returns how many of them are on this session's wall.
   */
  setWallVisible(session: Session, pointIds: readonly string[]): number {
    const onWall = new Set(wallPoints(this.#host, session));
    session.wallVisible = new Set(pointIds.filter((id) => onWall.has(id)));
    this.#reconcileLogged(session);
    return session.wallVisible.size;
  }

  async resumeConsumer(session: Session, consumerId: string): Promise<void> {
    await session.peer.resumeConsumer(consumerId);
  }

  /** Pauses or resumes `pointId`'s microphone and camera at the hub as the floor and host mutes say now. */
  applyPauses(pointId: string): Promise<void> {
    return this.#inPauseTurn(pointId, async () => {
      const peer = this.#host.representative(pointId)?.peer;
      if (!peer) return;
      for (const source of PAUSABLE) {
        const producer = peer.producer(source);
        if (!producer || producer.closed) continue;
        const pause = this.#shouldPause(pointId, source);
        try {
          if (pause && !producer.paused) await producer.pause();
          else if (!pause && producer.paused) await producer.resume();
        } catch (error) {
          // A producer closed meanwhile (its point left) needs no pausing; anything else is a real failure.
          if (!producer.closed) throw error;
        }
      }
    });
  }

  /** The floor moved: a former speaker's screen closes, microphones open or close, then every session's stage follows. */
  speakerChanged(): void {
    const { centralPointId } = this.#host.spec;
    this.stopScreens((pointId) => pointId !== centralPointId && pointId !== this.#host.floorHolder());
    // Standby consumers go on stage at once; the pauses and the rest follow, the next standby ones a moment later.
    if (this.#standbyPoints > 0) {
      this.#switchedAt = Date.now();
      this.reconcileAll();
      setTimeout(() => this.reconcileAll(), STANDBY_AFTER_SWITCH_MS).unref();
    }
    void Promise.all(this.#host.spec.points.map((p) => this.applyPauses(p.id)))
      .then(() => this.reconcileAll())
      .catch((error: unknown) => this.#logger.error({ err: error }, 'floor switch failed'));
  }

  /**
   * Closes the screens shared now by the points `which` selects (the host's, the speaking point's); each
   * sharer is told to stop capturing, and its consumers close everywhere. Returns the points that stopped.
   */
  stopScreens(which: (pointId: string) => boolean = () => true): string[] {
    const stopped: string[] = [];
    for (const session of this.#host.sessions()) {
      const producer = session.peer.producer('screen');
      if (!producer || producer.closed || !which(session.pointId)) continue;
      producer.close();
      stopped.push(session.pointId);
      session.logger.info({ producerId: producer.id }, 'screen sharing stopped at the hub');
      session.sink.emit('media.producerClosed', { producerId: producer.id, source: 'screen' });
      this.#host.pointChanged(session.pointId);
    }
    if (stopped.length > 0) this.reconcileAll();
    return stopped;
  }

  /** The session's own request to stop sharing its screen (nothing to do when it shares none). */
  closeProducer(session: Session, source: 'screen'): void {
    const producer = session.peer.producer(source);
    if (!producer || producer.closed) return;
    producer.close();
    session.logger.info({ producerId: producer.id, source }, 'producer closed by its client');
    if (this.#host.representative(session.pointId) === session) this.#host.pointChanged(session.pointId);
    this.reconcileAll();
  }

  /** The floor queue changed: receivers that show a stage follow its first points on standby. */
  queueChanged(): void {
    if (this.#standbyPoints > 0) this.reconcileAll();
  }

  /** Talkback changed for these points: their microphones open or close at the hub, then consumers follow. */
  talkbackChanged(pointIds: readonly string[]): void {
    void Promise.all(pointIds.map((p) => this.applyPauses(p)))
      .then(() => this.reconcileAll())
      .catch((error: unknown) => this.#logger.error({ err: error }, 'talkback switch failed'));
  }

  reconcileAll(): void {
    for (const session of this.#host.sessions()) this.#reconcileLogged(session);
  }

  /** Closes every router (and so every transport, producer and consumer). Safe to call twice. */
  close(): Promise<void> {
    return this.#media.close();
  }

  /** The host shares always; the point holding the floor while the host allows points to share. */
  #assertMayShare(session: Session): void {
    if (session.role === 'host') return;
    if (session.role === 'cohost' || session.role === 'technician') {
      if (this.#host.floorHolder() !== session.pointId) {
        throw refuse('media.screen_not_on_floor', {}, 'a point shares its screen only while it holds the floor');
      }
      if (!this.#host.pointSharing()) throw refuse('media.screen_sharing_off', {}, 'the host has not allowed points to share');
      return;
    }
    throw refuse('media.screen_not_allowed', {}, 'this role does not share a screen');
  }

  /** A remote point's microphone is open only while it holds the floor; host mutes hold regardless. */
  #shouldPause(pointId: string, source: MediaSource): boolean {
    const muted = this.#host.mutedByHost(pointId);
    if (source === 'microphone') {
      // Open off the floor only while the host listens to it privately (talkback).
      const offFloor = pointId !== this.#host.spec.centralPointId && this.#host.floorHolder() !== pointId;
      const gated = offFloor && this.#host.talkback().listeningTo !== pointId;
      return gated || muted.audio;
    }
    return source === 'camera' && muted.video;
  }

  /** Runs `task` after the pause work already queued for `pointId`. */
  #inPauseTurn<T>(pointId: string, task: () => Promise<T>): Promise<T> {
    const run = (this.#pauseTurns.get(pointId) ?? Promise.resolve()).then(task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.#pauseTurns.set(pointId, settled);
    void settled.then(() => {
      if (this.#pauseTurns.get(pointId) === settled) this.#pauseTurns.delete(pointId);
    });
    return run;
  }

  #wirePeer(session: Session): void {
    const peer = session.peer;
    peer.on('consumerclosed', (_key, consumerId) => {
      if (session.peer === peer) session.sink.emit('media.consumerClosed', { consumerId });
    });
  }

  /** A worker died: every session whose media lived on it starts over on a live worker. */
  #onRouterLost(router: types.Router): void {
    const affected = this.#host.sessions().filter((s) => s.peer.router === router);
    this.#logger.warn({ routerId: router.id, sessions: affected.length }, 'restarting the media of sessions on a dead worker');
    for (const session of affected) {
      this.restart(session, 'worker_died').catch((error: unknown) => session.logger.error({ err: error }, 'media restart failed'));
    }
    this.reconcileAll();
  }

  /** A replacement worker has its router: pipe every producer there ahead of its consumers (see pipeEverywhere). */
  #onRouterAdded(router: types.Router): void {
    for (const session of this.#host.sessions()) {
      for (const source of ['microphone', 'camera', 'screen', 'talkback'] as const) {
        const producer = session.peer.producer(source);
        if (!producer || producer.closed) continue;
        this.#media.pipe(producer, session.peer.router, router).catch((error: unknown) => {
          if (!producer.closed) session.logger.error({ err: error }, 'pipe to a new router failed');
        });
      }
    }
  }

  #onLevels(levels: Array<{ producerId: string; volume: number }>): void {
    const payload = {
      levels: levels.flatMap((l) => {
        const pointId = this.#micOwners.get(l.producerId);
        return pointId ? [{ pointId, volume: l.volume }] : [];
      }),
    };
    this.#toModerators('wall.levels', payload);
  }

  #toModerators<K extends EventName>(event: K, payload: EventPayload<K>): void {
    for (const session of this.#host.sessions()) if (isModerator(session.role)) session.sink.emit(event, payload);
  }

  /** Brings `session`'s consumers in line with #wanted: closes the extra ones, offers the missing ones. */
  #reconcile(session: Session): Promise<void> {
    return session.serial(async () => {
      const peer = session.peer;
      if (!peer.canReceive || !this.#host.joined(session)) return;
      const wanted = wantedBy(this.#host, session, this.#standbyPoints);
      await repurpose(session, wanted);
      if (Date.now() - this.#switchedAt < STANDBY_AFTER_SWITCH_MS) withoutNewStandby(wanted, peer);
      for (const key of peer.consumerKeys()) {
        if (wanted.has(key)) continue;
        const consumerId = peer.closeConsumer(key);
        if (consumerId) session.sink.emit('media.consumerClosed', { consumerId });
      }
      for (const [key, want] of wanted) {
        if (peer.hasConsumer(key)) continue;
        const consumer = await peer.consume(key, want.producer, want.router, want.purpose);
        if (!consumer) continue;
        session.sink.emit('media.consumer', {
          consumerId: consumer.id,
          producerId: want.producer.id,
          transportId: peer.recvTransportId ?? '',
          kind: consumer.kind,
          rtpParameters: consumer.rtpParameters as RtpParameters,
          pointId: want.pointId,
          source: want.source,
          purpose: want.purpose,
        });
      }
    });
  }

  /** How many of the queue's first points are kept on standby (none when the hub runs without standby). */
  get #standbyPoints(): number {
    return this.#media.settings.standby === false ? 0 : STANDBY_POINTS;
  }

  #reconcileLogged(session: Session): void {
    this.#reconcile(session).catch((error: unknown) => session.logger.error({ err: error }, 'media reconcile failed'));
  }
}
