// Attendance, roll call and the readiness board in one table: for every remote point its connection,
// the people present against those expected, whether it answered the roll call, and the result of its
// connection test (state, reasons, what the client and the hub measured).
import type { ReadinessView } from '../../../shared/records.ts';
import type { AppContext } from '../../app.ts';
import { clock, onLanguage, t, timeOfDay, type Key } from '../../i18n.ts';
import { button, field, h, tr } from '../../ui/dom.ts';
import { act } from '../../ui/toast.ts';

function measurement(view: ReadinessView | undefined): string {
  const m = view?.measurement;
  if (!m) return '';
  const link = (l: typeof m.send): string =>
    t('test.link', { bitrate: Math.round(l.bitrateKbps), loss: l.lossPercent.toFixed(1), rtt: Math.round(l.roundTripMs) });
  return `↑ ${link(m.send)} · ↓ ${link(m.receive)} · ${t('test.mic')} ${Math.round(m.microphoneLevelDb)} dB`;
}

export class AttendancePanel {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #seconds = h('input', { attrs: { type: 'number', min: 10, max: 900, step: 10, value: 60, name: 'rollcall-seconds' } });
  readonly #start: HTMLButtonElement;
  readonly #roll = h('p', { class: 'roll-state', attrs: { 'aria-live': 'polite' } });
  readonly #total = h('p', { class: 'att-total' });
  readonly #body = h('tbody');

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
    const { store, signal } = ctx;
    this.#start = button('roll.start', () => void act(signal.request('rollcall.start', { seconds: Number(this.#seconds.value) || 60 })), {
      class: 'primary',
      data: { action: 'rollcall' },
    });
    const head = (key: Key): HTMLElement => h('th', { attrs: { scope: 'col' } }, tr(key));
    this.el = h(
      'section',
      { class: 'attendance', label: 'tab.attendance' },
      h('div', { class: 'row roll-controls' }, field('roll.seconds', this.#seconds), this.#start),
      this.#roll,
      this.#total,
      h(
        'table',
        { class: 'board' },
        h('thead', {}, h('tr', {}, head('att.point'), head('ready.connection'), head('att.present'), head('roll.column'), head('ready.title'))),
        this.#body,
      ),
    );
    for (const event of ['welcome', 'points', 'attendance', 'rollcall', 'readiness'] as const) store.on(event, () => this.render());
    onLanguage(() => this.render());
    setInterval(() => this.#tickRoll(), 1000);
  }

  render(): void {
    const { store } = this.#ctx;
    this.#start.hidden = store.self?.role !== 'host';
    this.#seconds.parentElement?.toggleAttribute('hidden', store.self?.role !== 'host');
    const roll = store.rollCall;
    let present = 0;
    let expected = 0;
    this.#body.replaceChildren(
      ...store.remotePoints().map((point) => {
        const report = store.attendance.get(point.id);
        const ready = store.readiness.get(point.id);
        const confirmedAt = roll?.confirmed[point.id];
        present += report?.present ?? 0;
        expected += point.expectedAttendance;
        const groups = report ? Object.entries(report.groups).map(([name, n]) => `${name}: ${n}`).join(', ') : '';
        const state = ready?.state ?? 'not_tested';
        return h(
          'tr',
          { data: { pointId: point.id } },
          h('th', { attrs: { scope: 'row' } }, point.name),
          h('td', {}, h('span', { class: 'badge conn', data: { conn: point.connection } }, t(`conn.${point.connection}` as Key))),
          h(
            'td',
            {},
            h('strong', {}, report ? `${report.present}/${point.expectedAttendance}` : `–/${point.expectedAttendance}`),
            h('div', { class: 'muted' }, report ? [t('att.reportedAt', { time: timeOfDay(report.reportedAt) }), groups].filter(Boolean).join(' · ') : t('att.notReported')),
          ),
          h('td', {}, roll ? (confirmedAt ? `✓ ${timeOfDay(confirmedAt)}` : roll.open ? '…' : '✗') : ''),
          h(
            'td',
            {},
            h('span', { class: 'badge ready', data: { state } }, t(`ready.${state}` as Key)),
            ready?.reasons.length ? h('div', { class: 'muted' }, ready.reasons.join('; ')) : null,
            ready?.measurement ? h('div', { class: 'muted small-text' }, measurement(ready)) : null,
          ),
        );
      }),
    );
    this.#total.textContent = t('att.total', { present, expected });
    this.#tickRoll();
  }

  #tickRoll(): void {
    const { store } = this.#ctx;
    const roll = store.rollCall;
    if (!roll) {
      this.#roll.textContent = '';
      return;
    }
    const total = store.remotePoints().length;
    const count = t('roll.count', { count: Object.keys(roll.confirmed).length, total });
    const left = (roll.deadline - store.now()) / 1000;
    this.#roll.textContent = roll.open && left > 0 ? `${t('roll.open', { time: clock(left) })} · ${count}` : `${t('roll.closed')} · ${count}`;
  }
}
