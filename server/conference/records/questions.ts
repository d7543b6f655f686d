// The moderated question queue: points (technician, secretary) write and correct their questions, the
// moderators accept, order, file, merge, take up, answer or dismiss them. Seen by the moderators and by the
// asking point's question writers, never by a room display.
import { randomUUID } from 'node:crypto';
import type { ActionDetail, Actor } from '../../../shared/event-log.ts';
import type { RequestParams } from '../../../shared/protocol.ts';
import { type QuestionStats, type QuestionView, REHEARSAL_REASON } from '../../../shared/records.ts';
import { controls, isModerator, writesQuestions } from '../../../shared/rules.ts';
import { refuse } from '../../errors.ts';
import type { Session } from '../session.ts';
import { actorOf, type Audience, type RecordsContext } from './context.ts';

/** The moderators, and the question writers of the point that asked. */
export const questionAudience: Audience<QuestionView> = (s, q) =>
  isModerator(s.role) || (writesQuestions(s.role) && s.pointId === q.pointId);

const OPEN: ReadonlySet<QuestionView['status']> = new Set(['submitted', 'queued', 'answering']);

/** The actions that take a question out of the queue. */
type Closing = 'question.merge' | 'question.answering' | 'question.answered' | 'question.dismiss';
type QuestionAction =
  | 'question.submit'
  | 'question.edit'
  | 'question.accept'
  | 'question.reorder'
  | 'question.categorise'
  | 'question.set_aside'
  | Closing;

export class Questions {
  readonly #ctx: RecordsContext;
  readonly #questions = new Map<string, QuestionView>();

  constructor(ctx: RecordsContext) {
    this.#ctx = ctx;
    for (const q of ctx.store.questions(ctx.conferenceId)) this.#questions.set(q.id, q);
  }

  /** The questions `session` may see, in the order they were asked. */
  visibleTo(session: Session): QuestionView[] {
    return [...this.#questions.values()].filter((q) => questionAudience(session, q));
  }

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
    return this.#one(this.#commit(session, 'question.submit', [question], { questionId: question.id, category: p.category }));
  }

  edit(session: Session, p: RequestParams<'question.edit'>): QuestionView {
    const q = this.#question(p.questionId);
    if (q.pointId !== session.pointId) throw refuse('question.not_own', {}, 'a point edits only its own questions');
    if (q.status !== 'submitted') throw refuse('question.moderated', { status: q.status }, 'the question is already being moderated');
    if (p.category !== undefined) this.#checkCategory(p.category);
    const next = { ...q };
    if (p.asker !== undefined) next.asker = p.asker;
    if (p.unit !== undefined) next.unit = p.unit;
    if (p.category !== undefined) next.category = p.category;
    if (p.text !== undefined) next.text = p.text;
    return this.#one(this.#commit(session, 'question.edit', [next], { questionId: q.id }));
  }

  list(session: Session, filter: RequestParams<'question.list'>): QuestionView[] {
    if (!isModerator(session.role) && filter.pointId !== undefined && filter.pointId !== session.pointId) {
      throw refuse('question.others', {}, 'a point sees only its own questions');
    }
    return this.visibleTo(session).filter(
      (q) =>
        (filter.pointId === undefined || q.pointId === filter.pointId) &&
        (filter.status === undefined || q.status === filter.status) &&
        (filter.category === undefined || q.category === filter.category),
    );
  }

