// A conference: its points, the sessions connected to it, the floor and the media rules. Every action
// takes the acting session and checks, here where it happens, that this session may do it (the socket
// layer has already checked the role against the protocol table).
import type { types } from 'mediasoup';
import type {
  ConferenceSpec,
  ConferenceStatus,
  ConferenceView,
  ConnectionState,
  MediaSource,
  PointSpec,
  PointView,
} from '../../shared/domain.ts';
import type { RtpCapabilities, RtpParameters, TransportInfo } from '../../shared/media.ts';
import type { EventName, EventPayload, RequestResult } from '../../shared/protocol.ts';
import type { Claims } from '../auth/credentials.ts';
import { conflict, forbidden, invalid, notFound } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { ConferenceMedia } from '../media/conference-media.ts';
import type { ConnectParams, ConsumerPurpose } from '../media/peer-media.ts';
import type { StoredConference } from '../store/conferences.ts';
import type { ConferenceStore } from '../store/conferences.ts';
import type { RecordStore } from '../store/records.ts';
import { Floor, type FloorCause } from './floor.ts';
import { ConferenceRecords } from './records.ts';
import { Session, type SessionSink } from './session.ts';

export interface ConferenceStores {
  conferences: ConferenceStore;
  records: RecordStore;
}

/** How long a point stays "reconnecting" after its connection drops before it counts as gone. */
const RECONNECT_GRACE_MS = 15_000;
const STATUS_ORDER: ConferenceStatus[] = ['draft', 'scheduled', 'rehearsal', 'live', 'ended'];

interface PointState {
  readonly spec: PointSpec;
  connection: ConnectionState;
  connectionSince: number | null;
  mutedByHost: { audio: boolean; video: boolean };
  /** The session that speaks for the point: host, co-host or technician. */
  representative: Session | undefined;
  goneTimer: NodeJS.Timeout | undefined;
}

interface Wanted {
  producer: types.Producer;
  router: types.Router;
  pointId: string;
  source: MediaSource;
  purpose: ConsumerPurpose;
}

export class Conference {
  readonly spec: ConferenceSpec;
  readonly records: ConferenceRecords;
  readonly #stores: ConferenceStores;
  readonly #media: ConferenceMedia;
  readonly #logger: Logger;
  readonly #floor: Floor;
  readonly #points = new Map<string, PointState>();
  readonly #sessions = new Map<string, Session>();
  /** Microphone producer id → point, for audio levels on the wall. */
  readonly #micOwners = new Map<string, string>();
  #status: ConferenceStatus;
  #closed = false;

