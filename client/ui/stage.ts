// The stage as the rooms see it: the centre's programme, or the point holding the floor large with the
// centre beside it, and a lower third naming the speaker with the time left. Used by the room display
// (full screen), the host console (what the rooms see) and the point console (a monitor).
import { LIMITS } from '../../shared/rules.ts';
import { clock, t } from '../i18n.ts';
import type { MediaClient, RemoteTrack } from '../net/media.ts';
import type { Store } from '../state.ts';
import { h, setText, tr } from './dom.ts';
import { attach, playAudio, stopAudio, videoElement } from './playback.ts';
import './stage-card.css';

export interface StageOptions {
  /** The centre's own camera when this client is the centre (the host does not receive itself). */
  centreLocal?: () => MediaStream | null;
  lowerThird: boolean;
}

interface Pick {
  track: MediaStreamTrack | null;
  pointId: string;
  source: string;
}

export class Stage {
  readonly el: HTMLElement;
  readonly #store: Store;
  readonly #media: MediaClient;
  readonly #options: StageOptions;
  readonly #main = videoElement('stage-main');
  readonly #side = videoElement('stage-side');
  readonly #lower: HTMLElement;
  readonly #lowerName = h('div', { class: 'lower-name' });
  readonly #lowerTime = h('div', { class: 'lower-time', attrs: { role: 'timer' } });
  readonly #empty: HTMLElement;
  /** The speaker's name card, shown instead of a frozen frame while the host has its video off. */
  readonly #cardName = h('div', { class: 'name-card-name' });
  readonly #cardState = h('div', { class: 'name-card-state' });
  readonly #card = h('div', { class: 'name-card', attrs: { hidden: true } }, this.#cardName, this.#cardState);
  #hasPicture = false;
  #listeners = new Set<(hasPicture: boolean) => void>();

  constructor(store: Store, media: MediaClient, options: StageOptions) {
    this.#store = store;
    this.#media = media;
    this.#options = options;
    this.#main.dataset['slot'] = 'main';
    this.#side.dataset['slot'] = 'side';
    this.#lower = h('div', { class: 'lower-third', attrs: { 'aria-live': 'polite' } }, this.#lowerName, this.#lowerTime);
    this.#empty = tr('stage.nothing', 'p', { class: 'stage-empty' });
    this.el = h(
      'div',
      { class: 'stage', attrs: { role: 'region' }, label: 'stage.title' },
      h('div', { class: 'stage-main-box' }, this.#main, this.#card, this.#empty, options.lowerThird ? this.#lower : null),
      h('div', { class: 'stage-side-box' }, this.#side),
    );
    const update = (): void => this.update();
    media.on('added', update);
    media.on('removed', update);
    media.on('local', update);
    media.on('producing', update);
    store.on('floor', update);
    store.on('welcome', update);
    store.on('points', update);
    store.on('status', update);
    store.on('tick', () => this.#tick());
    this.update();
  }

  get hasPicture(): boolean {
    return this.#hasPicture;
  }

  /** Called whenever the stage gains or loses a picture (the room display shows its banner then). */
  onPicture(listener: (hasPicture: boolean) => void): void {
    this.#listeners.add(listener);
  }

  update(): void {
    const remote = this.#media.remote();
    const holder = this.#store.floor.pointId;
    const centreId = this.#store.centralPointId;
    const find = (purpose: RemoteTrack['purpose'], source: string, pointId?: string): RemoteTrack | undefined =>
      remote.find((r) => r.purpose === purpose && r.source === source && r.kind === 'video' && (!pointId || r.pointId === pointId));
    const local = this.#options.centreLocal?.()?.getVideoTracks()[0] ?? null;
    const centreCam = find('programme', 'camera');
    const centre: Pick = { track: local ?? centreCam?.track ?? null, pointId: centreId, source: 'camera' };
    const screen = find('programme', 'screen');
    // The host turned the speaker's video off: its name card (name, speaking, audio on), never a frozen frame.
    const card = holder !== null && this.#store.point(holder)?.mutedByHost.video === true;
    const speaker = holder && !card ? find('stage', 'camera', holder) : undefined;

    let main: Pick = centre;
    let side: Pick | null = null;
    if (card) {
      main = { track: null, pointId: holder, source: 'card' };
      side = centre.track ? centre : null;
    } else if (speaker) {
      main = { track: speaker.track, pointId: speaker.pointId, source: 'camera' };
      side = centre.track ? centre : null;
    } else if (screen) {
      main = { track: screen.track, pointId: centreId, source: 'screen' };
      side = centre.track ? centre : null;
    }
    this.#show(this.#main, main);
    this.#show(this.#side, side);
    this.el.classList.toggle('with-side', side !== null);
    this.el.classList.toggle('speaker-on', speaker !== undefined || card);
    this.#card.hidden = !card;
    this.#card.dataset['pointId'] = card ? (holder ?? '') : '';
    this.#cardName.textContent = card ? this.#store.pointName(holder) : '';
    this.#cardState.textContent = card ? t('flows.nameCard') : '';
    const hasPicture = main.track !== null || card;
    this.#empty.hidden = hasPicture;
    this.#lowerName.textContent = holder ? this.#store.pointName(holder) : '';
    this.#tick();
    if (hasPicture !== this.#hasPicture) {
      this.#hasPicture = hasPicture;
      for (const listener of this.#listeners) listener(hasPicture);
    }
  }

  #show(video: HTMLVideoElement, pick: Pick | null): void {
    attach(video, pick?.track ? new MediaStream([pick.track]) : null);
    video.dataset['pointId'] = pick?.track ? pick.pointId : '';
    video.dataset['source'] = pick?.track ? pick.source : '';
    video.setAttribute('aria-label', pick?.track ? this.#store.pointName(pick.pointId) : t('stage.nothing'));
    video.hidden = !pick?.track;
  }

  #tick(): void {
    const floor = this.#store.floor;
    const on = floor.pointId !== null && floor.endsAt !== null && this.#store.status !== 'ended';
    this.#lower.hidden = !on;
    if (!on || floor.endsAt === null) return;
    const left = (floor.endsAt - this.#store.now()) / 1000;
    setText(this.#lowerTime, clock(left));
    this.#lower.classList.toggle('ending', left <= LIMITS.floorWarningSeconds);
  }
}

/** Plays every remote sound (programme and the point on the floor) on hidden <audio> elements. */
export class RemoteAudio {
  readonly el = h('div', { class: 'remote-audio', attrs: { hidden: true } });
  readonly #playing = new Map<string, HTMLAudioElement>();
  #muted: boolean;

  constructor(media: MediaClient, muted = false) {
    this.#muted = muted;
    media.on('added', (remote) => {
      if (remote.kind !== 'audio') return;
      const audio = playAudio(remote.track, this.el);
      audio.muted = this.#muted;
      this.#playing.set(remote.consumerId, audio);
    });
    media.on('removed', (remote) => {
      const audio = this.#playing.get(remote.consumerId);
      if (!audio) return;
      this.#playing.delete(remote.consumerId);
      stopAudio(audio);
    });
  }

  get muted(): boolean {
    return this.#muted;
  }

  setMuted(muted: boolean): void {
    this.#muted = muted;
    for (const audio of this.#playing.values()) audio.muted = muted;
  }
}
