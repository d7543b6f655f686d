// Question moderation at the centre: every point's questions with filters (status, category, point,
// text), counts by status, and the actions each status allows: accept, order, categorise, merge,
// answer now (optionally giving the asking point the floor), mark answered live or in writing, dismiss.
import type { QuestionStatus, QuestionView } from '../../../shared/records.ts';
import { controls, LIMITS } from '../../../shared/rules.ts';
import type { AppContext } from '../../app.ts';
import { onLanguage, t, type Key } from '../../i18n.ts';
import { button, field, h, option } from '../../ui/dom.ts';
import { act } from '../../ui/toast.ts';
import { questionCard } from '../question-card.ts';
import './questions.css';

const STATUSES: QuestionStatus[] = ['submitted', 'queued', 'answering', 'answered', 'dismissed', 'merged'];
const OPEN_STATUSES: ReadonlySet<QuestionStatus> = new Set(['submitted', 'queued', 'answering']);
const ORDER: Record<QuestionStatus, number> = { answering: 0, queued: 1, submitted: 2, answered: 3, dismissed: 4, merged: 5 };

type FormKind = 'dismiss' | 'written' | 'merge';

export class QuestionsPanel {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #status = h('select', { label: 'q.filterStatus', data: { filter: 'status' } });
  readonly #category = h('select', { label: 'q.filterCategory', data: { filter: 'category' } });
  readonly #point = h('select', { label: 'q.filterPoint', data: { filter: 'point' } });
  readonly #search = h('input', { attrs: { type: 'search' }, label: 'q.search', data: { filter: 'text' } });
  readonly #counts = h('p', { class: 'q-counts', attrs: { 'aria-live': 'polite' } });
  readonly #list = h('div', { class: 'q-list' });
  readonly #cards = new Map<string, HTMLElement>();
  /** The inline form open on a question, kept across re-draws of other questions. */
  #open: { questionId: string; kind: FormKind } | null = null;

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
    this.#search.setAttribute('placeholder', t('q.search'));
    this.#search.dataset['i18nPlaceholder'] = 'q.search';
    this.el = h(
      'section',
      { class: 'questions', label: 'tab.questions' },
      h('div', { class: 'filters' }, this.#status, this.#category, this.#point, this.#search),
      this.#counts,
      this.#list,
    );
    for (const control of [this.#status, this.#category, this.#point]) control.addEventListener('change', () => this.#renderAll());
    this.#search.addEventListener('input', () => this.#renderAll());
    ctx.store.on('welcome', () => {
      this.#fillFilters();
      this.#renderAll();
    });
    ctx.store.on('questions', (question) => {
      // A form left open under a question that someone has just handled closes with it.
      if (question && this.#open?.questionId === question.id && !OPEN_STATUSES.has(question.status)) this.#open = null;
      if (question) this.#renderOne(question);
      else this.#renderAll();
    });
    ctx.store.on('status', () => this.#renderAll());
    onLanguage(() => {
      this.#fillFilters();
      this.#renderAll();
    });
  }

  #fillFilters(): void {
    const { store } = this.#ctx;
    const keep = (select: HTMLSelectElement): string => select.value;
    const [status, category, point] = [keep(this.#status), keep(this.#category), keep(this.#point)];
    this.#status.replaceChildren(
      option('', `${t('q.filterStatus')}: ${t('q.all')}`),
      ...STATUSES.map((s) => option(s, t(`q.status.${s}`), s === status)),
    );
    this.#category.replaceChildren(
      option('', `${t('q.category')}: ${t('q.all')}`),
      ...(store.conference?.questionCategories ?? []).map((c) => option(c, c, c === category)),
    );
    this.#point.replaceChildren(
      option('', `${t('att.point')}: ${t('q.all')}`),
      ...store.remotePoints().map((p) => option(p.id, p.name, p.id === point)),
    );
  }

  #visible(q: QuestionView): boolean {
    const text = this.#search.value.trim().toLocaleLowerCase('vi');
    return (
      (!this.#status.value || q.status === this.#status.value) &&
      (!this.#category.value || q.category === this.#category.value) &&
      (!this.#point.value || q.pointId === this.#point.value) &&
      (!text || `${q.text} ${q.asker} ${q.unit}`.toLocaleLowerCase('vi').includes(text))
    );
  }

  #sorted(): QuestionView[] {
    return [...this.#ctx.store.questions.values()].sort(
      (a, b) =>
        ORDER[a.status] - ORDER[b.status] ||
        (a.position ?? 0) - (b.position ?? 0) ||
        (a.status === 'submitted' ? a.createdAt - b.createdAt : b.updatedAt - a.updatedAt),
    );
  }

  #renderAll(): void {
    this.#cards.clear();
    for (const q of this.#ctx.store.questions.values()) this.#cards.set(q.id, this.#card(q));
    this.#place();
  }

  #renderOne(question: QuestionView): void {
    this.#cards.set(question.id, this.#card(question));
    this.#place();
  }

  /** Puts the cards in moderation order and refreshes the counts. */
  #place(): void {
    const all = this.#sorted();
    const shown = all.filter((q) => this.#visible(q));
    const cards = shown.map((q) => this.#cards.get(q.id)).filter((c): c is HTMLElement => c !== undefined);
    this.#list.replaceChildren(...(cards.length ? cards : [h('p', { class: 'muted' }, t('q.empty'))]));
    const counts = STATUSES.map((s) => [s, all.filter((q) => q.status === s).length] as const).filter(([, n]) => n > 0);
    this.#counts.textContent = [t('q.count', { count: all.length }), ...counts.map(([s, n]) => `${t(`q.status.${s}`)}: ${n}`)].join(' · ');
    const fresh = all.filter((q) => q.status === 'submitted').length;
    this.#tabCount(fresh);
  }

  /** The questions tab's label carries the number of new questions waiting for review. */
  #tabCount(fresh: number): void {
    const tab = this.el.closest('.tabs')?.querySelector<HTMLElement>('[role="tab"][data-tab="questions"]');
    if (!tab) return;
    let badge = tab.querySelector<HTMLElement>('.tab-count');
    if (!badge) {
      badge = h('span', { class: 'badge tab-count' });
      tab.append(badge);
    }
    badge.hidden = fresh === 0;
    badge.textContent = String(fresh);
    badge.title = t('flows.newCount', { count: fresh });
  }

  #card(q: QuestionView): HTMLElement {
    const form = this.#open?.questionId === q.id && OPEN_STATUSES.has(q.status) ? this.#form(q, this.#open.kind) : null;
    return questionCard(q, { pointName: this.#ctx.store.pointName(q.pointId), extra: [this.#actions(q), form] });
  }

  #actions(q: QuestionView): HTMLElement | null {
    const { signal, store } = this.#ctx;
    const id = q.id;
    const actions: HTMLElement[] = [];
    if (store.status === 'ended') return null;
    const open = (kind: FormKind): void => {
      this.#open = this.#open?.questionId === id && this.#open.kind === kind ? null : { questionId: id, kind };
      this.#renderOne(q);
    };
    const req = (work: Promise<unknown>): void => void act(work);
    const small = (key: Key, action: string, onClick: () => void, primary = false): HTMLButtonElement =>
      button(key, onClick, { class: primary ? 'primary small' : 'small', data: { action } });
    const arrow = (key: Key, action: string, text: string, position: number): HTMLButtonElement =>
      h(
        'button',
        {
          class: 'small',
          attrs: { type: 'button' },
          label: key,
          data: { action },
          on: { click: () => req(signal.request('question.reorder', { questionId: id, position })) },
        },
        text,
      );
    const waiting = q.status === 'submitted' || q.status === 'queued';
    const accept = (): void => req(signal.request('question.accept', { questionId: id }));
    if (q.status === 'submitted') actions.push(small('q.accept', 'accept', accept, true));
    if (q.status === 'queued') {
      actions.push(arrow('q.up', 'up', '▲', Math.max(1, (q.position ?? 1) - 1)), arrow('q.down', 'down', '▼', (q.position ?? 1) + 1));
      const giveFloor = h('input', { attrs: { type: 'checkbox' }, data: { option: 'give-floor' } });
      giveFloor.disabled = !store.may(controls);
      const answering = (): void => {
        const giving = giveFloor.checked;
        req(
          signal.request('question.answering', { questionId: id, giveFloor: giving, ...(giving ? { seconds: store.grantSeconds } : {}) }),
        );
      };
      actions.push(small('q.answering', 'answering', answering, true), h('label', { class: 'check' }, giveFloor, t('q.giveFloor')));
    }
    if (q.status === 'answering') {
      const live = (): void => req(signal.request('question.answered', { questionId: id, mode: 'live' }));
      actions.push(small('q.answeredLive', 'answered-live', live, true));
    }
    if (waiting || q.status === 'answering') {
      actions.push(small('q.answerWritten', 'written', () => open('written')));
      const category = h('select', { class: 'small', label: 'q.category', data: { action: 'categorise' } });
      category.append(...(store.conference?.questionCategories ?? []).map((c) => option(c, c, c === q.category)));
      if (![...category.options].some((o) => o.value === q.category)) category.prepend(option(q.category, q.category, true));
      category.addEventListener('change', () => req(signal.request('question.categorise', { questionId: id, category: category.value })));
      actions.push(
        category,
        small('q.dismiss', 'dismiss', () => open('dismiss')),
      );
    }
    if (waiting) actions.push(small('q.merge', 'merge', () => open('merge')));
    return actions.length ? h('div', { class: 'row q-actions' }, ...actions) : null;
  }

  #form(q: QuestionView, kind: FormKind): HTMLElement {
    const { signal, store } = this.#ctx;
    const close = (): void => {
      this.#open = null;
      this.#renderOne(q);
    };
    const submit = async (work: Promise<unknown>): Promise<void> => {
      if ((await act(work)) !== undefined) this.#open = null;
    };
    let control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
    let key: Key;
    if (kind === 'written') {
      control = h('textarea', { attrs: { rows: 3, maxlength: LIMITS.answerMax, required: true, name: 'answer' } });
      key = 'q.answerText';
    } else if (kind === 'dismiss') {
      control = h('input', { attrs: { maxlength: LIMITS.dismissReasonMax, required: true, name: 'reason' } });
      key = 'q.reason';
    } else {
      control = h('select', { attrs: { name: 'into' } });
      const others = [...store.questions.values()].filter((o) => o.id !== q.id && o.status !== 'merged' && o.status !== 'dismissed');
      control.append(...others.map((o) => option(o.id, `${store.pointName(o.pointId)}: ${o.text.slice(0, 80)}`)));
      key = 'q.merge';
    }
    const form = h(
      'form',
      {
        class: 'q-form',
        data: { form: kind },
        on: {
          submit: (event) => {
            event.preventDefault();
            const value = control.value.trim();
            if (!value) return;
            if (kind === 'written') void submit(signal.request('question.answered', { questionId: q.id, mode: 'written', answer: value }));
            else if (kind === 'dismiss') void submit(signal.request('question.dismiss', { questionId: q.id, reason: value }));
            else void submit(signal.request('question.merge', { questionId: q.id, intoId: value }));
          },
        },
      },
      field(key, control),
      h(
        'div',
        { class: 'row' },
        button('q.send', () => undefined, { class: 'primary small', attrs: { type: 'submit' } }),
        button('q.cancel', close, { class: 'small' }),
      ),
    );
    queueMicrotask(() => control.focus());
    return form;
  }
}
