// A conference: its points, the sessions connected to it, its status and its lifecycle. Three parts own the rest, each seeing the
// conference through a narrow host interface: the floor (FloorControl), the media rules (MediaRouting) and the records (ConferenceRecords).
// Every action takes the acting session and checks, here where it happens, that this session may do it (the socket layer has already
// checked the role against the protocol table). Every change goes one way: check → one transaction (state row and event-log row) → apply in
// memory → broadcast → media work.
import type { types } from 'mediasoup';
import type { ConferenceSpec, ConferenceStatus, ConferenceView, ConnectionState, PointSpec, PointView } from '../../shared/domain.ts';
import type { Actor } from '../../shared/event-log.ts';
import type { RtpCapabilities } from '../../shared/media.ts';
import type { AgendaView } from '../../shared/records.ts';
import type { EventName, EventPayload } from '../../shared/protocol.ts';
import { isPublisher, LIMITS, roleBelongsAt } from '../../shared/rules.ts';
import type { Claims } from '../auth/credentials.ts';
import { refuse } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { ConferenceMedia } from '../media/conference-media.ts';
import type { BackchannelStore } from '../store/backchannel.ts';
import type { ConferenceStore, Mutes, StoredConference } from '../store/conferences.ts';
import type { ProgrammeStore } from '../store/programme.ts';
import type { RecordStore } from '../store/records.ts';
import { Backchannel } from './backchannel.ts';
import { FloorControl } from './floor-control.ts';
import { MediaRouting } from './media-routing.ts';
import { Programme } from './programme.ts';
import { ConferenceRecords } from './records.ts';
import { actorOf, Session, type SessionSink } from './session.ts';
import { Talkback } from './talkback.ts';

export interface ConferenceStores {
  conferences: ConferenceStore;
  records: RecordStore;
  backchannel: BackchannelStore;
  programme: ProgrammeStore;
}

const STATUS_ORDER: ConferenceStatus[] = ['draft', 'scheduled', 'rehearsal', 'live', 'ended'];

interface PointState {
  readonly spec: PointSpec;
  connection: ConnectionState;
  connectionSince: number | null;
  mutedByHost: Mutes;
  /** The session that speaks for the point: host, co-host or technician. */
  representative: Session | undefined;
  goneTimer: NodeJS.Timeout | undefined;
}

export class Conference {
  readonly spec: ConferenceSpec;
  readonly records: ConferenceRecords;
  readonly floor: FloorControl;
  readonly media: MediaRouting;
  readonly backchannel: Backchannel;
  readonly talkback: Talkback;
  readonly programme: Programme;
  /** Parts kept by the hub (the recording) follow the status through these, after the change is stored and sent. */
  readonly statusListeners = new Set<(status: ConferenceStatus) => void>();
  readonly #stores: ConferenceStores;
  readonly #logger: Logger;
  readonly #points = new Map<string, PointState>();
  readonly #sessions = new Map<string, Session>();
  #status: ConferenceStatus;
  #closed = false;

