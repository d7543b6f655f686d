// Everything around the video for one conference: the moderated question queue, attendance and roll
// call, readiness tests, the agenda and documents. Each change is stored (in one transaction where
// several rows move together), written to the event log and sent to the sessions entitled to see it.
import { randomUUID } from 'node:crypto';
import type { ConferenceSpec } from '../../shared/domain.ts';
import type { EventName, EventPayload, RequestParams, RequestResult } from '../../shared/protocol.ts';
import type {
  AgendaView,
  AttendanceView,
  DocumentView,
  QuestionStats,
  QuestionView,
  ReadinessMeasurement,
  ReadinessView,
  RollCallView,
} from '../../shared/records.ts';
import { conflict, forbidden, invalid, notFound } from '../errors.ts';
import type { RecordStore } from '../store/records.ts';
import type { Session } from './session.ts';

/** What the records need from their conference. */
export interface RecordsHost {
  readonly spec: ConferenceSpec;
  sessions(): readonly Session[];
  grantFloor(pointId: string, seconds: number | undefined, actor: Session): void;
  assertPoint(pointId: string): void;
}

const isModerator = (s: Session): boolean => s.role === 'host' || s.role === 'cohost';
const OPEN: ReadonlySet<QuestionView['status']> = new Set(['submitted', 'queued', 'answering']);

export class ConferenceRecords {
  readonly #host: RecordsHost;
  readonly #store: RecordStore;
  readonly #questions = new Map<string, QuestionView>();
  #agenda: AgendaView;
  #rollCallTimer: NodeJS.Timeout | undefined;

