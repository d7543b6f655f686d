// What this client knows of its conference: the welcome's view, kept current by the hub's events, plus
// the records (questions, attendance, roll call, readiness, documents) from records.snapshot. Views read
// from here and re-draw on the store's change events; nothing here touches the DOM. Every change goes
// through one named `apply…` method, whether it came as a hub event or as the result of this client's own
// request, so views never write the store's fields. One clock `tick` (4 a second) drives every countdown.
import type { AgendaView, AttendanceView, DocumentView, QuestionView, ReadinessView, RollCallView } from '../shared/records.ts';
import type { ConferenceHeader, ConferenceStatus, ConferenceView, FloorView, PointView, Role } from '../shared/domain.ts';
import { DEFAULT_PROGRAMME, type ProgrammeView } from '../shared/programme.ts';
import type { EventPayload, RequestResult } from '../shared/protocol.ts';
import { Emitter } from './emitter.ts';
import type { Signal } from './net/signal.ts';

export type SessionSelf = EventPayload<'session.welcome'>['self'];
export type LinkState = 'connecting' | 'online' | 'offline' | 'ended';

type StoreEvents = {
  welcome: [];
  status: [ConferenceStatus];
  /** An organiser edited the conference in use: title, banner, floor length, categories (status follows too). */
  conference: [ConferenceHeader];
  points: [PointView | null];
  floor: [FloorView];
  warning: [{ pointId: string; secondsLeft: number }];
  agenda: [AgendaView];
  /** The programme changed: layout, banner message, sharing permission, gains. */
  programme: [ProgrammeView];
  questions: [QuestionView | null];
  attendance: [];
  rollcall: [];
  readiness: [];
  documents: [];
  levels: [];
  link: [LinkState];
  /** The display clock: countdowns, elapsed times and the header's time re-draw on it. */
  tick: [];
};

const TICK_MS = 250;

const EMPTY_AGENDA: AgendaView = { items: [], currentItemId: null, currentSince: null };

export class Store extends Emitter<StoreEvents> {
  self: SessionSelf | null = null;
  conference: ConferenceView | null = null;
  readonly points = new Map<string, PointView>();
  floor: FloorView = { pointId: null, since: 0, endsAt: null, queue: [] };
  agenda: AgendaView = EMPTY_AGENDA;
  programme: ProgrammeView = DEFAULT_PROGRAMME;
  readonly questions = new Map<string, QuestionView>();
  readonly attendance = new Map<string, AttendanceView>();
  rollCall: RollCallView | null = null;
  readonly readiness = new Map<string, ReadinessView>();
  documents: DocumentView[] = [];
  /** pointId → last audio level heard at the hub (dBov) and when. */
  readonly levels = new Map<string, { volume: number; at: number }>();
  link: LinkState = 'connecting';
  /** The length the host chose for the next grant (floor panel, wall, "answer now with the floor"); undefined: the default. */
  grantSeconds: number | undefined = undefined;
  /** Hub clock minus this clock, from readiness.ping (0 until measured). */
  clockOffsetMs = 0;

  constructor() {
    super();
    setInterval(() => this.emit('tick'), TICK_MS);
  }

  /** Whether this session's role passes a rule of shared/rules.ts (`store.may(controls)`). */
  may(rule: (role: Role) => boolean): boolean {
    return this.self !== null && rule(this.self.role);
  }

  get status(): ConferenceStatus {
    return this.conference?.status ?? 'scheduled';
  }

  /** The hub's time now, for countdowns. */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  point(pointId: string | null | undefined): PointView | undefined {
    return pointId ? this.points.get(pointId) : undefined;
  }

  pointName(pointId: string | null | undefined): string {
    return this.point(pointId)?.name ?? pointId ?? '';
  }

  get centralPointId(): string {
    return this.conference?.centralPointId ?? '';
  }

  /** Remote points in the order of the conference's list (every point but the central one). */
  remotePoints(): PointView[] {
    return [...this.points.values()].filter((p) => p.id !== this.centralPointId);
  }

  /** 1-based place of `pointId` in the floor queue, 0 when not queued. */
  queuePosition(pointId: string): number {
    return this.floor.queue.findIndex((r) => r.pointId === pointId) + 1;
  }

  /** The hub's clock against this one, as measured by the echoes after a welcome. */
  setClockOffset(offsetMs: number): void {
    this.clockOffsetMs = offsetMs;
  }

