// The monitoring wall: one compact tile per remote point (video on the low simulcast layer, connection,
// readiness, attendance, raised hand, audio meter; the host's controls on hover or keyboard focus), sized so
// a national conference's 65 points fit one 1920×1080 screen. A toolbar switches grid and list, filters by
// level and state and puts problems first. Only tiles on screen receive video: the hub is told which ones
// are (wall/visibility.ts), so a wall of hundreds costs what a screenful costs.
import type { PointView } from '../../../shared/domain.ts';
import { controls } from '../../../shared/rules.ts';
import type { AppContext } from '../../app.ts';
import { onLanguage, t, type Key } from '../../i18n.ts';
import type { RemoteTrack } from '../../net/media.ts';
import { between, totals } from '../../net/stats.ts';
import { h, option, setText, tr } from '../../ui/dom.ts';
import { attach } from '../../ui/playback.ts';
import { act } from '../../ui/toast.ts';
import { shortNames } from './wall/names.ts';
import { Tile } from './wall/tile.ts';
import { VisibleTiles } from './wall/visibility.ts';
import './wall/wall.css';

const STATS_EVERY_MS = 2000;
/** A level older than this means the point's sound no longer reaches the hub. */
const LEVEL_STALE_MS = 1500;

type StateFilter = 'all' | 'problems' | 'raised' | 'connected';
type Sort = 'list' | 'problems';
type Mode = 'grid' | 'list';

export class Wall {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #grid = h('div', { class: 'wall-grid', attrs: { role: 'list' } });
  readonly #empty = tr('wall.empty', 'p', { class: 'wall-empty muted', attrs: { hidden: true } });
  readonly #count = h('span', { class: 'wall-count muted' });
  readonly #level = h('select', { class: 'small', attrs: { name: 'wall-level' }, on: { change: () => this.#arrange() } });
  readonly #state = h('select', { class: 'small', attrs: { name: 'wall-state' }, on: { change: () => this.#arrange() } });
  readonly #sort = h('select', { class: 'small', attrs: { name: 'wall-sort' }, on: { change: () => this.#arrange() } });
  readonly #modes = new Map<Mode, HTMLButtonElement>();
  readonly #tiles = new Map<string, Tile>();
  readonly #visible: VisibleTiles;
  readonly #floorSeconds: () => number | undefined;
  #names = new Map<string, string>();
  #fitQueued = false;