  constructor(stored: StoredConference, stores: ConferenceStores, media: ConferenceMedia, logger: Logger) {
    const spec = stored.spec;
    this.spec = spec;
    this.#status = stored.status;
    this.#stores = stores;
    this.#media = media;
    this.#logger = logger.child({ conferenceId: spec.id });
    for (const point of spec.points) {
      this.#points.set(point.id, {
        spec: point,
        connection: 'never',
        connectionSince: null,
        mutedByHost: { audio: false, video: false },
        representative: undefined,
        goneTimer: undefined,
      });
    }
    this.#floor = new Floor({ defaultSeconds: spec.floorSeconds });
    if (stored.floor) this.#floor.restore(stored.floor);
    this.#floor.on('changed', (view, cause) => this.#onFloorChanged(view, cause));
    this.records = new ConferenceRecords(
      {
        spec,
        sessions: () => this.sessions(),
        grantFloor: (pointId, seconds, actor) => this.grantFloor(pointId, seconds, actor),
        assertPoint: (pointId) => void this.#point(pointId),
      },
      stores.records,
      { current: stored.agendaCurrent, since: stored.agendaSince },
    );
    this.#floor.on('warning', (info) => this.#broadcast('floor.warning', info));
    this.#media.on('levels', (levels) => this.#onLevels(levels));
    this.#media.on('routerlost', (router) => this.#onRouterLost(router));
    this.#media.on('routeradded', (router) => this.#onRouterAdded(router));
  }

  get id(): string {
    return this.spec.id;
  }

  get status(): ConferenceStatus {
    return this.#status;
  }

  view(): ConferenceView {
    const { id, title, organiser, startsAt, banner, floorSeconds, centralPointId, questionCategories } = this.spec;
    return {
      id,
      title,
      organiser,
      startsAt,
      status: this.#status,
      banner,
      floorSeconds,
      centralPointId,
      questionCategories,
      points: [...this.#points.keys()].map((p) => this.pointView(p)),
      floor: this.#floor.view(),
      agenda: this.records.agenda(),
    };
  }

  pointView(pointId: string): PointView {
    const point = this.#point(pointId);
    const peer = point.representative?.peer;
    return {
      ...point.spec,
      connection: point.connection,
      connectionSince: point.connectionSince,
      mutedByHost: { ...point.mutedByHost },
      publishing: { audio: peer?.producer('microphone') !== undefined, video: peer?.producer('camera') !== undefined },
    };
  }

  /** Adds points (bulk import); all or none, conflict on an id that exists. */
  addPoints(points: PointSpec[], actor: { pointId: string; role: Claims['role'] } | null): PointView[] {
    const ids = new Set(this.#points.keys());
    for (const p of points) {
      if (ids.has(p.id)) throw conflict(`point ${p.id} exists already`);
      ids.add(p.id);
    }
    for (const p of points) if (p.parentId !== null && !ids.has(p.parentId)) throw invalid(`point ${p.id}: unknown parent ${p.parentId}`);
    this.#stores.records.transaction(() => {
      this.#stores.conferences.addPoints(this.id, points);
      this.#stores.records.log(this.id, actor, 'points.import', { count: points.length });
    });
    for (const spec of points) {
      this.spec.points.push(spec);
      this.#points.set(spec.id, {
        spec,
        connection: 'never',
        connectionSince: null,
        mutedByHost: { audio: false, video: false },
        representative: undefined,
        goneTimer: undefined,
      });
    }
    const views = points.map((p) => this.pointView(p.id));
    for (const view of views) this.#broadcast('point.updated', view);
    return views;
  }

  /** Sessions connected now, for monitoring and tests. */
  sessions(): readonly Session[] {
    return [...this.#sessions.values()];
  }

  /** Where each role belongs: the host at the central point, co-hosts at central-side points, technicians and secretaries at the others. */
  assertRoleAtPoint(pointId: string, role: Claims['role']): void {
    const point = this.#point(pointId).spec;
    const central = point.id === this.spec.centralPointId;
    const ok =
      role === 'host'
        ? central
        : role === 'cohost'
          ? point.centralSide
          : role === 'technician' || role === 'secretary'
            ? !central && !point.centralSide
            : true;
    if (!ok) throw forbidden(`role ${role} does not belong at point ${point.id}`);
  }

  // --- Sessions -------------------------------------------------------------------------------------

  /** Admits a client whose credential names this conference; an older exclusive session is replaced. */
  async join(claims: Claims, token: string, sink: SessionSink): Promise<{ session: Session; welcome: EventPayload<'session.welcome'> }> {
    if (this.#closed) throw conflict('the conference is closed');
    if (this.#status === 'ended' && claims.role !== 'host') throw forbidden('the conference has ended');
    const point = this.#point(claims.pointId);
    this.assertRoleAtPoint(claims.pointId, claims.role);

    const peer = await this.#media.openPeer(this.#logger);
    const session = new Session(claims, sink, peer, this.#logger);
    this.#wirePeer(session);

    if (this.#representsPoint(claims.role)) {
      const previous = point.representative;
      if (previous) {
        previous.logger.info('replaced by a newer connection');
        this.leave(previous);
        previous.sink.end('replaced', 'Một kết nối mới của điểm cầu này đã thay thế kết nối này. (A newer connection for this point replaced this one.)');
      }
      clearTimeout(point.goneTimer);
      point.representative = session;
      this.#setConnection(point, 'connected');
    }
    this.#sessions.set(session.id, session);
    session.logger.info('session joined');
    // Its worker died while it was joining: the client gets the usual restart right after the welcome.
    if (peer.router.closed) setImmediate(() => void this.restartMedia(session, 'worker_died').catch(() => undefined));
    return {
      session,
      welcome: {
        self: { sessionId: session.id, conferenceId: this.id, pointId: claims.pointId, role: claims.role, token },
        conference: this.view(),
        routerRtpCapabilities: peer.router.rtpCapabilities as RtpCapabilities,
      },
    };
  }

  /** Removes a session and its media; safe to call twice. */
  leave(session: Session): void {
    if (!this.#sessions.delete(session.id)) return;
    session.peer.close();
    const point = this.#points.get(session.pointId);
    if (point && point.representative === session) {
      point.representative = undefined;
      this.#setConnection(point, 'reconnecting');
      point.goneTimer = setTimeout(() => {
        if (!point.representative) this.#setConnection(point, 'gone');
      }, RECONNECT_GRACE_MS);
      point.goneTimer.unref();
    }
    session.logger.info('session left');
  }

  // --- Media ----------------------------------------------------------------------------------------

  /**
   * Gives `session` fresh media at the hub (on a live worker) and tells its client to build its side
   * again: after its worker died, or on the client's own request. Floor, queue and records are untouched.
   */
  async restartMedia(session: Session, reason: 'worker_died' | 'requested'): Promise<void> {
    await session.serial(async () => {
      if (!this.#sessions.has(session.id)) return;
      const peer = await this.#media.openPeer(this.#logger);
      if (!this.#sessions.has(session.id)) {
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
    if (this.#points.get(session.pointId)?.representative === session) this.#broadcast('point.updated', this.pointView(session.pointId));
    // Consumers elsewhere of what this session produced are closed by the rules now.
    this.#reconcileAll();
  }

  async setCapabilities(session: Session, rtpCapabilities: RtpCapabilities): Promise<void> {
    session.peer.setCapabilities(rtpCapabilities);
    await this.#reconcile(session);
  }

  async createTransport(session: Session, direction: 'send' | 'recv', type: 'webrtc' | 'plain'): Promise<TransportInfo> {
    if (direction === 'send' && !this.#representsPoint(session.role)) throw forbidden('this role does not publish media');
    const info = await session.peer.createTransport(direction, type);
    if (direction === 'recv') this.#reconcileLogged(session);
    return info;
  }

  async connectTransport(session: Session, params: ConnectParams): Promise<void> {
    await session.peer.connect(params);
  }

  async produce(
    session: Session,
    params: { transportId: string; kind: types.MediaKind; source: MediaSource; rtpParameters: RtpParameters },
  ): Promise<{ producerId: string }> {
    const point = this.#point(session.pointId);
    if (point.representative !== session) throw forbidden('only the connection that represents the point publishes');
    if (params.source === 'screen' && session.role !== 'host') throw forbidden('only the host shares a screen');
    const paused = this.#shouldPause(point, params.source);
    const producer = await session.peer.produce(params.transportId, params.kind, params.source, params.rtpParameters, paused);
    if (params.source === 'microphone') {
      this.#micOwners.set(producer.id, point.spec.id);
      producer.observer.once('close', () => this.#micOwners.delete(producer.id));
      await this.#media.observeLevels(producer, session.peer.router);
    }
    await this.#media.pipeEverywhere(producer, session.peer.router);
    session.logger.info({ producerId: producer.id, source: params.source, paused }, 'producing');
    this.#broadcast('point.updated', this.pointView(point.spec.id));
    this.#reconcileAll();
    return { producerId: producer.id };
  }

  /** A point's own microphone level, relayed to the wall (its audio is paused at the hub off the floor). */
  reportLevel(session: Session, volume: number): void {
    if (this.#points.get(session.pointId)?.representative !== session) throw forbidden('only the connection that represents the point reports its level');
    this.#toModerators('wall.levels', { levels: [{ pointId: session.pointId, volume }] });
  }

  async resumeConsumer(session: Session, consumerId: string): Promise<void> {
    await session.peer.resumeConsumer(consumerId);
  }

  // --- Floor ----------------------------------------------------------------------------------------

  requestFloor(session: Session, note: string): number {
    this.#checkLive();
    if (session.pointId === this.spec.centralPointId) throw invalid('the central point does not ask for the floor');
    const position = this.#floor.request(session.pointId, note);
    this.#log(session, 'floor.request', { note });
    return position;
  }

  cancelFloor(session: Session): void {
    this.#floor.cancel(session.pointId);
    this.#log(session, 'floor.cancel', {});
  }

  grantFloor(pointId: string, seconds: number | undefined, actor: Session | null): RequestResult<'floor.grant'> {
    this.#checkLive();
    this.#remotePoint(pointId);
    this.#floor.grant(pointId, seconds);
    this.#log(actor, 'floor.grant', { pointId, seconds: seconds ?? this.spec.floorSeconds });
    return this.#floor.view();
  }

  revokeFloor(actor: Session | null): RequestResult<'floor.revoke'> {
    const pointId = this.#floor.holder;
    this.#floor.revoke();
    this.#log(actor, 'floor.revoke', { pointId });
    return this.#floor.view();
  }

  extendFloor(seconds: number, actor: Session | null): RequestResult<'floor.extend'> {
    this.#floor.extend(seconds);
    this.#log(actor, 'floor.extend', { pointId: this.#floor.holder, seconds });
    return this.#floor.view();
  }

  reorderFloor(pointId: string, position: number, actor: Session | null): RequestResult<'floor.reorder'> {
    this.#floor.reorder(pointId, position);
    this.#log(actor, 'floor.reorder', { pointId, position });
    return this.#floor.view();
  }

  dropFloorRequest(pointId: string, actor: Session | null): RequestResult<'floor.drop'> {
    this.#floor.drop(pointId);
    this.#log(actor, 'floor.drop', { pointId });
    return this.#floor.view();
  }

  gotoAgenda(session: Session, itemId: string | null): RequestResult<'agenda.goto'> {
    return this.records.gotoAgenda(session, itemId, (current, since) => this.#stores.conferences.saveAgenda(this.id, current, since));
  }

  /** 1-based position of a point in the queue, 0 when not queued. */
  floorPosition(pointId: string): number {
    return this.#floor.position(pointId);
  }

  // --- Host controls --------------------------------------------------------------------------------

  /** Host mute at the server: the point's producer is paused and the point cannot resume it. */
  async mute(pointId: string, kind: types.MediaKind, muted: boolean, actor: Session | null): Promise<PointView> {
    const point = this.#remotePoint(pointId);
    point.mutedByHost[kind] = muted;
    await this.#applyPauses(point);
    const view = this.pointView(pointId);
    this.#broadcast('point.updated', view);
    this.#log(actor, 'point.mute', { pointId, kind, muted });
    return view;
  }

  setStatus(status: ConferenceStatus, actor: Session | null): void {
    const from = STATUS_ORDER.indexOf(this.#status);
    const to = STATUS_ORDER.indexOf(status);
    if (this.#status === 'ended' || to < from || (to === from && status !== this.#status)) {
      throw conflict(`cannot go from ${this.#status} to ${status}`);
    }
    if (to === from) return;
    this.#stores.records.transaction(() => {
      this.#stores.conferences.saveStatus(this.id, status);
      this.#log(actor, 'conference.status', { from: this.#status, to: status });
    });
    this.#status = status;
    this.#broadcast('conference.status', { status });
    if (status === 'ended') {
      if (this.#floor.holder) this.revokeFloor(actor);
      for (const session of this.sessions()) {
        if (session.role === 'host') continue;
        this.leave(session);
        session.sink.end('conference_ended', 'Hội nghị đã kết thúc. (The conference has ended.)');
      }
    }
  }

  /** Ends every session and closes the media. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#floor.close();
    this.records.close();
    for (const session of this.sessions()) {
      this.leave(session);
      session.sink.end('shutdown', 'Máy chủ đang dừng. (The hub is shutting down.)');
    }
    for (const point of this.#points.values()) clearTimeout(point.goneTimer);
    await this.#media.close();
  }

  // --- Internals ------------------------------------------------------------------------------------

  #point(pointId: string): PointState {
    const point = this.#points.get(pointId);
    if (!point) throw notFound(`no point ${pointId} in this conference`);
    return point;
  }

  /** A point the host can act on: any but the main central point. */
  #remotePoint(pointId: string): PointState {
    if (pointId === this.spec.centralPointId) throw invalid('the central point is the centre itself');
    return this.#point(pointId);
  }

  #representsPoint(role: Claims['role']): boolean {
    return role === 'host' || role === 'cohost' || role === 'technician';
  }

  #checkLive(): void {
    if (this.#status === 'ended') throw conflict('the conference has ended');
  }

  /** Writes a control action to the event log (and the process log). */
  #log(actor: Session | null, action: string, detail: Record<string, unknown>): void {
    this.#stores.records.log(this.id, actor ? { pointId: actor.pointId, role: actor.role } : null, action, detail);
    (actor?.logger ?? this.#logger).info({ action, ...detail }, 'control action');
  }

  #setConnection(point: PointState, state: ConnectionState): void {
    if (point.connection === state) return;
    point.connection = state;
    point.connectionSince = Date.now();
    this.#stores.records.saveConnection(this.id, point.spec.id, state, point.connectionSince);
    this.#broadcast('point.updated', this.pointView(point.spec.id));
  }

  /** A remote point's microphone is open only while it holds the floor; host mutes hold regardless. */
  #shouldPause(point: PointState, source: MediaSource): boolean {
    if (source === 'microphone') {
      const gated = point.spec.id !== this.spec.centralPointId && this.#floor.holder !== point.spec.id;
      return gated || point.mutedByHost.audio;
    }
    return source === 'camera' && point.mutedByHost.video;
  }

  async #applyPauses(point: PointState): Promise<void> {
    const peer = point.representative?.peer;
    if (!peer) return;
    for (const source of ['microphone', 'camera'] as const) {
      const producer = peer.producer(source);
      if (!producer || producer.closed) continue;
      const pause = this.#shouldPause(point, source);
      try {
        if (pause && !producer.paused) await producer.pause();
        else if (!pause && producer.paused) await producer.resume();
      } catch (error) {
        // A producer closed meanwhile (its point left) needs no pausing; anything else is a real failure.
        if (!producer.closed) throw error;
      }
    }
  }

  #onFloorChanged(view: EventPayload<'floor.updated'>, cause: FloorCause): void {
    this.#stores.conferences.saveFloor(this.id, view);
    if (cause === 'expire') this.#log(null, 'floor.expire', {});
    this.#broadcast('floor.updated', view);
    if (cause === 'request' || cause === 'cancel' || cause === 'reorder' || cause === 'drop' || cause === 'extend') return;
    void Promise.all([...this.#points.values()].map((p) => this.#applyPauses(p)))
      .then(() => this.#reconcileAll())
      .catch((error: unknown) => this.#logger.error({ err: error }, 'floor switch failed'));
  }

  #wirePeer(session: Session): void {
    const peer = session.peer;
    peer.on('consumerclosed', (_key, consumerId) => {
      if (session.peer === peer) session.sink.emit('media.consumerClosed', { consumerId });
    });
  }

  /** A worker died: every session whose media lived on it starts over on a live worker. */
  #onRouterLost(router: types.Router): void {
    const affected = this.sessions().filter((s) => s.peer.router === router);
    this.#logger.warn({ routerId: router.id, sessions: affected.length }, 'restarting the media of sessions on a dead worker');
    for (const session of affected) {
      this.restartMedia(session, 'worker_died').catch((error: unknown) => session.logger.error({ err: error }, 'media restart failed'));
    }
    this.#reconcileAll();
  }

  /** A replacement worker has its router: pipe every producer there ahead of its consumers (see pipeEverywhere). */
  #onRouterAdded(router: types.Router): void {
    for (const session of this.#sessions.values()) {
      for (const source of ['microphone', 'camera', 'screen'] as const) {
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
    for (const session of this.#sessions.values()) {
      if (session.role === 'host' || session.role === 'cohost') session.sink.emit(event, payload);
    }
  }

  #broadcast<K extends EventName>(event: K, payload: EventPayload<K>): void {
    for (const session of this.#sessions.values()) session.sink.emit(event, payload);
  }

  /** What `session` should be receiving now, by consumer key. */
  #wanted(session: Session): Map<string, Wanted> {
    const wanted = new Map<string, Wanted>();
    const add = (pointId: string, source: MediaSource, purpose: ConsumerPurpose): void => {
      const publisher = this.#points.get(pointId)?.representative;
      const producer = publisher?.peer.producer(source);
      if (!publisher || !producer || producer.closed) return;
      wanted.set(`${purpose}:${producer.id}`, { producer, router: publisher.peer.router, pointId, source, purpose });
    };
    const self = session.pointId;
    const centre = this.spec.centralPointId;
    if (self !== centre) for (const source of ['camera', 'microphone', 'screen'] as const) add(centre, source, 'programme');
    const holder = this.#floor.holder;
    if (holder && holder !== self) {
      add(holder, 'camera', 'stage');
      add(holder, 'microphone', 'stage');
    } else if (holder && session.role === 'viewer') {
      // The room display of the speaking point shows its own speaker large, but never plays the sound
      // back into the hall it comes from.
      add(holder, 'camera', 'stage');
    }
    if (session.role === 'host' || session.role === 'cohost') {
      for (const pointId of this.#points.keys()) if (pointId !== centre && pointId !== self) add(pointId, 'camera', 'wall');
    }
    return wanted;
  }

  /** Brings `session`'s consumers in line with #wanted: closes the extra ones, offers the missing ones. */
  #reconcile(session: Session): Promise<void> {
    return session.serial(async () => {
      const peer = session.peer;
      if (!peer.canReceive || !this.#sessions.has(session.id)) return;
      const wanted = this.#wanted(session);
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

  #reconcileLogged(session: Session): void {
    this.#reconcile(session).catch((error: unknown) => session.logger.error({ err: error }, 'media reconcile failed'));
  }

  #reconcileAll(): void {
    for (const session of this.#sessions.values()) this.#reconcileLogged(session);
  }
}
