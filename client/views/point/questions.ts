// Questions at a point (technician or secretary): the form (asker, unit, category, text), and the
// point's own questions with their status as the centre moderates them; a question still only
// submitted can be corrected.
import type { QuestionView } from '../../../shared/records.ts';
import { LIMITS } from '../../../shared/rules.ts';
import type { AppContext } from '../../app.ts';
import { onLanguage, t } from '../../i18n.ts';
import { button, field, h, option, tr } from '../../ui/dom.ts';
import { act, toast } from '../../ui/toast.ts';
import { questionCard } from '../question-card.ts';

export class PointQuestions {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #asker = h('input', {
    attrs: { maxlength: LIMITS.askerMax, required: true, name: 'asker', autocomplete: 'name' },
  });
  readonly #unit = h('input', { attrs: { maxlength: LIMITS.unitMax, name: 'unit' } });
  readonly #category = h('select', { attrs: { name: 'category', required: true } });
  readonly #text = h('textarea', { attrs: { maxlength: LIMITS.questionTextMax, rows: 4, required: true, name: 'text' } });
  readonly #submit: HTMLButtonElement;
  readonly #cancelEdit: HTMLButtonElement;
  readonly #list = h('ol', { class: 'my-questions' });
  #editing: string | null = null;
  /** The asker, unit and category of the last question sent, kept for the next one (an edit does not replace them). */
  #last: { asker: string; unit: string; category: string } | null = null;

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
    const submitProps = { class: 'primary', attrs: { type: 'submit' }, data: { action: 'submit-question' } };
    this.#submit = button('q.submit', () => undefined, submitProps);
    this.#cancelEdit = button('q.cancel', () => this.#reset(), { attrs: { hidden: true } });
    const form = h(
      'form',
      {
        class: 'question-form',
        on: {
          submit: (event) => {
            event.preventDefault();
            void this.#send();
          },
        },
      },
      tr('q.new', 'h3'),
      h('div', { class: 'row' }, field('q.asker', this.#asker), field('q.unit', this.#unit)),
      field('q.category', this.#category),
      field('q.text', this.#text),
      h('div', { class: 'row' }, this.#submit, this.#cancelEdit),
    );
    this.el = h('section', { class: 'point-questions', label: 'tab.questions' }, form, tr('q.mine', 'h3'), this.#list);
    ctx.store.on('welcome', () => {
      this.#fillCategories();
      this.render();
    });
    ctx.store.on('questions', () => this.render());
    ctx.store.on('status', () => this.render());
    onLanguage(() => this.render());
  }

  #fillCategories(): void {
    const chosen = this.#category.value;
    const categories = this.#ctx.store.conference?.questionCategories ?? [];
    this.#category.replaceChildren(...categories.map((c) => option(c, c, c === chosen)));
  }

  async #send(): Promise<void> {
    const { signal, store } = this.#ctx;
    const fields = {
      asker: this.#asker.value.trim(),
      unit: this.#unit.value.trim(),
      category: this.#category.value,
      text: this.#text.value.trim(),
    };
    if (!fields.asker || !fields.text || !fields.category) return;
    this.#submit.disabled = true;
    const result = await act(
      this.#editing ? signal.request('question.edit', { questionId: this.#editing, ...fields }) : signal.request('question.submit', fields),
    );
    this.#submit.disabled = false;
    if (!result) return;
    store.applyQuestion(result);
    toast(t(this.#editing ? 'flows.saved' : 'q.sent'));
    if (!this.#editing) this.#last = { asker: fields.asker, unit: fields.unit, category: fields.category };
    this.#reset();
  }

  #reset(): void {
    if (this.#editing && this.#last) {
      this.#asker.value = this.#last.asker;
      this.#unit.value = this.#last.unit;
      this.#category.value = this.#last.category;
    }
    this.#editing = null;
    this.#text.value = '';
    this.#submit.textContent = t('q.submit');
    this.#submit.dataset['i18n'] = 'q.submit';
    this.#cancelEdit.hidden = true;
  }

  #edit(q: QuestionView): void {
    this.#editing = q.id;
    this.#asker.value = q.asker;
    this.#unit.value = q.unit;
    this.#category.value = q.category;
    this.#text.value = q.text;
    this.#submit.textContent = t('q.save');
    this.#submit.dataset['i18n'] = 'q.save';
    this.#cancelEdit.hidden = false;
    this.#text.focus();
  }

  render(): void {
    const { store } = this.#ctx;
    const ended = store.status === 'ended';
    for (const control of [this.#asker, this.#unit, this.#category, this.#text, this.#submit]) control.disabled = ended;
    const me = store.self?.pointId;
    const mine = [...store.questions.values()].filter((q) => q.pointId === me).sort((a, b) => b.createdAt - a.createdAt);
    const edit = (q: QuestionView): HTMLElement | null =>
      q.status === 'submitted' ? button('q.edit', () => this.#edit(q), { class: 'small', data: { action: 'edit' } }) : null;
    this.#list.replaceChildren(
      ...(mine.length ? mine.map((q) => questionCard(q, { tag: 'li', extra: [edit(q)] })) : [h('li', { class: 'muted' }, t('q.empty'))]),
    );
  }
}