  constructor(host: RecordsHost, store: RecordStore, agenda: { current: string | null; since: number | null }) {
    this.#host = host;
    this.#store = store;
    for (const q of store.questions(this.#id)) this.#questions.set(q.id, q);
    this.#agenda = { items: host.spec.agenda, currentItemId: agenda.current, currentSince: agenda.since };
  }

  get #id(): string {
    return this.#host.spec.id;
  }

  // --- Questions ---------------------------------------------------------------------------------------

  submit(session: Session, p: RequestParams<'question.submit'> & { unit: string }): QuestionView {
    this.#checkCategory(p.category);
    const now = Date.now();
    const question: QuestionView = {
      id: randomUUID(),
      pointId: session.pointId,
      asker: p.asker,
      unit: p.unit,
      category: p.category,
      text: p.text,
      status: 'submitted',
      position: null,
      answerMode: null,
      answer: null,
      dismissReason: null,
      mergedInto: null,
      createdAt: now,
      updatedAt: now,
    };
    return this.#commit(session, 'question.submit', [question], { questionId: question.id, category: p.category })[0] as QuestionView;
  }

  edit(session: Session, p: RequestParams<'question.edit'>): QuestionView {
    const q = this.#question(p.questionId);
    if (q.pointId !== session.pointId) throw forbidden('a point edits only its own questions');
    if (q.status !== 'submitted') throw conflict('the question is already being moderated');
    if (p.category !== undefined) this.#checkCategory(p.category);
    const next = { ...q };
    if (p.asker !== undefined) next.asker = p.asker;
    if (p.unit !== undefined) next.unit = p.unit;
    if (p.category !== undefined) next.category = p.category;
    if (p.text !== undefined) next.text = p.text;
    return this.#commit(session, 'question.edit', [next], { questionId: q.id })[0] as QuestionView;
  }

  list(session: Session, filter: RequestParams<'question.list'>): QuestionView[] {
    if (!isModerator(session) && filter.pointId !== undefined && filter.pointId !== session.pointId) {
      throw forbidden("a point sees only its own questions");
    }
    const pointId = isModerator(session) ? filter.pointId : session.pointId;
    return [...this.#questions.values()].filter(
      (q) =>
        (pointId === undefined || q.pointId === pointId) &&
        (filter.status === undefined || q.status === filter.status) &&
        (filter.category === undefined || q.category === filter.category),
    );
  }

  stats(): QuestionStats {
    const stats: QuestionStats = { byStatus: {}, byCategory: {}, byPoint: {} };
    for (const q of this.#questions.values()) {
      stats.byStatus[q.status] = (stats.byStatus[q.status] ?? 0) + 1;
      stats.byCategory[q.category] = (stats.byCategory[q.category] ?? 0) + 1;
      stats.byPoint[q.pointId] = (stats.byPoint[q.pointId] ?? 0) + 1;
    }
    return stats;
  }

  accept(session: Session, questionId: string): QuestionView {
    const q = this.#question(questionId);
    if (q.status !== 'submitted') throw conflict(`a ${q.status} question cannot be accepted`);
    const queue = this.#queue();
    const accepted = { ...q, status: 'queued' as const, position: queue.length + 1 };
    return this.#commit(session, 'question.accept', [accepted], { questionId })[0] as QuestionView;
  }

  reorder(session: Session, questionId: string, position: number): QuestionView {
    const q = this.#question(questionId);
    if (q.status !== 'queued') throw conflict('only queued questions have a place in the queue');
    const queue = this.#queue().filter((x) => x.id !== questionId);
    queue.splice(Math.min(position - 1, queue.length), 0, q);
    const changed = this.#commit(session, 'question.reorder', this.#renumber(queue), { questionId, position });
    return changed.find((x) => x.id === questionId) ?? this.#question(questionId);
  }

  categorise(session: Session, questionId: string, category: string): QuestionView {
    const q = this.#question(questionId);
    this.#checkCategory(category);
    if (!OPEN.has(q.status)) throw conflict(`a ${q.status} question is closed`);
    return this.#commit(session, 'question.categorise', [{ ...q, category }], { questionId, category })[0] as QuestionView;
  }

  merge(session: Session, questionId: string, intoId: string): QuestionView {
    if (questionId === intoId) throw invalid('a question cannot be merged into itself');
    const q = this.#question(questionId);
    const into = this.#question(intoId);
    if (!OPEN.has(q.status)) throw conflict(`a ${q.status} question is closed`);
    if (into.status === 'merged' || into.status === 'dismissed') throw conflict(`cannot merge into a ${into.status} question`);
    return this.#close(session, 'question.merge', { ...q, status: 'merged', mergedInto: intoId }, { questionId, intoId });
  }

  answering(session: Session, p: { questionId: string; giveFloor: boolean; seconds?: number | undefined }): QuestionView {
    const q = this.#question(p.questionId);
    if (q.status !== 'submitted' && q.status !== 'queued') throw conflict(`a ${q.status} question cannot be taken up`);
    if (p.giveFloor) {
      if (session.role !== 'host') throw forbidden('only the host gives the floor');
      this.#host.grantFloor(q.pointId, p.seconds, session);
    }
    return this.#close(session, 'question.answering', { ...q, status: 'answering' }, { questionId: q.id, giveFloor: p.giveFloor });
  }

  answered(session: Session, p: RequestParams<'question.answered'>): QuestionView {
    const q = this.#question(p.questionId);
    if (!OPEN.has(q.status)) throw conflict(`a ${q.status} question is closed`);
    const next = { ...q, status: 'answered' as const, answerMode: p.mode, answer: p.mode === 'written' ? (p.answer ?? '') : (p.answer ?? null) };
    return this.#close(session, 'question.answered', next, { questionId: q.id, mode: p.mode });
  }

  dismiss(session: Session, questionId: string, reason: string): QuestionView {
    const q = this.#question(questionId);
    if (!OPEN.has(q.status)) throw conflict(`a ${q.status} question is closed`);
    return this.#close(session, 'question.dismiss', { ...q, status: 'dismissed', dismissReason: reason }, { questionId, reason });
  }

  #question(id: string): QuestionView {
    const q = this.#questions.get(id);
    if (!q) throw notFound('no such question in this conference');
    return q;
  }

  #checkCategory(category: string): void {
    if (!this.#host.spec.questionCategories.includes(category)) throw invalid(`unknown category "${category}"`);
  }

  #queue(): QuestionView[] {
    return [...this.#questions.values()].filter((q) => q.status === 'queued').sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  }

  /** Gives `queue` positions 1..n; returns the questions whose position changed. */
  #renumber(queue: QuestionView[]): QuestionView[] {
    return queue.flatMap((q, i) => (q.position === i + 1 ? [] : [{ ...q, position: i + 1 }]));
  }

