// The monitoring wall: one tile per remote point with its video (low simulcast layer), name, level,
// connection state, audio meter, network quality with a live chart of bitrate and loss, a raised hand
// when it asks to speak, and the host's direct controls (give the floor, mute sound or picture).
import type { PointView } from '../../../shared/domain.ts';
import { controls } from '../../../shared/rules.ts';
import type { AppContext } from '../../app.ts';
import { onLanguage, t } from '../../i18n.ts';
import type { RemoteTrack } from '../../net/media.ts';
import { between, quality, totals, type LinkSample } from '../../net/stats.ts';
import { h, tr } from '../../ui/dom.ts';
import { attach, videoElement } from '../../ui/playback.ts';
import { Sparkline } from '../../ui/sparkline.ts';
import { act } from '../../ui/toast.ts';

const STATS_EVERY_MS = 2000;
/** A level older than this means the point's sound no longer reaches the hub. */
const LEVEL_STALE_MS = 1500;

class Tile {
  readonly el: HTMLElement;
  readonly pointId: string;
  readonly video = videoElement('tile-video');
  readonly chart = new Sparkline();
  remote: RemoteTrack | undefined;
  last: ReturnType<typeof totals> | undefined;
  sample: LinkSample | undefined;
  readonly name = h('h3', { class: 'tile-name' });
  readonly meta = h('div', { class: 'tile-meta' });
  readonly conn = h('span', { class: 'badge conn' });
  readonly hand = h('span', { class: 'tile-hand', attrs: { hidden: true } });
  readonly onStage = h('span', { class: 'tile-onstage', attrs: { hidden: true } });
  readonly meterBar = h('div', { class: 'meter-bar' });
  readonly meter = h('div', { class: 'meter', attrs: { role: 'meter', 'aria-valuemin': -127, 'aria-valuemax': 0 } }, this.meterBar);
  readonly net = h('span', { class: 'tile-net' });
  readonly noVideo = tr('wall.noVideo', 'span', { class: 'tile-novideo' });
  readonly grant: HTMLButtonElement;
  readonly muteAudio: HTMLButtonElement;
  readonly muteVideo: HTMLButtonElement;

  constructor(pointId: string, actions: { grant(): void; mute(kind: 'audio' | 'video'): void }) {
    this.pointId = pointId;
    const small = (action: string, click: () => void): HTMLButtonElement =>
      h('button', { class: 'small', attrs: { type: 'button' }, data: { action }, on: { click } });
    this.grant = small('grant', () => actions.grant());
    this.muteAudio = small('mute-audio', () => actions.mute('audio'));
    this.muteVideo = small('mute-video', () => actions.mute('video'));
    this.el = h(
      'article',
      { class: 'tile', data: { pointId } },
      h('div', { class: 'tile-screen' }, this.video, this.noVideo, this.hand, this.onStage),
      h('div', { class: 'tile-info' }, h('div', { class: 'tile-head' }, this.name, this.conn), this.meta),
      h('div', { class: 'tile-signal' }, this.meter, this.net),
      this.chart.el,
      h('div', { class: 'tile-actions' }, this.grant, this.muteAudio, this.muteVideo),
    );
  }
}

export class Wall {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #grid = h('div', { class: 'wall-grid' });
  readonly #tiles = new Map<string, Tile>();
  readonly #floorSeconds: () => number | undefined;

