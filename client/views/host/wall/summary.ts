// The wall in four figures, beside the start button: points connected and ready out of all remote points,
// people present out of those expected (from the points' attendance reports), and hands raised.
import { formatNumber, onLanguage, t, type Key } from '../../../i18n.ts';
import type { Store } from '../../../state.ts';
import { h, setText } from '../../../ui/dom.ts';

type Figure = 'connected' | 'ready' | 'present' | 'hands';

export class WallSummary {
  readonly el: HTMLElement;
  readonly #store: Store;
  readonly #values = new Map<Figure, { value: HTMLElement; item: HTMLElement }>();

  constructor(store: Store) {
    this.#store = store;
    this.el = h('dl', { class: 'wall-summary', label: 'sum.label' });
    for (const figure of ['connected', 'ready', 'present', 'hands'] as const) {
      const value = h('dd', { class: 'sum-value' });
      const label = h('dt', { class: 'sum-label' });
      label.dataset['i18n'] = `sum.${figure}`;
      label.textContent = t(`sum.${figure}`);
      const item = h('div', { class: 'sum-item', data: { figure } }, label, value);
      this.#values.set(figure, { value, item });
      this.el.append(item);
    }
    for (const event of ['welcome', 'points', 'floor', 'attendance', 'readiness'] as const) store.on(event, () => this.render());
    onLanguage(() => this.render());
  }

  render(): void {
    const store = this.#store;
    const points = store.remotePoints();
    const total = points.length;
    const connected = points.filter((p) => p.connection === 'connected').length;
    const ready = points.filter((p) => store.readiness.get(p.id)?.state === 'ready').length;
    const present = points.reduce((sum, p) => sum + (store.attendance.get(p.id)?.present ?? 0), 0);
    const expected = points.reduce((sum, p) => sum + p.expectedAttendance, 0);
    const hands = store.floor.queue.length;
    this.#set('connected', `${connected}/${total}`, 'sum.connectedLong', connected, total, connected < total);
    this.#set('ready', `${ready}/${total}`, 'sum.readyLong', ready, total, ready < total);
    this.#set('present', `${formatNumber(present)}/${formatNumber(expected)}`, 'sum.presentLong', present, expected, false);
    this.#set('hands', formatNumber(hands), 'sum.handsLong', hands, hands, hands > 0);
  }

  #set(figure: Figure, text: string, long: Key, value: number, total: number, attention: boolean): void {
    const entry = this.#values.get(figure);
    if (!entry) return;
    setText(entry.value, text);
    entry.item.title = t(long, { value, total });
    entry.item.classList.toggle('attention', attention);
  }
}
