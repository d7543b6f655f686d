// Asking for the floor at a point: the request with an optional topic, the place in the queue, and while
// the point is on the floor a clear on-air state with the time left (and the warning near the end), and
// its screen sharing (offered while on the floor, if the host allows it).
import { LIMITS } from '../../../shared/rules.ts';
import type { AppContext } from '../../app.ts';
import { clock, onLanguage, t } from '../../i18n.ts';
import { button, h, setText, tr } from '../../ui/dom.ts';
import { act } from '../../ui/toast.ts';
import { PointShare } from './share.ts';

export class PointFloor {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #onAir = h('div', { class: 'on-air', attrs: { role: 'status', 'aria-live': 'assertive' } });
  readonly #onAirLabel = h('div', { class: 'on-air-label' });
  readonly #onAirTime = h('div', { class: 'on-air-time', attrs: { role: 'timer' } });
  readonly #note = h('input', { attrs: { maxlength: LIMITS.floorNoteMax, name: 'floor-note' }, label: 'floor.note' });
  readonly #ask: HTMLButtonElement;
  readonly #cancel: HTMLButtonElement;
  readonly #position = h('p', { class: 'floor-position', attrs: { 'aria-live': 'polite' } });
  readonly #hint = h('p', { class: 'muted floor-hint' });
  #warning: number | null = null;

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
    const { store, signal } = ctx;
    this.#note.setAttribute('placeholder', t('floor.note'));
    this.#note.dataset['i18nPlaceholder'] = 'floor.note';
    this.#ask = button('floor.ask', () => void act(signal.request('floor.request', { note: this.#note.value.trim() })), {
      class: 'primary big',
      data: { action: 'ask' },
    });
    this.#cancel = button('floor.cancel', () => void act(signal.request('floor.cancel', {})), { data: { action: 'cancel' } });
    this.#onAir.append(this.#onAirLabel, this.#onAirTime);
    this.el = h(
      'section',
      { class: 'panel point-floor', attrs: { 'aria-labelledby': 'pf-title' } },
      tr('floor.title', 'h2', { id: 'pf-title' }),
      this.#onAir,
      this.#position,
      h('div', { class: 'ask-row' }, this.#note, this.#ask, this.#cancel),
      this.#hint,
      new PointShare(ctx).el,
    );
    for (const event of ['welcome', 'floor', 'status'] as const) store.on(event, () => this.render());
    store.on('warning', ({ pointId, secondsLeft }) => {
      if (pointId === store.self?.pointId) this.#warning = secondsLeft;
      this.render();
    });
    onLanguage(() => this.render());
    store.on('tick', () => this.#tick());
  }

  render(): void {
    const { store } = this.#ctx;
    const me = store.self?.pointId ?? '';
    const speaking = store.floor.pointId === me;
    const position = store.queuePosition(me);
    // The rehearsal rehearses the floor too; at go-live the hub sets its queue aside.
    const live = store.status === 'live' || store.status === 'rehearsal';
    if (!speaking) this.#warning = null;
    this.el.dataset['state'] = speaking ? 'on-air' : position > 0 ? 'queued' : 'idle';
    this.#onAir.hidden = !speaking;
    this.#onAirLabel.textContent = t('floor.onAir');
    this.#position.hidden = position === 0;
    this.#position.textContent = position > 0 ? t('floor.position', { position }) : '';
    this.#ask.hidden = speaking || position > 0;
    this.#ask.disabled = !live;
    this.#note.hidden = this.#ask.hidden;
    this.#note.disabled = !live;
    this.#cancel.hidden = position === 0;
    const hint =
      store.status === 'ended' ? 'flows.ended' : store.status === 'rehearsal' ? 'flows.rehearsal' : live ? null : 'floor.notLive';
    this.#hint.hidden = hint === null || speaking;
    this.#hint.textContent = hint ? t(hint) : '';
    this.#hint.dataset['status'] = store.status;
    this.#tick();
  }

  #tick(): void {
    const { store } = this.#ctx;
    const endsAt = store.status === 'ended' ? null : store.floor.endsAt;
    if (this.#onAir.hidden || endsAt === null) return;
    const left = (endsAt - store.now()) / 1000;
    const warned = this.#warning !== null || left <= LIMITS.floorWarningSeconds;
    const warning = warned ? ` · ${t('floor.warning', { seconds: Math.max(0, Math.ceil(left)) })}` : '';
    setText(this.#onAirTime, `${t('floor.remaining', { time: clock(left) })}${warning}`);
    this.#onAir.classList.toggle('ending', left <= LIMITS.floorWarningSeconds);
  }
}