  stats(): QuestionStats {
    return questionStats(this.#questions.values());
  }

  accept(session: Session, questionId: string): QuestionView {
    const q = this.#question(questionId);
    if (q.status !== 'submitted') throw refuse('question.not_submitted', { status: q.status }, `a ${q.status} question cannot be accepted`);
    const accepted = { ...q, status: 'queued' as const, position: this.#queue().length + 1 };
    return this.#one(this.#commit(session, 'question.accept', [accepted], { questionId }));
  }

  reorder(session: Session, questionId: string, position: number): QuestionView {
    const q = this.#question(questionId);
    if (q.status !== 'queued') throw refuse('question.not_queued', { status: q.status }, 'only queued questions have a place in the queue');
    const queue = this.#queue().filter((x) => x.id !== questionId);
    queue.splice(Math.min(position - 1, queue.length), 0, q);
    const changed = this.#commit(session, 'question.reorder', renumber(queue), { questionId, position });
    return changed.find((x) => x.id === questionId) ?? this.#question(questionId);
  }

  categorise(session: Session, questionId: string, category: string): QuestionView {
    const q = this.#question(questionId);
    this.#checkCategory(category);
    this.#checkOpen(q);
    return this.#one(this.#commit(session, 'question.categorise', [{ ...q, category }], { questionId, category }));
  }

  merge(session: Session, questionId: string, intoId: string): QuestionView {
    if (questionId === intoId) throw refuse('question.merge_self', {}, 'a question cannot be merged into itself');
    const q = this.#question(questionId);
    const into = this.#question(intoId);
    this.#checkOpen(q);
    if (into.status === 'merged' || into.status === 'dismissed') {
      throw refuse('question.merge_target_closed', { status: into.status }, `cannot merge into a ${into.status} question`);
    }
    return this.#close(session, 'question.merge', { ...q, status: 'merged', mergedInto: intoId }, { questionId, intoId });
  }

  answering(session: Session, p: { questionId: string; giveFloor: boolean; seconds?: number | undefined }): QuestionView {
    const q = this.#question(p.questionId);
    if (q.status !== 'submitted' && q.status !== 'queued') {
      throw refuse('question.not_waiting', { status: q.status }, `a ${q.status} question cannot be taken up`);
    }
    if (p.giveFloor) {
      if (!controls(session.role)) throw refuse('floor.host_only', {}, 'only the host gives the floor');
      this.#ctx.host.grantFloor(q.pointId, p.seconds, session);
    }
    return this.#close(session, 'question.answering', { ...q, status: 'answering' }, { questionId: q.id, giveFloor: p.giveFloor });
  }

  /**
   * Marks a question answered. Answered live by the host while the asking point holds the floor, it also ends
   * that point's turn: two transactions in this order (the question with its log row, then the floor's return
   * with its own), so the point never stays on air after its question is closed.
   */
  answered(session: Session, p: RequestParams<'question.answered'>): QuestionView {
    const q = this.#question(p.questionId);
    this.#checkOpen(q);
    const answer = p.mode === 'written' ? (p.answer ?? '') : (p.answer ?? null);
    const endTurn = p.mode === 'live' && controls(session.role) && this.#ctx.host.floorHolder() === q.pointId;
    const closed = this.#close(
      session,
      'question.answered',
      { ...q, status: 'answered', answerMode: p.mode, answer },
      { questionId: q.id, mode: p.mode },
    );
    if (endTurn) this.#ctx.host.revokeFloor(session);
    return closed;
  }

  /** Go-live: every question still open from the rehearsal is dismissed with REHEARSAL_REASON, in one transaction. */
  setAside(actor: Session | null): QuestionView[] {
    const open = [...this.#questions.values()].filter((q) => OPEN.has(q.status));
    if (open.length === 0) return [];
    const next = open.map((q) => ({ ...q, status: 'dismissed' as const, position: null, dismissReason: REHEARSAL_REASON }));
    return this.#commit(actor, 'question.set_aside', next, { questionIds: open.map((q) => q.id), reason: REHEARSAL_REASON });
  }

  dismiss(session: Session, questionId: string, reason: string): QuestionView {
    const q = this.#question(questionId);
    this.#checkOpen(q);
    return this.#close(session, 'question.dismiss', { ...q, status: 'dismissed', dismissReason: reason }, { questionId, reason });
  }

  #question(id: string): QuestionView {
    const q = this.#questions.get(id);
    if (!q) throw refuse('question.unknown', {}, 'no such question in this conference');
    return q;
  }

  #checkCategory(category: string): void {
    if (!this.#ctx.host.spec.questionCategories.includes(category)) {
      throw refuse('question.category_unknown', { category }, `unknown category "${category}"`);
    }
  }

  #checkOpen(q: QuestionView): void {
    if (!OPEN.has(q.status)) throw refuse('question.closed', { status: q.status }, `a ${q.status} question is closed`);
  }

  #queue(): QuestionView[] {
    return [...this.#questions.values()].filter((q) => q.status === 'queued').sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  }

  #one(changed: QuestionView[]): QuestionView {
    return changed[0] as QuestionView;
  }

  /** Takes a question out of the queue into `next`'s status, closing the gap it leaves. */
  #close<A extends Closing>(session: Session, action: A, next: QuestionView, detail: ActionDetail<A>): QuestionView {
    const rest = this.#queue().filter((q) => q.id !== next.id);
    return this.#one(this.#commit(session, action, [{ ...next, position: null }, ...renumber(rest)], detail));
  }

  /** The part's one write path: the changed questions and the event in one transaction, then their audience is told. */
  #commit<A extends QuestionAction>(session: Session | null, action: A, changed: QuestionView[], detail: ActionDetail<A>): QuestionView[] {
    const now = Date.now();
    const stamped = changed.map((q) => ({ ...q, updatedAt: now }));
    const actor: Actor = session ? actorOf(session) : null;
    return this.#ctx.commit({
      actor,
      action,
      detail,
      write: () => {
        for (const q of stamped) this.#ctx.store.saveQuestion(this.#ctx.conferenceId, q);
        return stamped;
      },
      announce: (stored) => {
        for (const q of stored) {
          this.#questions.set(q.id, q);
          this.#ctx.tell('question.updated', q, (s) => questionAudience(s, q));
        }
      },
    });
  }
}

/** Gives `queue` positions 1..n; returns the questions whose position changed. */
function renumber(queue: QuestionView[]): QuestionView[] {
  return queue.flatMap((q, i) => (q.position === i + 1 ? [] : [{ ...q, position: i + 1 }]));
}

/** Counts by status, category and point (the moderators' panel and the report). */
export function questionStats(questions: Iterable<QuestionView>): QuestionStats {
  const stats: QuestionStats = { byStatus: {}, byCategory: {}, byPoint: {} };
  for (const q of questions) {
    stats.byStatus[q.status] = (stats.byStatus[q.status] ?? 0) + 1;
    stats.byCategory[q.category] = (stats.byCategory[q.category] ?? 0) + 1;
    stats.byPoint[q.pointId] = (stats.byPoint[q.pointId] ?? 0) + 1;
  }
  return stats;
}
