// One question as a card, the same for the host's moderation and a point's own list: who asked (and from
// which point, when the reader sees several), status, place in the queue, category, time, the text, and
// the answer or the reason it was dismissed. The caller adds its own controls below.
import { type QuestionView, REHEARSAL_REASON } from '../../shared/records.ts';
import { t, timeOfDay } from '../i18n.ts';
import { h, type Child } from '../ui/dom.ts';

export interface CardOptions {
  /** The asking point's name, shown first (the host sees every point's questions). */
  pointName?: string;
  /** `li` inside a list of the point's own questions; `article` elsewhere. */
  tag?: 'article' | 'li';
  /** Controls and forms drawn below the text. */
  extra?: Child[];
}

export function statusBadge(q: QuestionView): HTMLElement {
  return h('span', { class: 'badge q-status', data: { status: q.status } }, t(`q.status.${q.status}`));
}

/** The answer as the point and the host read it, or why it was not answered. */
function outcome(q: QuestionView): HTMLElement | null {
  if (q.status === 'answered') {
    return h('p', { class: 'q-answer' }, q.answerMode === 'written' && q.answer ? t('q.answer', { answer: q.answer }) : t('q.answerLive'));
  }
  if (q.status === 'dismissed' && q.dismissReason === REHEARSAL_REASON) {
    return h('p', { class: 'q-answer', data: { reason: REHEARSAL_REASON } }, t('flows.rehearsalDismissed'));
  }
  if (q.status === 'dismissed' && q.dismissReason) {
    return h('p', { class: 'q-answer' }, t('q.dismissedBecause', { reason: q.dismissReason }));
  }
  return null;
}

export function questionCard(q: QuestionView, options: CardOptions = {}): HTMLElement {
  return h(
    options.tag ?? 'article',
    { class: 'question', data: { questionId: q.id, status: q.status } },
    h(
      'header',
      { class: 'q-head' },
      options.pointName !== undefined ? h('strong', {}, options.pointName) : null,
      statusBadge(q),
      q.position !== null ? h('span', { class: 'badge' }, t('q.position', { position: q.position })) : null,
      h('span', { class: 'badge category' }, q.category),
      h('span', {}, q.unit ? `${q.asker} (${q.unit})` : q.asker),
      h('time', { class: 'muted' }, timeOfDay(q.createdAt)),
    ),
    h('p', { class: 'q-text' }, q.text),
    outcome(q),
    ...(options.extra ?? []),
  );
}