  constructor(ctx: AppContext, floorSeconds: () => number | undefined) {
    this.#ctx = ctx;
    this.#floorSeconds = floorSeconds;
    const title = tr('wall.title', 'h2', { id: 'wall-title' });
    this.el = h('section', { class: 'panel wall', attrs: { 'aria-labelledby': 'wall-title' } }, title, this.#grid);
    const { store, media } = ctx;
    store.on('welcome', () => this.#build());
    store.on('points', (point) => (point ? this.#renderTile(point) : this.#build()));
    store.on('floor', () => this.#renderAll());
    store.on('levels', () => this.#renderLevels());
    media.on('added', (remote) => this.#attach(remote));
    media.on('removed', (remote) => this.#detach(remote));
    onLanguage(() => this.#renderAll());
    // WebRTC statistics are polled (the browser has no event for them); levels age out on the display clock.
    setInterval(() => void this.#sampleStats(), STATS_EVERY_MS);
    store.on('tick', () => this.#renderLevels());
  }

  #build(): void {
    const { store, media } = this.#ctx;
    const canControl = store.may(controls);
    this.#grid.replaceChildren();
    this.#tiles.clear();
    for (const point of store.remotePoints()) {
      const tile = new Tile(point.id, {
        grant: () => void act(this.#ctx.signal.request('floor.grant', { pointId: point.id, seconds: this.#floorSeconds() })),
        mute: (kind) => {
          const muted = !(store.point(point.id)?.mutedByHost[kind] ?? false);
          void act(this.#ctx.signal.request('point.mute', { pointId: point.id, kind, muted }));
        },
      });
      for (const b of [tile.grant, tile.muteAudio, tile.muteVideo]) b.hidden = !canControl;
      this.#tiles.set(point.id, tile);
      this.#grid.append(tile.el);
    }
    for (const remote of media.remote()) this.#attach(remote);
    this.#renderAll();
  }

  #attach(remote: RemoteTrack): void {
    if (remote.purpose !== 'wall' || remote.kind !== 'video') return;
    const tile = this.#tiles.get(remote.pointId);
    if (!tile) return;
    tile.remote = remote;
    tile.last = undefined;
    tile.chart.clear();
    attach(tile.video, new MediaStream([remote.track]));
    tile.noVideo.hidden = true;
  }

  #detach(remote: RemoteTrack): void {
    const tile = this.#tiles.get(remote.pointId);
    if (!tile || tile.remote?.consumerId !== remote.consumerId) return;
    tile.remote = undefined;
    tile.sample = undefined;
    attach(tile.video, null);
    tile.noVideo.hidden = false;
    this.#renderNet(tile);
  }

  #renderAll(): void {
    for (const point of this.#ctx.store.remotePoints()) this.#renderTile(point);
  }

  #renderTile(point: PointView): void {
    const tile = this.#tiles.get(point.id);
    if (!tile) return;
    const { store } = this.#ctx;
    const position = store.queuePosition(point.id);
    const speaking = store.floor.pointId === point.id;
    tile.name.textContent = point.name;
    tile.meta.textContent = `${t(`level.${point.level}`)} · ${point.presiding || point.venue}`;
    tile.conn.textContent = t(`conn.${point.connection}`);
    tile.conn.dataset['conn'] = point.connection;
    tile.el.dataset['conn'] = point.connection;
    tile.el.classList.toggle('raised', position > 0);
    tile.el.classList.toggle('speaking', speaking);
    tile.hand.hidden = position === 0;
    tile.hand.textContent = position > 0 ? `▲ ${t('wall.raised', { position })}` : '';
    tile.onStage.hidden = !speaking;
    tile.onStage.textContent = speaking ? `● ${t('wall.onStage')}` : '';
    tile.grant.textContent = t('floor.grant');
    tile.grant.setAttribute('aria-label', t('wall.grant', { name: point.name }));
    tile.grant.disabled = speaking || point.connection !== 'connected';
    tile.muteAudio.textContent = t(point.mutedByHost.audio ? 'wall.audioOn' : 'wall.audioOff');
    tile.muteAudio.setAttribute('aria-label', t(point.mutedByHost.audio ? 'wall.unmuteAudio' : 'wall.muteAudio', { name: point.name }));
    tile.muteAudio.setAttribute('aria-pressed', String(point.mutedByHost.audio));
    tile.muteVideo.textContent = t(point.mutedByHost.video ? 'wall.videoOn' : 'wall.videoOff');
    tile.muteVideo.setAttribute('aria-label', t(point.mutedByHost.video ? 'wall.unmuteVideo' : 'wall.muteVideo', { name: point.name }));
    tile.muteVideo.setAttribute('aria-pressed', String(point.mutedByHost.video));
    tile.chart.el.setAttribute('aria-label', t('wall.chart', { name: point.name }));
    tile.video.setAttribute('aria-label', point.name);
    this.#renderNet(tile);
  }

  #renderLevels(): void {
    const now = Date.now();
    for (const tile of this.#tiles.values()) {
      const level = this.#ctx.store.levels.get(tile.pointId);
      const volume = level && now - level.at < LEVEL_STALE_MS ? level.volume : -127;
      // Speech sits between about -60 and -10 dBov: show that span across the bar.
      const fraction = Math.min(1, Math.max(0, (volume + 60) / 55));
      tile.meterBar.style.width = `${Math.round(fraction * 100)}%`;
      tile.meter.setAttribute('aria-valuenow', String(Math.round(volume)));
      tile.meter.setAttribute('aria-label', `${t('wall.level')}: ${Math.round(volume)} dB`);
    }
  }

  #renderNet(tile: Tile): void {
    const q = quality(tile.sample);
    tile.net.dataset['quality'] = q;
    const detail = tile.sample ? ` · ${Math.round(tile.sample.bitrateKbps)} kbit/s · ${tile.sample.lossPercent.toFixed(1)}%` : '';
    tile.net.textContent = `${t(`quality.${q}`)}${detail}`;
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
          this.#renderNet(tile);
        }
        tile.last = now;
      } catch (error) {
        console.warn('stats failed', tile.pointId, error);
      }
    }
  }
}