  constructor(stored: StoredConference, stores: ConferenceStores, media: ConferenceMedia, logger: Logger) {
    const spec = stored.spec;
    this.spec = spec;
    this.#status = stored.status;
    this.#stores = stores;
    this.#logger = logger.child({ conferenceId: spec.id });
    for (const point of spec.points) this.#addPoint(point, stored);
    this.media = new MediaRouting(
      {
        spec,
        sessions: () => this.sessions(),
        joined: (session) => this.#sessions.get(session.id) === session,
        representative: (pointId) => this.#points.get(pointId)?.representative,
        mutedByHost: (pointId) => this.#points.get(pointId)?.mutedByHost ?? { audio: false, video: false },
        floorHolder: () => this.floor.holder,
        pointChanged: (pointId) => this.#broadcast('point.updated', this.pointView(pointId)),
        talkback: () => this.talkback.view(),
        pointSharing: () => this.programme.pointSharing,
        floorQueue: () => this.floor.view().queue.map((r) => r.pointId),
      },
      media,
      this.#logger,
    );
    this.floor = new FloorControl(
      {
        spec,
        status: () => this.#status,
        assertRemotePoint: (pointId) => void this.#remotePoint(pointId),
        isConnected: (pointId) => this.#points.get(pointId)?.representative !== undefined,
        broadcast: (event, payload) => this.#broadcast(event, payload),
        speakerChanged: () => {
          this.talkback.floorChanged(this.floor.holder);
          this.media.speakerChanged();
        },
        queueChanged: () => this.media.queueChanged(),
      },
      stores,
      stored.floor,
      this.#logger,
    );
    const programmeHost = { spec, broadcast: this.#broadcast.bind(this), stopScreens: this.media.stopScreens.bind(this.media) };
    this.programme = new Programme(programmeHost, stores.programme, stores.records);
    this.backchannel = new Backchannel({ spec, sessions: () => this.sessions() }, stores.backchannel, stores.records);
    this.talkback = new Talkback(
      {
        spec,
        sessions: () => this.sessions(),
        connected: (pointId) => this.#points.get(pointId)?.representative !== undefined,
        floorHolder: () => this.floor.holder,
        mediaChanged: (pointIds) => this.media.talkbackChanged(pointIds),
      },
      stores.records,
    );
    this.records = new ConferenceRecords(
      {
        spec,
        sessions: () => this.sessions(),
        grantFloor: (pointId, seconds, actor) => this.floor.grant(pointId, seconds, actor),
        floorHolder: () => this.floor.holder,
        revokeFloor: (actor) => void this.floor.revoke(actor),
      },
      stores.records,
      { current: stored.agendaCurrent, since: stored.agendaSince },
    );
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
      floor: this.floor.view(),
      agenda: this.records.agenda(),
      programme: this.programme.view(),
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
  addPoints(points: PointSpec[], actor: Actor): PointView[] {
    const ids = new Set(this.#points.keys());
    for (const p of points) {
      if (ids.has(p.id)) throw refuse('point.exists', { pointId: p.id }, `point ${p.id} exists already`);
      ids.add(p.id);
    }
    for (const p of points) {
      if (p.parentId !== null && !ids.has(p.parentId)) {
        throw refuse('point.unknown_parent', { pointId: p.id, parentId: p.parentId }, `point ${p.id}: unknown parent ${p.parentId}`);
      }
    }
    this.#stores.records.transaction(() => {
      this.#stores.conferences.addPoints(this.id, points);
      this.#stores.records.log(this.id, actor, 'points.import', { count: points.length });
    });
    for (const spec of points) {
      this.spec.points.push(spec);
      this.#addPoint(spec, null);
    }
    const views = points.map((p) => this.pointView(p.id));
    for (const view of views) this.#broadcast('point.updated', view);
    return views;
  }

  /** Takes in a point already stored and in `spec.points` (an organiser's edit in use: editing.ts). */
  openPoint = (spec: PointSpec): void => this.#addPoint(spec, null);

  /** Sessions connected now, for monitoring and tests. */
  sessions(): readonly Session[] {
    return [...this.#sessions.values()];
  }

  /** Refuses unless `role` belongs at point `pointId` (shared/rules.ts). */
  assertRoleAtPoint(pointId: string, role: Claims['role']): void {
    if (!roleBelongsAt(role, this.#point(pointId).spec, this.spec.centralPointId)) {
      throw refuse('role.wrong_point', { role, pointId }, `role ${role} does not belong at point ${pointId}`);
    }
  }

  // --- Sessions -------------------------------------------------------------------------------------

  /** Admits a client whose credential names this conference; an older exclusive session is replaced. */
  async join(claims: Claims, token: string, sink: SessionSink): Promise<{ session: Session; welcome: EventPayload<'session.welcome'> }> {
    if (this.#closed) throw refuse('join.conference_closed', {}, 'the conference is closed');
    if (this.#status === 'ended' && claims.role !== 'host') throw refuse('join.conference_ended', {}, 'the conference has ended');
    const point = this.#point(claims.pointId);
    this.assertRoleAtPoint(claims.pointId, claims.role);

    const peer = await this.media.openPeer();
    const session = new Session(claims, sink, peer, this.#logger);
    this.media.attach(session);

    if (isPublisher(claims.role)) {
      const previous = point.representative;
      if (previous) {
        previous.logger.info('replaced by a newer connection');
        this.leave(previous);
        previous.sink.end('replaced');
      }
      clearTimeout(point.goneTimer);
      point.representative = session;
      this.#setConnection(point, 'connected');
    }
    this.#sessions.set(session.id, session);
    session.logger.info('session joined');
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
    this.talkback.sessionLeft(session, this.#points.get(session.pointId)?.representative === session);
    const point = this.#points.get(session.pointId);
    if (point && point.representative === session) {
      point.representative = undefined;
      if (this.#status === 'ended') return void session.logger.info('session left');
      this.#setConnection(point, 'reconnecting');
      this.#startGoneTimer(point);
    }
    session.logger.info('session left');
  }

  // --- Host controls --------------------------------------------------------------------------------

  /** Moves the agenda: the records part stores the position (through the conference's row) with its log row. */
  gotoAgenda(session: Session, itemId: string | null): AgendaView {
    return this.records.gotoAgenda(session, itemId, (current, since) => this.#stores.conferences.saveAgenda(this.id, current, since));
  }

  /** Host mute at the server: the point's producer is paused and the point cannot resume it. */
  async mute(pointId: string, kind: types.MediaKind, muted: boolean, actor: Session | null): Promise<PointView> {
    const point = this.#remotePoint(pointId);
    const mutes = { ...point.mutedByHost, [kind]: muted };
    this.#stores.records.transaction(() => {
      this.#stores.conferences.saveMutes(this.id, pointId, mutes);
      this.#stores.records.log(this.id, actorOf(actor), 'point.mute', { pointId, kind, muted });
    });
    point.mutedByHost = mutes;
    this.#logAction(actor, 'point.mute', { pointId, kind, muted });
    const view = this.pointView(pointId);
    this.#broadcast('point.updated', view);
    // The setting is stored and announced; its producer follows (a failure here is the media's, logged).
    await this.media.applyPauses(pointId).catch((error: unknown) => this.#logger.error({ err: error, pointId }, 'host mute not applied'));
    return view;
  }

  setStatus(status: ConferenceStatus, actor: Session | null): void {
    const from = this.#status;
    const order = (s: ConferenceStatus): number => STATUS_ORDER.indexOf(s);
    if (from === 'ended' || order(status) < order(from)) {
      throw refuse('conference.status_order', { from, to: status }, `cannot go from ${from} to ${status}`);
    }
    if (status === from) return;
    this.#stores.records.transaction(() => {
      this.#stores.conferences.saveStatus(this.id, status);
      this.#stores.records.log(this.id, actorOf(actor), 'conference.status', { from, to: status });
    });
    this.#status = status;
    this.#logAction(actor, 'conference.status', { from, to: status });
    this.#broadcast('conference.status', { status });
    // Going live sets the rehearsal aside (its open questions dismissed as rehearsal, the floor back at the centre
    // with an empty queue), each its own change with its log row, so the live queue starts clean.
    if (from === 'rehearsal' && status === 'live') {
      this.records.questions.setAside(actor);
      this.floor.setAside(actor);
    }
    for (const listener of this.statusListeners) listener(status);
    if (status !== 'ended') return;
    // Ending is its own change; the floor's return to the centre is another, stored and logged as such.
    if (this.floor.holder) this.floor.revoke(actor);
    this.records.rollCall.closeOpen(actor);
    for (const session of this.sessions()) {
      if (session.role === 'host') continue;
      this.leave(session);
      session.sink.end('conference_ended');
    }
    // Every point ends with the conference: 'ended' (not a drop) on the consoles and in the report.
    for (const point of this.#points.values()) {
      clearTimeout(point.goneTimer);
      this.#setConnection(point, 'ended');
    }
  }

  /** Ends every session and closes the media. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.floor.close();
    this.records.close();
    for (const session of this.sessions()) {
      this.leave(session);
      session.sink.end('shutdown');
    }
    for (const point of this.#points.values()) clearTimeout(point.goneTimer);
    await this.media.close();
  }

  // --- Internals ------------------------------------------------------------------------------------

  /**
   * A point as stored: its host mutes, and its connection as it was when the hub stopped. A point that was
   * connected then is reconnecting now (its clients come back by themselves), and gone after the grace.
   */
  #addPoint(spec: PointSpec, stored: StoredConference | null): void {
    const last = stored?.connections[spec.id];
    const point: PointState = {
      spec,
      connection: last ? (last.state === 'gone' || last.state === 'ended' ? last.state : 'reconnecting') : 'never',
      connectionSince: last?.at ?? null,
      mutedByHost: { audio: false, video: false, ...stored?.mutes[spec.id] },
      representative: undefined,
      goneTimer: undefined,
    };
    this.#points.set(spec.id, point);
    if (last && last.state !== 'gone' && last.state !== 'ended') {
      if (last.state === 'connected') this.#recordConnection(point, 'reconnecting');
      this.#startGoneTimer(point);
    }
  }

  #point(pointId: string): PointState {
    const point = this.#points.get(pointId);
    if (!point) throw refuse('point.unknown', { pointId }, `no point ${pointId} in this conference`);
    return point;
  }

  /** A point the host can act on: any but the main central point. */
  #remotePoint(pointId: string): PointState {
    if (pointId === this.spec.centralPointId) throw refuse('point.is_centre', { pointId }, 'the central point is the centre itself');
    return this.#point(pointId);
  }

  /** The process log's line for a control action (the event log has its row already). */
  #logAction(actor: Session | null, action: string, detail: Record<string, unknown>): void {
    (actor?.logger ?? this.#logger).info({ action, ...detail }, 'control action');
  }

  #setConnection(point: PointState, state: ConnectionState): void {
    // After the end a point stays 'ended' whoever joins or leaves (the host may still look at the console).
    if (point.connection === state || (this.#status === 'ended' && state !== 'ended')) return;
    this.#recordConnection(point, state);
    this.#broadcast('point.updated', this.pointView(point.spec.id));
  }

  #recordConnection(point: PointState, state: ConnectionState): void {
    point.connection = state;
    point.connectionSince = Date.now();
    this.#stores.records.saveConnection(this.id, point.spec.id, state, point.connectionSince);
  }

  #startGoneTimer(point: PointState): void {
    clearTimeout(point.goneTimer);
    point.goneTimer = setTimeout(() => {
      if (!point.representative) this.#setConnection(point, 'gone');
    }, LIMITS.reconnectGraceMs);
    point.goneTimer.unref();
  }

  #broadcast<K extends EventName>(event: K, payload: EventPayload<K>): void {
    for (const session of this.#sessions.values()) session.sink.emit(event, payload);
  }
}
