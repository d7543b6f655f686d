// The host's gain per point (the "Âm lượng" tab): the centre first, then every point in the conference's
// order, each with its live sound level (the wall's levels from the hub), a slider from -20 to +20 dB with
// its value, and a reset to 0 dB. Every display applies the gain to that point's sound. With 65 and more
// points the list is searched by name (with or without Vietnamese marks) and filtered (changed, connected).
import { GAIN_DB_MAX, GAIN_DB_MIN } from '../../../../shared/programme.ts';
import type { PointView } from '../../../../shared/domain.ts';
import type { AppContext } from '../../../app.ts';
import { formatNumber, onLanguage, t } from '../../../i18n.ts';
import { h, option, setText, tr } from '../../../ui/dom.ts';
import { act } from '../../../ui/toast.ts';
import { shortNames } from '../wall/names.ts';

/** A level older than this is silence (the hub reports while there is sound). */
const LEVEL_STALE_MS = 1500;
const FILTERS = ['all', 'changed', 'connected'] as const;
type Filter = (typeof FILTERS)[number];

/** Lower case without Vietnamese marks: "bien hoa" finds "Biên Hòa". */
const fold = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/gi, 'd').toLowerCase();

/** "+3 dB", "0 dB", "−4,5 dB". */
const dbText = (db: number): string => `${db > 0 ? '+' : db < 0 ? '−' : ''}${formatNumber(Math.abs(db))} dB`;

interface Row {
  point: PointView;
  el: HTMLLIElement;
  name: HTMLElement;
  meter: HTMLElement;
  bar: HTMLElement;
  slider: HTMLInputElement;
  value: HTMLOutputElement;
  reset: HTMLButtonElement;
  search: string;
  dragging: boolean;
  /** setGain requests not answered yet. */
  pending: number;
  volume: number;
}

