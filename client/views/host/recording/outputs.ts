// The live pushes of the recording tab: each address with its name, the address with its stream key hidden
// (as the hub sends it), its state (off, connecting, live, retry N with the failure in words), a switch and
// a remove button; and the form that adds one, checked here with the same rule as the hub's before anything
// is sent (the problem said next to its field). Rows are rebuilt only when the list changes; the hub's
// frequent reports only change their state chips, so a click is never lost to a re-draw.
import { type LiveOutputView, liveOutputUrlProblem, type RecordingView } from '../../../../shared/recording.ts';
import { LIMITS } from '../../../../shared/rules.ts';
import type { AppContext } from '../../../app.ts';
import { t, type Key } from '../../../i18n.ts';
import { button, h, setText, tr } from '../../../ui/dom.ts';
import { outputError } from './format.ts';

type Send = (work: Promise<RecordingView>) => Promise<RecordingView | undefined>;

const PROBLEMS: Record<string, Key> = {
  not_url: 'rec.bad.not_url',
  scheme: 'rec.bad.scheme',
  host: 'rec.bad.host',
  path: 'rec.bad.path',
  spaces: 'rec.bad.spaces',
};

interface Row {
  el: HTMLElement;
  update: (o: LiveOutputView) => void;
}

export class OutputsSection {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #send: Send;
  readonly #list = h('ul', { class: 'rec-outputs' });
  readonly #none = tr('rec.outputsNone', 'p', { class: 'muted' });
  readonly #form: HTMLFormElement;
  /** The form folds away under its summary once there is an address (opened when there is none yet). */
  readonly #box = h('details', { class: 'rec-add-box' });
  #opened = false;
  readonly #label = h('input', {
    id: 'rec-output-label',
    attrs: { type: 'text', name: 'output-label', maxlength: LIMITS.liveOutputLabelMax, autocomplete: 'off' },
  });
  readonly #url = h('input', {
    id: 'rec-output-url',
    attrs: { type: 'text', name: 'output-url', maxlength: LIMITS.liveOutputUrlMax, autocomplete: 'off', spellcheck: 'false' },
  });
  readonly #labelError = h('p', { class: 'error field-error', id: 'rec-output-label-error', attrs: { 'aria-live': 'polite' } });
  readonly #urlError = h('p', { class: 'error field-error', id: 'rec-output-url-error', attrs: { 'aria-live': 'polite' } });
  readonly #full = h('p', { class: 'muted rec-full' });
  readonly #rows = new Map<string, Row>();
  #signature = '';
  #may = false;

  constructor(ctx: AppContext, send: Send) {
    this.#ctx = ctx;
    this.#send = send;
    this.#url.setAttribute('placeholder', t('rec.addUrlHint'));
    this.#url.dataset['i18nPlaceholder'] = 'rec.addUrlHint';
    this.#label.setAttribute('aria-describedby', this.#labelError.id);
    this.#url.setAttribute('aria-describedby', this.#urlError.id);
    this.#labelError.hidden = true;
    this.#urlError.hidden = true;
    this.#form = h(
      'form',
      { class: 'rec-add', attrs: { novalidate: true }, on: { submit: (event) => void this.#add(event) } },
      h('label', { class: 'field', attrs: { for: this.#label.id } }, tr('rec.addLabel'), this.#label),
      this.#labelError,
      h('label', { class: 'field', attrs: { for: this.#url.id } }, tr('rec.addUrl'), this.#url),
      this.#urlError,
      h(
        'div',
        { class: 'rec-add-row' },
        h('button', { class: 'primary small', attrs: { type: 'submit' }, data: { i18n: 'rec.addButton' } }, t('rec.addButton')),
        tr('rec.addKeyHidden', 'p', { class: 'muted' }),
      ),
      this.#full,
    );
    this.#box.append(h('summary', { data: { action: 'add-output' } }, tr('rec.add')), this.#form);
    this.el = h('section', { class: 'rec-section rec-live-outputs' }, tr('rec.outputs', 'h3'), this.#none, this.#list, this.#box);
  }

  render(view: RecordingView, may: boolean): void {
    const full = view.outputs.length >= LIMITS.liveOutputsMax;
    this.#none.hidden = view.outputs.length > 0;
    this.#box.hidden = !may;
    if (!this.#opened) {
      this.#opened = true;
      this.#box.open = view.outputs.length === 0;
    }
    for (const control of this.#form.querySelectorAll<HTMLInputElement | HTMLButtonElement>('input, button')) control.disabled = full;
    this.#full.hidden = !full;
    setText(this.#full, t('rec.addFull', { max: LIMITS.liveOutputsMax }));
    const signature = JSON.stringify([may, t('rec.output.remove'), view.outputs.map((o) => [o.id, o.label, o.url, o.enabled])]);
    if (signature !== this.#signature) {
      this.#signature = signature;
      this.#may = may;
      this.#rows.clear();
      for (const o of view.outputs) this.#rows.set(o.id, this.#row(o));
      this.#list.replaceChildren(...[...this.#rows.values()].map((r) => r.el));
    }
    for (const o of view.outputs) this.#rows.get(o.id)?.update(o);
  }

  #row(o: LiveOutputView): Row {
    const chip = h('span', { class: 'badge rec-chip' });
    const error = h('p', { class: 'rec-output-error' });
    const toggle = h('input', {
      attrs: { type: 'checkbox', role: 'switch', name: 'output-enabled' },
      ariaLabel: t('rec.output.switch', { label: o.label }),
    });
    toggle.checked = o.enabled;
    toggle.disabled = !this.#may;
    toggle.addEventListener('change', () => {
      const enabled = toggle.checked;
      void this.#send(this.#ctx.signal.request('recording.setOutput', { outputId: o.id, enabled }));
    });
    const remove = button('rec.output.remove', () => void this.#remove(o), {
      class: 'small danger',
      data: { action: 'remove-output' },
      ariaLabel: t('rec.output.removeOf', { label: o.label }),
    });
    remove.hidden = !this.#may;
    const el = h(
      'li',
      { class: 'rec-output', data: { outputId: o.id } },
      h('div', { class: 'rec-output-head' }, h('strong', { class: 'rec-output-label' }, o.label), chip),
      h('div', { class: 'rec-output-url', attrs: { title: o.url } }, o.url),
      error,
      h('div', { class: 'rec-output-actions' }, h('label', { class: 'check' }, toggle, tr('rec.output.enable')), remove),
    );
    const update = (now: LiveOutputView): void => {
      el.dataset['state'] = now.state;
      chip.dataset['state'] = now.state;
      setText(chip, now.state === 'retrying' ? t('rec.output.retrying', { n: now.attempt }) : t(`rec.output.${now.state}`));
      const failed = now.error !== null && now.state !== 'live' && now.state !== 'off';
      error.hidden = !failed;
      setText(error, failed && now.error ? t('rec.output.error', { what: outputError(now.error) }) : '');
      if (document.activeElement !== toggle) toggle.checked = now.enabled;
    };
    return { el, update };
  }

  async #remove(o: LiveOutputView): Promise<void> {
    if (!confirm(t('rec.output.removeConfirm', { label: o.label }))) return;
    await this.#send(this.#ctx.signal.request('recording.removeOutput', { outputId: o.id }));
  }

  /** Checks the form like the hub would; sends only a good address. */
  async #add(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const label = this.#label.value.trim();
    const url = this.#url.value.trim();
    const labelProblem: Key | null = label === '' ? 'rec.bad.label' : null;
    const problem = url === '' ? 'empty' : url.length > LIMITS.liveOutputUrlMax ? 'long' : liveOutputUrlProblem(url);
    const urlProblem: Key | null =
      problem === null ? null : (PROBLEMS[problem] ?? (problem === 'empty' ? 'rec.bad.empty' : 'rec.bad.long'));
    this.#fieldError(this.#label, this.#labelError, labelProblem);
    this.#fieldError(this.#url, this.#urlError, urlProblem);
    if (labelProblem) return this.#label.focus();
    if (urlProblem) return this.#url.focus();
    const view = await this.#send(this.#ctx.signal.request('recording.addOutput', { url, label, enabled: true }));
    if (!view) return;
    this.#label.value = '';
    this.#url.value = '';
    this.#box.open = false;
  }

  #fieldError(input: HTMLInputElement, line: HTMLElement, key: Key | null): void {
    line.hidden = key === null;
    input.setAttribute('aria-invalid', String(key !== null));
    if (key) {
      line.dataset['i18n'] = key;
      line.dataset['problem'] = key.slice('rec.bad.'.length);
    } else {
      delete line.dataset['i18n'];
      delete line.dataset['problem'];
    }
    setText(line, key ? t(key) : '');
  }
}