  /** Takes a question out of the queue into `next`'s status, closing the gap it leaves. */
  #close(session: Session, action: string, next: QuestionView, detail: Record<string, unknown>): QuestionView {
    const rest = this.#queue().filter((q) => q.id !== next.id);
    return this.#commit(session, action, [{ ...next, position: null }, ...this.#renumber(rest)], detail)[0] as QuestionView;
  }

  /** Stores the changed questions and the event in one transaction, then tells who may see them. */
  #commit(session: Session, action: string, changed: QuestionView[], detail: Record<string, unknown>): QuestionView[] {
    const now = Date.now();
    const stamped = changed.map((q) => ({ ...q, updatedAt: now }));
    this.#store.transaction(() => {
      for (const q of stamped) this.#store.saveQuestion(this.#id, q);
      this.#store.log(this.#id, { pointId: session.pointId, role: session.role }, action, detail);
    });
    for (const q of stamped) {
      this.#questions.set(q.id, q);
      this.#emit('question.updated', q, (s) => isModerator(s) || ((s.role === 'technician' || s.role === 'secretary') && s.pointId === q.pointId));
    }
    return stamped;
  }

  // --- Attendance and roll call ------------------------------------------------------------------------

  reportAttendance(session: Session, present: number, groups: Record<string, number>): AttendanceView {
    const attendance: AttendanceView = { pointId: session.pointId, present, groups, reportedAt: Date.now() };
    this.#store.transaction(() => {
      this.#store.saveAttendance(this.#id, attendance);
      this.#store.log(this.#id, { pointId: session.pointId, role: session.role }, 'attendance.report', { present, groups });
    });
    this.#emit('attendance.updated', attendance, (s) => isModerator(s) || s.pointId === session.pointId);
    return attendance;
  }

  startRollCall(session: Session, seconds: number): RollCallView {
    const current = this.#store.lastRollCall(this.#id);
    if (current?.open) throw conflict('a roll call is already open');
    const id = randomUUID();
    const now = Date.now();
    this.#store.transaction(() => {
      this.#store.startRollCall(this.#id, id, now, now + seconds * 1000);
      this.#store.log(this.#id, { pointId: session.pointId, role: session.role }, 'rollcall.start', { rollCallId: id, seconds });
    });
    clearTimeout(this.#rollCallTimer);
    this.#rollCallTimer = setTimeout(() => this.#emitRollCall(), seconds * 1000 + 50);
    this.#rollCallTimer.unref();
    return this.#emitRollCall();
  }

  confirmRollCall(session: Session): RollCallView {
    const call = this.#store.lastRollCall(this.#id);
    if (!call) throw notFound('no roll call has been started');
    if (!call.open) throw conflict('the roll call has closed');
    this.#store.confirmRollCall(call.id, session.pointId, Date.now());
    this.#store.log(this.#id, { pointId: session.pointId, role: session.role }, 'rollcall.confirm', { rollCallId: call.id });
    return this.#emitRollCall();
  }

  #emitRollCall(): RollCallView {
    const call = this.#store.lastRollCall(this.#id) as RollCallView;
    this.#emit('rollcall.updated', call, (s) => s.role !== 'viewer');
    return call;
  }

  // --- Readiness -----------------------------------------------------------------------------------------

  reportReadiness(session: Session, measurement: ReadinessMeasurement, server: ReadinessView['server']): ReadinessView {
    const reasons = readinessProblems(measurement);
    const view: ReadinessView = {
      pointId: session.pointId,
      state: reasons.length === 0 ? 'ready' : 'not_ready',
      reasons,
      testedAt: Date.now(),
      measurement,
      server,
    };
    this.#store.transaction(() => {
      this.#store.saveReadiness(this.#id, view);
      this.#store.log(this.#id, { pointId: session.pointId, role: session.role }, 'readiness.report', { state: view.state, reasons });
    });
    this.#emit('readiness.updated', view, (s) => isModerator(s) || s.pointId === session.pointId);
    return view;
  }

  /** The readiness board: every point but the centre, tested or not. */
  readinessBoard(): ReadinessView[] {
    const latest = new Map(this.#store.latestReadiness(this.#id).map((r) => [r.pointId, r]));
    return this.#host.spec.points
      .filter((p) => p.id !== this.#host.spec.centralPointId)
      .map(
        (p) =>
          latest.get(p.id) ?? { pointId: p.id, state: 'not_tested', reasons: [], testedAt: null, measurement: null, server: null },
      );
  }

  // --- Agenda and documents ------------------------------------------------------------------------------

  agenda(): AgendaView {
    return { ...this.#agenda, items: [...this.#agenda.items] };
  }

  gotoAgenda(session: Session, itemId: string | null, save: (current: string | null, since: number | null) => void): AgendaView {
    if (itemId !== null && !this.#agenda.items.some((i) => i.id === itemId)) throw notFound('no such agenda item');
    const since = itemId === null ? null : Date.now();
    this.#store.transaction(() => {
      save(itemId, since);
      this.#store.log(this.#id, { pointId: session.pointId, role: session.role }, 'agenda.goto', { itemId });
    });
    this.#agenda = { ...this.#agenda, currentItemId: itemId, currentSince: since };
    this.#emit('agenda.updated', this.agenda(), () => true);
    return this.agenda();
  }

  documents(): DocumentView[] {
    return this.#store.documents(this.#id);
  }

  /** Records an uploaded document (the file is already on disk) and tells every session. */
  addDocument(actor: { pointId: string; role: Session['role'] } | null, document: DocumentView): void {
    this.#store.transaction(() => {
      this.#store.saveDocument(this.#id, document);
      this.#store.log(this.#id, actor, 'document.upload', { documentId: document.id, name: document.name, size: document.size });
    });
    this.#emit('documents.updated', { documents: this.documents() }, (s) => s.role !== 'viewer');
  }

  snapshot(session: Session): RequestResult<'records.snapshot'> {
    const moderator = isModerator(session);
    const viewer = session.role === 'viewer';
    const own = <T extends { pointId: string }>(list: T[]): T[] => (moderator ? list : list.filter((x) => x.pointId === session.pointId));
    return {
      questions: viewer ? [] : own([...this.#questions.values()]),
      attendance: viewer ? [] : own(this.#store.attendance(this.#id)),
      rollCall: viewer ? null : this.#store.lastRollCall(this.#id),
      readiness: viewer ? [] : own(this.readinessBoard()),
      documents: viewer ? [] : this.documents(),
    };
  }

  close(): void {
    clearTimeout(this.#rollCallTimer);
  }

  #emit<K extends EventName>(event: K, payload: EventPayload<K>, to: (s: Session) => boolean): void {
    for (const session of this.#host.sessions()) if (to(session)) session.sink.emit(event, payload);
  }
}

/** What keeps a point from being ready, in words for the host (Vietnamese, with English). */
export function readinessProblems(m: ReadinessMeasurement): string[] {
  const problems: string[] = [];
  if (m.signallingRoundTripMs > 500) problems.push(`Tín hiệu điều khiển chậm ${Math.round(m.signallingRoundTripMs)} ms (signalling round trip)`);
  for (const [name, link] of [['gửi (send)', m.send], ['nhận (receive)', m.receive]] as const) {
    if (link.bitrateKbps < 150) problems.push(`Băng thông ${name} thấp: ${Math.round(link.bitrateKbps)} kbps`);
    if (link.lossPercent > 5) problems.push(`Mất gói ${name}: ${link.lossPercent.toFixed(1)}%`);
    if (link.roundTripMs > 400) problems.push(`Trễ ${name}: ${Math.round(link.roundTripMs)} ms`);
    if (link.jitterMs > 60) problems.push(`Dao động trễ ${name}: ${Math.round(link.jitterMs)} ms (jitter)`);
  }
  if (m.microphoneLevelDb < -60) problems.push(`Không nghe thấy micro (${Math.round(m.microphoneLevelDb)} dB) (microphone silent)`);
  return problems;
}
