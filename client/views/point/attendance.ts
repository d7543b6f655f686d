// Attendance at a point: the technician reports the people present (with an optional breakdown), and
// answers the host's roll call with one large button while it is open.
import { LIMITS } from '../../../shared/rules.ts';
import type { AppContext } from '../../app.ts';
import { clock, onLanguage, t, timeOfDay } from '../../i18n.ts';
import { button, field, h, setText } from '../../ui/dom.ts';
import { act, toast } from '../../ui/toast.ts';

const GROUP_ROWS = 3;

export class AttendanceForm {
  readonly el: HTMLElement;
  /** The roll-call prompt, placed where the technician cannot miss it. */
  readonly rollPrompt: HTMLElement;
  readonly #ctx: AppContext;
  readonly #present = h('input', { attrs: { type: 'number', min: 0, max: LIMITS.attendanceMax, required: true, name: 'present' } });
  readonly #groups: Array<{ name: HTMLInputElement; count: HTMLInputElement }> = [];
  readonly #last = h('p', { class: 'muted', attrs: { 'aria-live': 'polite' } });
  readonly #rollText = h('p', { class: 'roll-text' });
  readonly #confirm: HTMLButtonElement;

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
    const rows: HTMLElement[] = [];
    for (let i = 0; i < GROUP_ROWS; i++) {
      const name = h('input', { attrs: { maxlength: LIMITS.categoryMax, name: `group-${i}` } });
      const count = h('input', { attrs: { type: 'number', min: 0, max: LIMITS.attendanceMax, name: `group-count-${i}` } });
      this.#groups.push({ name, count });
      rows.push(h('div', { class: 'row' }, field('att.groupName', name), field('att.groupCount', count)));
    }
    const form = h(
      'form',
      {
        class: 'attendance-form',
        on: {
          submit: (event) => {
            event.preventDefault();
            void this.#send();
          },
        },
      },
      field('att.present', this.#present),
      ...rows,
      button('att.report', () => undefined, { class: 'primary', attrs: { type: 'submit' } }),
    );
    this.el = h('section', { class: 'attendance-report', label: 'att.title' }, form, this.#last);
    const confirm = (): void => void act(ctx.signal.request('rollcall.confirm', {}));
    this.#confirm = button('roll.confirm', confirm, { class: 'primary big', data: { action: 'rollcall-confirm' } });
    this.rollPrompt = h('section', { class: 'panel roll-prompt', attrs: { role: 'alert' } }, this.#rollText, this.#confirm);
    for (const event of ['welcome', 'attendance', 'rollcall'] as const) ctx.store.on(event, () => this.render());
    onLanguage(() => this.render());
    ctx.store.on('tick', () => this.#tickRoll());
  }

  async #send(): Promise<void> {
    const groups: Record<string, number> = {};
    for (const { name, count } of this.#groups) {
      const key = name.value.trim();
      if (key && count.value !== '') groups[key] = Number(count.value);
    }
    const done = await act(this.#ctx.signal.request('attendance.report', { present: Number(this.#present.value), groups }));
    if (!done) return;
    this.#ctx.store.applyAttendance(done);
    toast(t('att.sent'));
  }

  render(): void {
    const { store } = this.#ctx;
    const me = store.self?.pointId ?? '';
    const report = store.attendance.get(me);
    const expected = store.point(me)?.expectedAttendance ?? 0;
    const when = report ? t('att.reportedAt', { time: timeOfDay(report.reportedAt) }) : '';
    this.#last.textContent = report ? `${report.present}/${expected} · ${when}` : t('att.notReported');
    this.#tickRoll();
  }

  /** The roll-call prompt with its countdown (on every clock tick). */
  #tickRoll(): void {
    const { store } = this.#ctx;
    const me = store.self?.pointId ?? '';
    const roll = store.rollCall;
    const left = roll ? (roll.deadline - store.now()) / 1000 : 0;
    const confirmed = roll?.confirmed[me] !== undefined;
    const open = !!roll?.open && left > 0;
    this.rollPrompt.hidden = !open;
    this.#confirm.hidden = confirmed;
    setText(this.#rollText, confirmed ? `✓ ${t('roll.confirmed')}` : open ? t('roll.open', { time: clock(left) }) : '');
  }
}
