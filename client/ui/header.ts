// The top bar of the consoles: conference, this point and role, the conference status, the link to the
// hub, the language switch and the hub's clock. Extra controls (the host's start/end) go in `actions`.
import { lang, onLanguage, setLang, t, timeOfDay } from '../i18n.ts';
import type { Store } from '../state.ts';
import { h, setText } from './dom.ts';

export function languageButton(): HTMLButtonElement {
  const el = h('button', {
    class: 'lang',
    attrs: { type: 'button', lang: lang() === 'vi' ? 'en' : 'vi' },
    label: 'lang.switch',
    on: { click: () => setLang(lang() === 'vi' ? 'en' : 'vi') },
  });
  el.dataset['i18n'] = 'lang.other';
  el.textContent = t('lang.other');
  return el;
}

export class Header {
  readonly el: HTMLElement;
  readonly actions = h('div', { class: 'header-actions' });
  readonly #store: Store;
  readonly #title = h('h1', { class: 'header-title' });
  readonly #who = h('div', { class: 'header-who' });
  readonly #status = h('span', { class: 'badge status', attrs: { role: 'status' } });
  readonly #link = h('span', { class: 'badge link', attrs: { role: 'status', 'aria-live': 'polite' } });
  readonly #clock = h('time', { class: 'header-clock' });

  constructor(store: Store) {
    this.#store = store;
    this.el = h(
      'header',
      { class: 'app-header' },
      h('div', { class: 'header-main' }, this.#title, this.#who),
      this.#status,
      this.#link,
      this.actions,
      languageButton(),
      this.#clock,
    );
    for (const event of ['welcome', 'status', 'link', 'points'] as const) store.on(event, () => this.render());
    onLanguage(() => this.render());
    store.on('tick', () => setText(this.#clock, timeOfDay(store.now())));
    this.render();
  }

  render(): void {
    const store = this.#store;
    this.#title.textContent = store.conference?.title ?? t('app.title');
    // The bar cuts a long title with an ellipsis; the whole of it shows on hover.
    this.#title.title = this.#title.textContent;
    const self = store.self;
    this.#who.textContent = self ? `${store.pointName(self.pointId)} · ${t(`role.${self.role}`)}` : '';
    this.#status.textContent = t(`status.${store.status}`);
    this.#status.dataset['status'] = store.status;
    // The conference over, the link's state says nothing more (the status badge says "ended").
    this.#link.hidden = store.status === 'ended';
    this.#link.textContent = t(`link.${store.link}`);
    this.#link.dataset['link'] = store.link;
    this.#clock.textContent = timeOfDay(store.now());
  }
}
