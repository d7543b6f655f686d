// Attendance, roll call and the readiness board in one table: the centre's own connection test first, then
// for every remote point its connection, the people present against those expected, whether it answered
// the roll call, and the result of its connection test (state, reasons, when, what the client and the hub
// measured).
import '../check/check.css';
import type { PointView } from '../../../shared/domain.ts';
import type { ReadinessView } from '../../../shared/records.ts';
import { controls, LIMITS } from '../../../shared/rules.ts';
import type { AppContext } from '../../app.ts';
import { clock, onLanguage, t, timeOfDay, type Key } from '../../i18n.ts';
import { linkText, readinessText } from '../../i18n/describe.ts';
import { button, field, h, setText, tr } from '../../ui/dom.ts';
import { act } from '../../ui/toast.ts';
import { shortNames } from './wall/names.ts';

function measurement(view: ReadinessView | undefined): string {
  const m = view?.measurement;
  if (!m) return '';
  return `↑ ${linkText(m.send)} · ↓ ${linkText(m.receive)} · ${t('test.mic')} ${Math.round(m.microphoneLevelDb)} dB`;
}

/** The readiness cell: the verdict, each reason in words, and what was measured. */
function readinessCell(ready: ReadinessView | undefined): HTMLElement {
  const state = ready?.state ?? 'not_tested';
  return h(
    'td',
    {},
    h('span', { class: 'badge ready', data: { state } }, t(`ready.${state}`)),
    ready?.testedAt ? h('span', { class: 'muted tested-at' }, ` ${t('check.testedAt', { time: timeOfDay(ready.testedAt) })}`) : null,
    ...(ready?.reasons ?? []).map((r) => h('div', { class: 'muted ready-reason', data: { reason: r.code } }, readinessText(r))),
    ready?.measurement ? h('div', { class: 'muted small-text' }, measurement(ready)) : null,
  );
}

export class AttendancePanel {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #seconds = h('input', {
    attrs: {
      type: 'number',
      min: LIMITS.rollCallSecondsMin,
      max: LIMITS.rollCallSecondsMax,
      step: 10,
      value: LIMITS.rollCallSecondsDefault,
      name: 'rollcall-seconds',
    },
  });
  readonly #start: HTMLButtonElement;
  readonly #roll = h('p', { class: 'roll-state', attrs: { 'aria-live': 'polite' } });
  readonly #total = h('p', { class: 'att-total' });
  #short = new Map<string, string>();
  readonly #body = h('tbody');

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
    const { store, signal } = ctx;
    const seconds = (): number => Number(this.#seconds.value) || LIMITS.rollCallSecondsDefault;
    const start = (): void => void act(signal.request('rollcall.start', { seconds: seconds() }));
    this.#start = button('roll.start', start, { class: 'primary', data: { action: 'rollcall' } });
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
        h('thead', {}, h('tr', {}, ...(['att.point', 'ready.connection', 'att.present', 'roll.column', 'ready.title'] as const).map(head))),
        this.#body,
      ),
    );
    for (const event of ['welcome', 'points', 'attendance', 'rollcall', 'readiness'] as const) store.on(event, () => this.render());
    onLanguage(() => this.render());
    store.on('tick', () => this.#tickRoll());
  }

  render(): void {
    const { store } = this.#ctx;
    this.#start.hidden = !store.may(controls);
    this.#seconds.parentElement?.toggleAttribute('hidden', !store.may(controls));
    let present = 0;
    let expected = 0;
    const centre = store.point(store.centralPointId);
    // The roster names points as the wall does (without the words all of a level share), the full name on hover.
    this.#short = shortNames([...store.points.values()]);
    this.#body.replaceChildren(
      ...(centre ? [this.#centreRow(centre)] : []),
      ...store.remotePoints().map((point) => {
        const report = store.attendance.get(point.id);
        present += report?.present ?? 0;
        expected += point.expectedAttendance;
        return this.#row(point);
      }),
    );
    this.#total.textContent = t('att.total', { present, expected });
    this.#tickRoll();
  }

  #row(point: PointView): HTMLElement {
    const { store } = this.#ctx;
    const report = store.attendance.get(point.id);
    const roll = store.rollCall;
    const confirmedAt = roll?.confirmed[point.id];
    const groups = report
      ? Object.entries(report.groups)
          .map(([name, n]) => `${name}: ${n}`)
          .join(', ')
      : '';
    const when = report ? t('att.reportedAt', { time: timeOfDay(report.reportedAt) }) : '';
    const reported = report ? [when, groups].filter(Boolean).join(' · ') : t('att.notReported');
    return h(
      'tr',
      { data: { pointId: point.id } },
      h('th', { attrs: { scope: 'row', title: point.name } }, this.#short.get(point.id) ?? point.name),
      h('td', {}, h('span', { class: 'badge conn', data: { conn: point.connection } }, t(`conn.${point.connection}`))),
      h('td', {}, h('strong', {}, `${report ? report.present : '–'}/${point.expectedAttendance}`), h('div', { class: 'muted' }, reported)),
      h('td', {}, roll ? (confirmedAt ? `✓ ${timeOfDay(confirmedAt)}` : roll.open ? '…' : '✗') : ''),
      readinessCell(store.readiness.get(point.id)),
    );
  }

  /** The centre checks itself: its connection and test result, nothing to report or confirm. */
  #centreRow(centre: PointView): HTMLElement {
    return h(
      'tr',
      { class: 'centre-row', data: { pointId: centre.id } },
      h('th', { attrs: { scope: 'row' } }, centre.name, h('div', { class: 'muted' }, t('check.centre'))),
      h('td', {}, h('span', { class: 'badge conn', data: { conn: centre.connection } }, t(`conn.${centre.connection}`))),
      h('td', {}, ''),
      h('td', {}, ''),
      readinessCell(this.#ctx.store.readiness.get(centre.id)),
    );
  }

  #tickRoll(): void {
    const { store } = this.#ctx;
    const roll = store.rollCall;
    this.#start.disabled = store.status === 'ended';
    if (!roll) {
      setText(this.#roll, '');
      return;
    }
    const total = store.remotePoints().length;
    const count = t('roll.count', { count: Object.keys(roll.confirmed).length, total });
    const left = (roll.deadline - store.now()) / 1000;
    const open = roll.open && left > 0;
    const state = open ? t('roll.open', { time: clock(left) }) : t('roll.closed');
    setText(this.#roll, `${state} · ${count}`);
    // One roll call at a time: the button waits until this one closes.
    this.#start.disabled = open || store.status === 'ended';
  }
}
