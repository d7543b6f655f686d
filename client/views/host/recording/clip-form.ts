// The small form under a closed programme part that cuts a range of it: from and to as h:mm:ss (or m:ss),
// checked here before anything is sent (both written as times, from before to, to within the part's length
// as the table shows it), and an optional name. Each problem is said under its field; the hub's own refusal
// is said by the fold around the form (chapters.ts). Shown to the host only, once the part is measured.
import type { ClipRequest } from '../../../../shared/recording.ts';
import { LIMITS } from '../../../../shared/rules.ts';
import { t, type Key } from '../../../i18n.ts';
import { h, setText, tr } from '../../../ui/dom.ts';
import { hms, parseClock } from './format.ts';

interface Problem {
  key: Key;
  vars?: Record<string, string>;
}

interface Field {
  input: HTMLInputElement;
  error: HTMLElement;
  problem: Problem | null;
}

export class ClipForm {
  readonly el: HTMLFormElement;
  readonly #fileId: string;
  readonly #send: (request: ClipRequest) => Promise<boolean>;
  readonly #from: Field;
  readonly #to: Field;
  readonly #name: HTMLInputElement;
  readonly #submit = h('button', { class: 'small primary', attrs: { type: 'submit' }, data: { i18n: 'rec.clip.submit' } });
  #durationMs: number | null = null;

  constructor(fileId: string, send: (request: ClipRequest) => Promise<boolean>) {
    this.#fileId = fileId;
    this.#send = send;
    const id = (what: string): string => `rec-clip-${what}-${fileId}`;
    const field = (what: 'from' | 'to'): Field => {
      const input = h('input', {
        id: id(what),
        attrs: { type: 'text', name: `clip-${what}`, inputmode: 'numeric', autocomplete: 'off', spellcheck: 'false', maxlength: 12 },
      });
      const error = h('p', {
        class: `error field-error rec-clip-${what}-error`,
        id: id(`${what}-error`),
        attrs: { 'aria-live': 'polite' },
      });
      input.setAttribute('aria-describedby', error.id);
      error.hidden = true;
      return { input, error, problem: null };
    };
    this.#from = field('from');
    this.#to = field('to');
    this.#from.input.setAttribute('placeholder', '0:00:00');
    this.#name = h('input', {
      id: id('name'),
      attrs: { type: 'text', name: 'clip-name', maxlength: LIMITS.clipNameMax, autocomplete: 'off' },
    });
    this.el = h(
      'form',
      { class: 'rec-clip-form', attrs: { novalidate: true }, data: { fileId }, on: { submit: (event) => void this.#submitted(event) } },
      tr('rec.clip.title', 'p', { class: 'rec-clip-title' }),
      h(
        'div',
        { class: 'rec-clip-times' },
        h(
          'div',
          {},
          h('label', { class: 'field', attrs: { for: this.#from.input.id } }, tr('rec.clip.from'), this.#from.input),
          this.#from.error,
        ),
        h('div', {}, h('label', { class: 'field', attrs: { for: this.#to.input.id } }, tr('rec.clip.to'), this.#to.input), this.#to.error),
      ),
      h('label', { class: 'field', attrs: { for: this.#name.id } }, tr('rec.clip.name'), this.#name),
      h('div', { class: 'rec-clip-row' }, this.#submit, h('span', { class: 'muted rec-clip-hint' })),
    );
  }

  /** The part's length when the host may cut it, else null (the form hides). Re-says texts in the language. */
  update(durationMs: number | null): void {
    this.#durationMs = durationMs;
    this.el.hidden = durationMs === null;
    setText(this.#submit, t('rec.clip.submit'));
    const hint = this.el.querySelector('.rec-clip-hint');
    if (hint) setText(hint, durationMs === null ? '' : t('rec.clip.hint', { duration: hms(durationMs) }));
    if (durationMs !== null) this.#to.input.setAttribute('placeholder', hms(durationMs));
    for (const f of [this.#from, this.#to]) this.#say(f, f.problem);
  }

  async #submitted(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const duration = this.#durationMs;
    if (duration === null) return;
    const fromMs = this.#time(this.#from, 'from');
    const toMs = this.#time(this.#to, 'to');
    if (fromMs !== null && toMs !== null && this.#to.problem === null) {
      // The end may be typed as the part's length as shown (whole seconds); the hub cuts to the real end.
      if (toMs <= fromMs) this.#say(this.#to, { key: 'rec.clip.bad.order' });
      else if (toMs > duration && hms(toMs) !== hms(duration))
        this.#say(this.#to, { key: 'rec.clip.bad.past', vars: { duration: hms(duration) } });
    }
    if (this.#from.problem) return this.#from.input.focus();
    if (this.#to.problem || fromMs === null || toMs === null) return this.#to.input.focus();
    const name = this.#name.value.trim();
    const request: ClipRequest = { fileId: this.#fileId, fromMs, toMs: Math.min(toMs, duration), ...(name ? { name } : {}) };
    this.#submit.disabled = true;
    const sent = await this.#send(request);
    this.#submit.disabled = false;
    if (sent) this.#name.value = '';
  }

  /** The field's time in ms, or null with its problem said. */
  #time(f: Field, which: 'from' | 'to'): number | null {
    const text = f.input.value.trim();
    const ms = text === '' ? null : parseClock(text);
    this.#say(f, text === '' ? { key: `rec.clip.bad.${which}_empty` } : ms === null ? { key: `rec.clip.bad.${which}_format` } : null);
    return ms;
  }

  #say(f: Field, problem: Problem | null): void {
    f.problem = problem;
    f.error.hidden = problem === null;
    f.input.setAttribute('aria-invalid', String(problem !== null));
    if (problem) f.error.dataset['problem'] = problem.key.slice('rec.clip.bad.'.length);
    else delete f.error.dataset['problem'];
    setText(f.error, problem ? t(problem.key, problem.vars) : '');
  }
}