  constructor(ctx: AppContext, floorSeconds: () => number | undefined) {
    this.#ctx = ctx;
    this.#floorSeconds = floorSeconds;
    const title = tr('wall.title', 'h2', { id: 'wall-title' });
    const labelled = (key: Key, control: HTMLElement): HTMLElement => h('label', { class: 'wall-control' }, tr(key), control);
    const modes = h('div', { class: 'wall-modes', attrs: { role: 'group' }, label: 'wall.view' });
    for (const mode of ['grid', 'list'] as const) {
      const b = h('button', { class: 'small', attrs: { type: 'button' }, data: { mode }, on: { click: () => this.#setMode(mode) } });
      b.dataset['i18n'] = `wall.view.${mode}`;
      b.textContent = t(`wall.view.${mode}`);
      this.#modes.set(mode, b);
      modes.append(b);
    }
    const toolbar = h(
      'div',
      { class: 'wall-toolbar' },
      modes,
      labelled('wall.filter.level', this.#level),
      labelled('wall.filter.state', this.#state),
      labelled('wall.sort', this.#sort),
      this.#count,
    );
    this.el = h(
      'section',
      { class: 'panel wall', data: { mode: 'grid' }, attrs: { 'aria-labelledby': 'wall-title' } },
      h('div', { class: 'wall-head' }, title, toolbar),
      this.#grid,
      this.#empty,
    );
    this.#visible = new VisibleTiles(ctx.signal, this.#grid);
    this.#setMode('grid');
    this.#fillSelects();
    const { store, media } = ctx;
    store.on('welcome', () => this.#build());
    store.on('points', (point) => (point ? this.#renderTile(point) : this.#build()));
    store.on('floor', () => this.#renderAll());
    store.on('attendance', () => this.#renderAll());
    store.on('readiness', () => this.#renderAll());
    store.on('levels', () => this.#renderLevels());
    media.on('added', (remote) => this.#attach(remote));
    media.on('removed', (remote) => this.#detach(remote));
    onLanguage(() => {
      this.#fillSelects();
      this.#renderAll();
    });
    // WebRTC statistics are polled (the browser has no event for them); levels age out on the display clock.
    setInterval(() => void this.#sampleStats(), STATS_EVERY_MS);
    store.on('tick', () => this.#renderLevels());
    new ResizeObserver(() => this.#fitNames()).observe(this.#grid);
    void document.fonts?.ready.then(() => this.#fitNames());
  }

  #setMode(mode: Mode): void {
    this.el.dataset['mode'] = mode;
    for (const [m, b] of this.#modes) b.setAttribute('aria-pressed', String(m === mode));
    this.#fitNames();
  }

  /** In the grid, a tile whose name does not fit its cell takes two cells (measured after layout). */
  #fitNames(): void {
    if (this.#fitQueued) return;
    this.#fitQueued = true;
    requestAnimationFrame(() => {
      this.#fitQueued = false;
      const tiles = [...this.#tiles.values()];
      for (const tile of tiles) tile.el.classList.remove('wide');
      if (this.el.dataset['mode'] !== 'grid') return;
      for (const tile of tiles) if (!tile.el.hidden && tile.name.scrollWidth > tile.name.clientWidth) tile.el.classList.add('wide');
    });
  }

  /** The selects' options in the current language, keeping what is chosen. */
  #fillSelects(): void {
    const refill = (select: HTMLSelectElement, options: Array<[string, string]>): void => {
      const chosen = select.value || options[0]?.[0] || '';
      select.replaceChildren(...options.map(([value, text]) => option(value, text, value === chosen)));
    };
    const levels = [...new Set(this.#ctx.store.remotePoints().map((p) => p.level))];
    refill(this.#level, [['', t('wall.filter.allLevels')], ...levels.map((l): [string, string] => [l, t(`level.${l}`)])]);
    refill(
      this.#state,
      (['all', 'problems', 'raised', 'connected'] as const).map((s): [string, string] => [s, t(`wall.filter.${s}`)]),
    );
    refill(this.#sort, [
      ['list', t('wall.sort.list')],
      ['problems', t('wall.sort.problems')],
    ]);
  }

  #build(): void {
    const { store, media } = this.#ctx;
    this.#grid.replaceChildren();
    this.#tiles.clear();
    this.#names = shortNames(store.remotePoints());
    this.#fillSelects();
    for (const point of store.remotePoints()) {
      const tile = new Tile(point.id, {
        grant: () => void act(this.#ctx.signal.request('floor.grant', { pointId: point.id, seconds: this.#floorSeconds() })),
        mute: (kind) => {
          const muted = !(store.point(point.id)?.mutedByHost[kind] ?? false);
          void act(this.#ctx.signal.request('point.mute', { pointId: point.id, kind, muted }));
        },
      });
      tile.el.setAttribute('role', 'listitem');
      this.#tiles.set(point.id, tile);
      this.#grid.append(tile.el);
    }
    for (const remote of media.remote()) this.#attach(remote);
    this.#renderAll();
    this.#visible.observe([...this.#tiles.values()].map((tile) => tile.el));
    this.#visible.resend();
  }

  #attach(remote: RemoteTrack): void {
    if (remote.purpose !== 'wall' || remote.kind !== 'video') return;
    const tile = this.#tiles.get(remote.pointId);
    if (!tile) return;
    tile.remote = remote;
    tile.last = undefined;
    tile.chart.clear();
    attach(tile.video, new MediaStream([remote.track]));
    tile.el.dataset['video'] = 'on';
  }

  #detach(remote: RemoteTrack): void {
    const tile = this.#tiles.get(remote.pointId);
    if (!tile || tile.remote?.consumerId !== remote.consumerId) return;
    tile.remote = undefined;
    tile.sample = undefined;
    attach(tile.video, null);
    delete tile.el.dataset['video'];
    tile.renderNet();
  }

  #renderAll(): void {
    for (const point of this.#ctx.store.remotePoints()) this.#renderTile(point, false);
    this.#arrange();
  }

  #renderTile(point: PointView, arrange = true): void {
    const tile = this.#tiles.get(point.id);
    if (!tile) return;
    const { store } = this.#ctx;
    tile.render(
      point,
      {
        shortName: this.#names.get(point.id) ?? point.name,
        queuePosition: store.queuePosition(point.id),
        speaking: store.floor.pointId === point.id,
        attendance: store.attendance.get(point.id),
        readiness: store.readiness.get(point.id),
      },
      store.may(controls),
    );
    if (arrange) this.#arrange();
  }

  /** How badly a point needs a look: lost first, then failed tests, poor links, never connected; 9 is fine. */
  #trouble(point: PointView, tile: Tile): number {
    if (point.connection === 'gone' || point.connection === 'reconnecting') return 0;
    if (this.#ctx.store.readiness.get(point.id)?.state === 'not_ready') return 1;
    if (tile.el.dataset['quality'] === 'poor') return 2;
    if (point.connection !== 'connected') return 3;
    return 9;
  }

  /** Applies the filters (hidden tiles are not displayed, so they count as off screen) and the order. */
  #arrange(): void {
    const { store } = this.#ctx;
    const level = this.#level.value;
    const state = (this.#state.value || 'all') as StateFilter;
    const sort = (this.#sort.value || 'list') as Sort;
    const points = store.remotePoints();
    let shown = 0;
    points.forEach((point, index) => {
      const tile = this.#tiles.get(point.id);
      if (!tile) return;
      const trouble = this.#trouble(point, tile);
      const matches =
        (!level || point.level === level) &&
        (state === 'all' ||
          (state === 'problems' && trouble < 9) ||
          (state === 'raised' && store.queuePosition(point.id) > 0) ||
          (state === 'connected' && point.connection === 'connected'));
      tile.el.hidden = !matches;
      if (matches) shown++;
      // CSS order, not moving nodes: a <video> taken out of the document stops playing.
      tile.el.style.order = String(sort === 'problems' ? trouble * 10_000 + index : index);
    });
    setText(this.#count, t('wall.count', { shown, total: points.length }));
    this.#empty.hidden = shown > 0;
    this.#fitNames();
  }

  #renderLevels(): void {
    const now = Date.now();
    for (const tile of this.#tiles.values()) {
      const level = this.#ctx.store.levels.get(tile.pointId);
      tile.renderLevel(level && now - level.at < LEVEL_STALE_MS ? level.volume : -127);
    }
  }

  async #sampleStats(): Promise<void> {
    for (const tile of this.#tiles.values()) {
      const remote = tile.remote;
      if (!remote || remote.consumer.closed) continue;
      try {
        const now = totals(await remote.consumer.getStats(), 'in');
        if (tile.last) {
          tile.sample = between(tile.last, now);
          tile.chart.push(tile.sample);
          tile.chart.el.hidden = false;
          tile.renderNet();
        }
        tile.last = now;
      } catch (error) {
        console.warn('stats failed', tile.pointId, error);
      }
    }
  }
}
