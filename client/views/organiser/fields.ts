// The organiser page's labelled controls: an input with its label, hint and error line (the input carries
// `data-field` with its path, e.g. `agenda.2.plannedMinutes`), marking a field's problem, a page heading.
import { t, type Key } from '../../i18n.ts';
import { h, tr } from '../../ui/dom.ts';

/** A labelled control with its error line: `<label class="field"><span>…</span>control<span class="org-field-error"></span></label>`. */
export function fieldBox(key: Key, control: HTMLElement, path: string, hint?: Key): HTMLLabelElement {
  control.dataset['field'] = path;
  const error = h('span', { class: 'org-field-error', attrs: { role: 'alert', hidden: true }, data: { errorFor: path } });
  return h('label', { class: 'field org-field' }, tr(key), control, hint ? tr(hint, 'span', { class: 'org-hint' }) : null, error);
}

/** Shows (or clears, with null) the problem of the control for `path` inside `root`. */
export function markField(root: ParentNode, path: string, message: string | null): void {
  const control = root.querySelector<HTMLElement>(`[data-field="${CSS.escape(path)}"]`);
  if (!control) return;
  control.toggleAttribute('aria-invalid', message !== null);
  if (message !== null) control.setAttribute('aria-invalid', 'true');
  const error = control.closest('.org-field, .org-cell')?.querySelector<HTMLElement>(':scope > .org-field-error');
  if (!error) return;
  error.textContent = message ?? '';
  error.hidden = message === null;
}

/** A page's heading from the dictionary (its text follows the language, like `tr`). */
export function heading(key: Key): HTMLHeadingElement {
  return h('h1', { data: { i18n: key } }, t(key));
}