  /** The host's length for the next grant, as typed in the floor panel. */
  applyGrantSeconds(seconds: number | undefined): void {
    this.grantSeconds = seconds;
  }

  setLink(state: LinkState): void {
    if (this.link === state) return;
    this.link = state;
    this.emit('link', state);
  }

  reset(welcome: EventPayload<'session.welcome'>): void {
    this.self = welcome.self;
    this.conference = welcome.conference;
    this.points.clear();
    for (const p of welcome.conference.points) this.points.set(p.id, p);
    this.floor = welcome.conference.floor;
    this.agenda = welcome.conference.agenda ?? EMPTY_AGENDA;
    this.programme = welcome.conference.programme ?? DEFAULT_PROGRAMME;
    this.emit('welcome');
  }

  applySnapshot(snapshot: RequestResult<'records.snapshot'>): void {
    this.questions.clear();
    for (const q of snapshot.questions) this.questions.set(q.id, q);
    this.attendance.clear();
    for (const a of snapshot.attendance) this.attendance.set(a.pointId, a);
    this.rollCall = snapshot.rollCall;
    this.readiness.clear();
    for (const r of snapshot.readiness) this.readiness.set(r.pointId, r);
    this.documents = snapshot.documents;
    this.emit('questions', null);
    this.emit('attendance');
    this.emit('rollcall');
    this.emit('readiness');
    this.emit('documents');
  }

  applyStatus(status: ConferenceStatus): void {
    if (this.conference) this.conference = { ...this.conference, status };
    this.emit('status', status);
  }

  /** Merges an organiser's edit into the conference; views that draw on the status re-draw too (title, banner). */
  applyHeader(header: ConferenceHeader): void {
    if (!this.conference) return;
    this.conference = { ...this.conference, ...header };
    this.emit('conference', header);
    this.emit('status', this.conference.status);
  }

  applyPoint(point: PointView): void {
    this.points.set(point.id, point);
    this.emit('points', point);
  }

  applyFloor(floor: FloorView): void {
    this.floor = floor;
    this.emit('floor', floor);
  }

  applyAgenda(agenda: AgendaView): void {
    this.agenda = agenda;
    this.emit('agenda', agenda);
  }

  applyProgramme(programme: ProgrammeView): void {
    this.programme = programme;
    this.emit('programme', programme);
  }

  /** The gain (dB) every display applies to `pointId`'s sound. */
  gainDb(pointId: string): number {
    return this.programme.gains[pointId] ?? 0;
  }

  applyQuestion(question: QuestionView): void {
    this.questions.set(question.id, question);
    this.emit('questions', question);
  }

  applyAttendance(report: AttendanceView): void {
    this.attendance.set(report.pointId, report);
    this.emit('attendance');
  }

  applyRollCall(rollCall: RollCallView): void {
    this.rollCall = rollCall;
    this.emit('rollcall');
  }

  applyReadiness(view: ReadinessView): void {
    this.readiness.set(view.pointId, view);
    this.emit('readiness');
  }

  applyDocuments(documents: DocumentView[]): void {
    this.documents = documents;
    this.emit('documents');
  }

  applyLevels(levels: ReadonlyArray<{ pointId: string; volume: number }>): void {
    const at = Date.now();
    for (const { pointId, volume } of levels) this.levels.set(pointId, { volume, at });
    this.emit('levels');
  }

  /** Keeps the store current from the hub's events (once per connection object; it survives reconnects). */
  bind(signal: Signal): void {
    signal.on('conference.status', ({ status }) => this.applyStatus(status));
    signal.on('conference.updated', (header) => this.applyHeader(header));
    signal.on('point.updated', (point) => this.applyPoint(point));
    signal.on('floor.updated', (floor) => this.applyFloor(floor));
    signal.on('floor.warning', (info) => this.emit('warning', info));
    signal.on('programme.updated', (programme) => this.applyProgramme(programme));
    signal.on('agenda.updated', (agenda) => this.applyAgenda(agenda));
    signal.on('question.updated', (question) => this.applyQuestion(question));
    signal.on('attendance.updated', (report) => this.applyAttendance(report));
    signal.on('rollcall.updated', (rollCall) => this.applyRollCall(rollCall));
    signal.on('readiness.updated', (view) => this.applyReadiness(view));
    signal.on('documents.updated', ({ documents }) => this.applyDocuments(documents));
    signal.on('wall.levels', ({ levels }) => this.applyLevels(levels));
  }
}