export class GainsPanel {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #list = h('ul', { class: 'gain-list' });
  readonly #search = h('input', { attrs: { type: 'search', name: 'gain-search', autocomplete: 'off' }, label: 'programme.search' });
  readonly #filter = h('select', { attrs: { name: 'gain-filter' }, label: 'programme.filter' });
  readonly #count = h('span', { class: 'gain-count muted' });
  readonly #none = tr('programme.none', 'p', { class: 'muted' });
  readonly #rows = new Map<string, Row>();

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
    const { store } = ctx;
    this.#search.setAttribute('placeholder', t('programme.search'));
    this.#search.dataset['i18nPlaceholder'] = 'programme.search';
    this.#search.addEventListener('input', () => this.#applyFilter());
    this.#filter.addEventListener('change', () => this.#applyFilter());
    this.el = h(
      'section',
      { class: 'gains', attrs: { 'aria-labelledby': 'gains-title' } },
      tr('programme.gainsTitle', 'h3', { id: 'gains-title' }),
      tr('programme.gainsHint', 'p', { class: 'muted small-text' }),
      h('div', { class: 'gain-tools' }, this.#search, this.#filter, this.#count),
      this.#none,
      this.#list,
    );
    this.#fillFilter();
    store.on('welcome', () => this.#build());
    store.on('programme', () => this.#renderGains());
    store.on('points', () => this.#renderPoints());
    store.on('floor', () => this.#renderPoints());
    store.on('levels', () => this.#renderLevels());
    store.on('tick', () => this.#renderLevels());
    onLanguage(() => {
      this.#fillFilter();
      this.#build();
    });
    this.#build();
  }

  #fillFilter(): void {
    const chosen = this.#filter.value || 'all';
    this.#filter.replaceChildren(...FILTERS.map((f) => option(f, t(`programme.filter.${f}`), f === chosen)));
  }

  /** The rows for every point: the centre first, then the conference's order. */
  #build(): void {
    const { store } = this.#ctx;
    const centre = store.point(store.centralPointId);
    const remote = store.remotePoints();
    const short = shortNames(remote);
    const points = centre ? [centre, ...remote] : remote;
    this.#rows.clear();
    this.#list.replaceChildren(...points.map((p) => this.#row(p, p === centre ? p.name : (short.get(p.id) ?? p.name)).el));
    this.#renderGains();
    this.#renderPoints();
    this.#renderLevels();
  }

  #row(point: PointView, shown: string): Row {
    const { store, signal } = this.#ctx;
    const name = h('span', { class: 'gain-name', attrs: { title: point.name } }, shown);
    const bar = h('div', { class: 'meter-bar' });
    const meter = h(
      'div',
      {
        class: 'meter gain-meter',
        attrs: { role: 'meter', 'aria-valuemin': -127, 'aria-valuemax': 0 },
        ariaLabel: t('programme.levelOf', { name: point.name }),
      },
      bar,
    );
    const slider = h('input', {
      attrs: { type: 'range', min: GAIN_DB_MIN, max: GAIN_DB_MAX, step: 1, name: `gain-${point.id}` },
      ariaLabel: t('programme.gainOf', { name: point.name }),
    });
    const value = h('output', { class: 'gain-value', attrs: { 'aria-live': 'off' } });
    // While a change is on its way, the hub's echoes of the earlier ones do not move the slider back.
    const send = (gainDb: number): void => {
      row.pending++;
      void act(signal.request('programme.setGain', { pointId: point.id, gainDb })).then((view) => {
        row.pending--;
        if (view && row.pending === 0) store.applyProgramme(view);
        else this.#renderGains();
      });
    };
    const reset = h(
      'button',
      {
        class: 'small gain-reset',
        attrs: { type: 'button', title: t('programme.reset') },
        ariaLabel: t('programme.resetOf', { name: point.name }),
        data: { action: 'reset-gain' },
        on: { click: () => send(0) },
      },
      t('programme.resetShort'),
    );
    const row: Row = {
      point,
      el: h('li', { class: 'gain-row', data: { pointId: point.id } }, name, value, slider, reset, meter),
      name,
      meter,
      bar,
      slider,
      value,
      reset,
      search: fold(`${point.name} ${point.id}`),
      dragging: false,
      pending: 0,
      volume: Number.NaN,
    };
    slider.addEventListener('pointerdown', () => (row.dragging = true));
    slider.addEventListener('input', () => setText(value, dbText(Number(slider.value))));
    slider.addEventListener('change', () => {
      row.dragging = false;
      send(Number(slider.value));
    });
    this.#rows.set(point.id, row);
    return row;
  }

  #renderGains(): void {
    const { store } = this.#ctx;
    const ended = store.status === 'ended';
    for (const row of this.#rows.values()) {
      const db = store.gainDb(row.point.id);
      if (!row.dragging && row.pending === 0) {
        row.slider.value = String(db);
        setText(row.value, dbText(db));
      }
      row.el.dataset['gain'] = String(db);
      row.el.classList.toggle('changed', db !== 0);
      row.reset.disabled = ended || db === 0;
      row.slider.disabled = ended;
    }
    this.#applyFilter();
  }

  #renderPoints(): void {
    const { store } = this.#ctx;
    for (const row of this.#rows.values()) {
      const point = store.point(row.point.id) ?? row.point;
      row.point = point;
      const centre = point.id === store.centralPointId;
      row.el.dataset['conn'] = centre ? 'connected' : point.connection;
      row.el.classList.toggle('speaking', store.floor.pointId === point.id);
      row.name.title = store.floor.pointId === point.id ? `${point.name} · ${t('programme.speaking')}` : point.name;
    }
    this.#applyFilter();
  }

  #applyFilter(): void {
    const { store } = this.#ctx;
    const words = fold(this.#search.value.trim());
    const filter = this.#filter.value as Filter;
    let shown = 0;
    for (const row of this.#rows.values()) {
      const id = row.point.id;
      const matches =
        (!words || row.search.includes(words)) &&
        (filter !== 'changed' || store.gainDb(id) !== 0) &&
        (filter !== 'connected' || id === store.centralPointId || row.point.connection === 'connected');
      row.el.hidden = !matches;
      if (matches) shown++;
    }
    setText(this.#count, t('programme.count', { shown, total: this.#rows.size }));
    this.#none.hidden = shown > 0;
  }

  /** The live levels, on the rows on screen only (the tab may be hidden). */
  #renderLevels(): void {
    if (!this.el.isConnected || this.el.offsetParent === null) return;
    const now = Date.now();
    for (const row of this.#rows.values()) {
      if (row.el.hidden) continue;
      const level = this.#ctx.store.levels.get(row.point.id);
      const volume = level && now - level.at < LEVEL_STALE_MS ? Math.round(level.volume) : -127;
      if (volume === row.volume) continue;
      row.volume = volume;
      // Speech sits between about -60 and -10 dBov: that span across the bar, as on the wall.
      row.bar.style.width = `${Math.round(Math.min(1, Math.max(0, (volume + 60) / 55)) * 100)}%`;
      row.meter.setAttribute('aria-valuenow', String(volume));
    }
  }
}
