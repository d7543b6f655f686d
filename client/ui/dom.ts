// DOM building without innerHTML: every string becomes a text node, so text from people (names,
// questions, notes) can never become markup. Elements labelled from the dictionary carry their key and
// are re-drawn here when the language changes.
import { lang, onLanguage, t, type Key } from '../i18n.ts';

onLanguage(() => {
  document.documentElement.lang = lang();
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset['i18n'] as Key);
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n-label]')) {
    el.setAttribute('aria-label', t(el.dataset['i18nLabel'] as Key));
  }
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n-placeholder]')) {
    el.setAttribute('placeholder', t(el.dataset['i18nPlaceholder'] as Key));
  }
});

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  id?: string;
  /** Plain attributes (type, name, role, for, min, max, ...); undefined and false are left out. */
  attrs?: Record<string, string | number | boolean | undefined>;
  data?: Record<string, string>;
  /** aria-label from the dictionary; follows language switches. */
  label?: Key;
  /** aria-label for text already translated or from people (re-drawn by the caller). */
  ariaLabel?: string;
  on?: { [E in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[E]) => void };
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.id) el.id = props.id;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [name, value] of Object.entries(props.data ?? {})) el.dataset[name] = value;
  if (props.label) {
    el.dataset['i18nLabel'] = props.label;
    el.setAttribute('aria-label', t(props.label));
  }
  if (props.ariaLabel) el.setAttribute('aria-label', props.ariaLabel);
  for (const [event, handler] of Object.entries(props.on ?? {})) el.addEventListener(event, handler as EventListener);
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** A span whose text follows the language. */
export function tr(key: Key, tag: 'span' | 'h2' | 'h3' | 'p' | 'label' | 'legend' | 'strong' = 'span', props: Props = {}): HTMLElement {
  const el = h(tag, props, t(key));
  el.dataset['i18n'] = key;
  return el;
}

/** A button labelled from the dictionary (its text follows the language). */
export function button(key: Key, onClick: (event: MouseEvent) => void, props: Props = {}): HTMLButtonElement {
  const el = h('button', { ...props, attrs: { type: 'button', ...props.attrs }, on: { click: onClick, ...props.on } }, t(key));
  el.dataset['i18n'] = key;
  return el;
}

/** A labelled form control: <label><span>text</span>control</label>. */
export function field(key: Key, control: HTMLElement, props: Props = {}): HTMLLabelElement {
  return h('label', { class: `field ${props.class ?? ''}`.trim() }, tr(key), control);
}

export function option(value: string, text: string, selected = false): HTMLOptionElement {
  const el = h('option', { attrs: { value } }, text);
  el.selected = selected;
  return el;
}

/** Sets `el`'s text only when it changed (clock ticks must not re-announce unchanged live regions). */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** Replaces the children of `el`. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, ...children);
}
