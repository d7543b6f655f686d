// The host's floor control: who speaks now with a visible countdown, take back and extend, the length
// of the next grant, and the queue of requests with grant, reorder and drop.
import { controls, LIMITS } from '../../../shared/rules.ts';
import type { AppContext } from '../../app.ts';
import { clock, onLanguage, t, timeOfDay } from '../../i18n.ts';
import { button, field, h, setText, tr } from '../../ui/dom.ts';
import { act } from '../../ui/toast.ts';
import './floor.css';

const EXTEND_SECONDS = 60;

export class FloorPanel {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #holder = h('div', { class: 'floor-holder', attrs: { 'aria-live': 'polite' } });
  readonly #countdown = h('div', { class: 'floor-countdown', attrs: { role: 'timer' } });
  readonly #revoke: HTMLButtonElement;
  readonly #extend: HTMLButtonElement;
  readonly #seconds = h('input', {
    attrs: { type: 'number', min: LIMITS.floorSecondsMin, max: LIMITS.floorSecondsMax, step: 5, name: 'floor-seconds' },
  });
  readonly #queue = h('ol', { class: 'floor-queue' });
  readonly #empty = tr('floor.queueEmpty', 'p', { class: 'muted' });

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
    const { store, signal } = ctx;
    const revoke = (): void => void act(signal.request('floor.revoke', {}));
    this.#revoke = button('floor.revoke', revoke, { class: 'danger', data: { action: 'revoke' } });
    this.#extend = h('button', {
      attrs: { type: 'button' },
      data: { action: 'extend' },
      on: { click: () => void act(signal.request('floor.extend', { seconds: EXTEND_SECONDS })) },
    });
    this.el = h(
      'section',
      { class: 'panel floor-panel', attrs: { 'aria-labelledby': 'floor-title' } },
      tr('floor.title', 'h2', { id: 'floor-title' }),
      h('div', { class: 'floor-now' }, this.#holder, this.#countdown, h('div', { class: 'row' }, this.#revoke, this.#extend)),
      field('floor.seconds', this.#seconds, { class: 'floor-seconds' }),
      tr('floor.queue', 'h3'),
      this.#empty,
      this.#queue,
    );
    store.on('welcome', () => {
      if (!this.#seconds.value) this.#seconds.value = String(store.conference?.floorSeconds ?? LIMITS.conferenceFloorSecondsDefault);
      store.applyGrantSeconds(this.seconds());
      this.render();
    });
    this.#seconds.addEventListener('input', () => store.applyGrantSeconds(this.seconds()));
    store.on('floor', () => this.render());
    store.on('points', () => this.render());
    store.on('status', () => this.render());
    store.on('warning', ({ pointId, secondsLeft }) => {
      if (pointId === store.floor.pointId) this.#countdown.dataset['warning'] = String(secondsLeft);
    });
    onLanguage(() => this.render());
    store.on('tick', () => this.#tick());
  }

  /** The length the host chose for the next grant. */
  seconds(): number | undefined {
    const value = Number(this.#seconds.value);
    return Number.isInteger(value) && value >= LIMITS.floorSecondsMin && value <= LIMITS.floorSecondsMax ? value : undefined;
  }

  render(): void {
    const { store, signal } = this.#ctx;
    const floor = store.floor;
    const ended = store.status === 'ended';
    const host = store.may(controls) && !ended;
    this.#seconds.disabled = !host;
    this.#holder.textContent = floor.pointId ? `${t('floor.speaking')}: ${store.pointName(floor.pointId)}` : t('floor.atCentre');
    this.#holder.dataset['pointId'] = floor.pointId ?? '';
    this.#revoke.hidden = !floor.pointId || !host;
    this.#extend.hidden = !floor.pointId || !host;
    this.#extend.textContent = t('floor.extend', { seconds: EXTEND_SECONDS });
    if (!floor.pointId) delete this.#countdown.dataset['warning'];
    this.#empty.hidden = floor.queue.length > 0;
    const last = floor.queue.length - 1;
    this.#queue.replaceChildren(
      ...floor.queue.map((request, index) => {
        const name = store.pointName(request.pointId);
        const give = (): void => void act(signal.request('floor.grant', { pointId: request.pointId, seconds: this.seconds() }));
        const offline = store.point(request.pointId)?.connection !== 'connected';
        const grant = button('floor.grant', give, {
          class: 'primary small',
          data: { action: 'grant', offline: String(offline) },
          ariaLabel: offline ? `${name}: ${t('flows.offline')}` : t('wall.grant', { name }),
        });
        grant.disabled = offline;
        if (offline) grant.title = t('flows.offline');
        const up = h(
          'button',
          {
            class: 'small',
            attrs: { type: 'button', disabled: index === 0 },
            ariaLabel: `${t('floor.up')}: ${name}`,
            data: { action: 'up' },
            on: { click: () => void act(signal.request('floor.reorder', { pointId: request.pointId, position: index - 1 })) },
          },
          '▲',
        );
        const down = h(
          'button',
          {
            class: 'small',
            attrs: { type: 'button', disabled: index === last },
            ariaLabel: `${t('floor.down')}: ${name}`,
            data: { action: 'down' },
            on: { click: () => void act(signal.request('floor.reorder', { pointId: request.pointId, position: index + 1 })) },
          },
          '▼',
        );
        const drop = h(
          'button',
          {
            class: 'small',
            attrs: { type: 'button' },
            ariaLabel: `${t('floor.drop')}: ${name}`,
            data: { action: 'drop' },
            on: { click: () => void act(signal.request('floor.drop', { pointId: request.pointId })) },
          },
          '✕',
        );
        for (const b of [grant, up, down, drop]) b.hidden = !host;
        return h(
          'li',
          { class: 'floor-request', data: { pointId: request.pointId } },
          h('span', { class: 'floor-pos' }, String(index + 1)),
          h(
            'div',
            { class: 'floor-who' },
            h('strong', {}, name),
            request.note ? h('span', { class: 'note' }, request.note) : null,
            offline ? h('span', { class: 'note offline', data: { reason: 'floor.point_offline' } }, t('flows.offline')) : null,
          ),
          h('time', { class: 'muted' }, timeOfDay(request.requestedAt)),
          h('div', { class: 'row' }, grant, up, down, drop),
        );
      }),
    );
    this.#tick();
  }

  #tick(): void {
    const { store } = this.#ctx;
    const endsAt = store.status === 'ended' ? null : store.floor.endsAt;
    this.#countdown.hidden = endsAt === null;
    if (endsAt === null) return;
    const left = (endsAt - store.now()) / 1000;
    setText(this.#countdown, t('floor.remaining', { time: clock(left) }));
    this.#countdown.classList.toggle('ending', left <= LIMITS.floorWarningSeconds);
  }
}
