// The agenda: items with their rapporteurs and planned length; the current one with its elapsed time.
// The host moves through it; everyone else sees where the conference is.
import { controls } from '../../../shared/rules.ts';
import type { AppContext } from '../../app.ts';
import { clock, onLanguage, t } from '../../i18n.ts';
import { button, h, setText, tr } from '../../ui/dom.ts';
import { act } from '../../ui/toast.ts';

export class AgendaPanel {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #list = h('ol', { class: 'agenda-list' });
  readonly #empty = tr('agenda.empty', 'p', { class: 'muted' });
  readonly #clear: HTMLButtonElement;

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
    this.#clear = button('agenda.clear', () => void act(ctx.signal.request('agenda.goto', { itemId: null })), { class: 'small' });
    this.el = h('section', { class: 'agenda', label: 'agenda.title' }, this.#empty, this.#list, this.#clear);
    for (const event of ['welcome', 'agenda', 'points', 'status'] as const) ctx.store.on(event, () => this.render());
    onLanguage(() => this.render());
    ctx.store.on('tick', () => this.#tick());
  }

  render(): void {
    const { store, signal } = this.#ctx;
    const agenda = store.agenda;
    // The conference over, the agenda stands still: no moving through it, no elapsed time counting on.
    const host = store.may(controls) && store.status !== 'ended';
    this.#empty.hidden = agenda.items.length > 0;
    this.#clear.hidden = !host || agenda.currentItemId === null;
    this.#list.replaceChildren(
      ...agenda.items.map((item) => {
        const current = item.id === agenda.currentItemId;
        const from = item.rapporteurPointId ? store.pointName(item.rapporteurPointId) : '';
        const rapporteur = [item.rapporteur, from].filter(Boolean).join(' — ');
        const go = button('agenda.goto', () => void act(signal.request('agenda.goto', { itemId: item.id })), {
          class: 'small',
          data: { action: 'goto' },
          ariaLabel: `${t('agenda.goto')}: ${item.title}`,
        });
        go.hidden = !host || current;
        return h(
          'li',
          {
            class: current ? 'agenda-item current' : 'agenda-item',
            data: { itemId: item.id },
            attrs: { 'aria-current': current ? 'step' : undefined },
          },
          h('div', { class: 'agenda-title' }, item.title),
          h('div', { class: 'muted' }, [rapporteur, t('agenda.minutes', { minutes: item.plannedMinutes })].filter(Boolean).join(' · ')),
          current && store.status !== 'ended' ? h('div', { class: 'agenda-elapsed', attrs: { role: 'timer' } }) : null,
          go,
        );
      }),
    );
    this.#tick();
  }

  #tick(): void {
    const { store } = this.#ctx;
    const since = store.agenda.currentSince;
    const el = this.#list.querySelector('.agenda-elapsed');
    if (!el || since === null) return;
    const item = store.agenda.items.find((i) => i.id === store.agenda.currentItemId);
    const planned = item ? t('agenda.minutes', { minutes: item.plannedMinutes }) : '';
    setText(el, `${t('agenda.current')}: ${clock((store.now() - since) / 1000)} / ${planned}`);
  }
}
