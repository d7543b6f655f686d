// The stage as the halls see it, drawn by this one piece of code for the room display (full screen), the
// host's stage preview and the point console's monitor: the layout the host chose (decided in layout.ts),
// the main picture and a second one beside it, inset or the other half, the speaker's name card instead of
// a frozen frame, the lower third naming the speaker with the time left, the agenda line, and the banner
// (before the start, chosen with a message, at the end). A switch never shows a black frame: each slot keeps
// its picture until the next one has decoded a frame (SwapVideo), the banner lifts only once the picture
// beneath it is there, and a speaker whose picture is a moment late (or a picture lost for a moment while
// on air) keeps the stage as it was for a short while instead of a flash of something else.
import { LIMITS } from '../../shared/rules.ts';
import { clock, onLanguage, t } from '../i18n.ts';
import type { MediaClient, RemoteTrack } from '../net/media.ts';
import type { Store } from '../state.ts';
import { renderBanner } from './banner.ts';
import { h, setText } from './dom.ts';
import { decideLayout, type LayoutDecision, type LayoutInput, type Picture } from '../../shared/stage-layout.ts';
import { GainedAudio } from './playback.ts';
import { type Shot, SwapVideo } from './swap-video.ts';
import './layouts.css';
import './stage-card.css';

export interface StageOptions {
  /** The centre's own camera when this client is the centre (the host does not receive itself). */
  centreLocal?: () => MediaStream | null;
  lowerThird: boolean;
  /** The current agenda item over the picture (default: shown, as in the halls). */
  agenda?: boolean;
}

/** A speaker whose picture has not arrived (a switch) keeps the stage as it was this long at most. */
const SPEAKER_WAIT_MS = 1000;
/** On air, a stage that loses every picture (media rebuilt) keeps its last one this long before the banner. */
const NO_PICTURE_GRACE_MS = 3000;

/** One place on the stage: two stacked videos, the name card and a caption. */
class Slot {
  readonly el: HTMLElement;
  readonly video: SwapVideo;
  readonly #card = h('div', { class: 'name-card', attrs: { hidden: true } });
  readonly #cardName = h('div', { class: 'name-card-name' });
  readonly #cardState = h('div', { class: 'name-card-state' });
  readonly #caption = h('div', { class: 'tv-caption', attrs: { hidden: true } });
  #cardUp = false;

  constructor(kind: 'main' | 'second', onSwap: () => void) {
    this.video = new SwapVideo(kind === 'main' ? 'main' : 'side', onSwap);
    this.#card.append(this.#cardName, this.#cardState);
    this.el = h('div', { class: `tv-slot tv-${kind}` }, ...this.video.elements, this.#card, this.#caption);
  }

  /** Shows `picture` (`shot` its track; `cardOf` the speaker for a name card) and the caption when given. */
  show(picture: Picture | null, shot: Shot | null, cardOf: { pointId: string; name: string } | null, caption: string): void {
    this.el.dataset['picture'] = picture ?? '';
    this.video.show(picture === 'card' ? null : shot);
    // The card is there at once; a picture after it comes in front of it only once it has a frame.
    this.#cardUp = picture === 'card' || (this.#cardUp && this.video.loading && !this.video.shown);
    this.#card.hidden = !this.#cardUp;
    if (picture === 'card' && cardOf) {
      this.#card.dataset['pointId'] = cardOf.pointId;
      setText(this.#cardName, cardOf.name);
      setText(this.#cardState, t('flows.nameCard'));
    } else if (!this.#cardUp) {
      this.#card.dataset['pointId'] = '';
    }
    this.#caption.hidden = caption === '';
    setText(this.#caption, caption);
  }

  /** Whether the slot has a picture on screen (or its card). */
  get ready(): boolean {
    return this.#cardUp || this.video.shown !== null;
  }
}

export class Stage {
  readonly el: HTMLElement;
  readonly #store: Store;
  readonly #media: MediaClient;
  readonly #options: StageOptions;
  readonly #main: Slot;
  readonly #second: Slot;
  readonly #lower: HTMLElement;
  readonly #lowerName = h('div', { class: 'lower-name' });
  readonly #lowerTime = h('div', { class: 'lower-time', attrs: { role: 'timer' } });
  readonly #agenda = h('div', { class: 'display-agenda', attrs: { 'aria-live': 'polite', hidden: true } });
  readonly #bannerBox: HTMLElement;
  readonly #banner = h('section', { class: 'banner', label: 'layout.banner.label' });
  readonly #message = h('div', { class: 'banner-message', attrs: { role: 'status', hidden: true } });
  readonly #note = h('div', { class: 'banner-note', attrs: { role: 'status' } });
  #decision: LayoutDecision | null = null;
  /** Whether the banner is up now (it may stay a moment after the decision lifted it: see #apply). */
  #bannerUp = true;
  #ended = false;
  /** Since when a speaker's picture has been missing / every picture has been missing (0: not missing). */
  #speakerMissingSince = 0;
  #nothingSince = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(store: Store, media: MediaClient, options: StageOptions) {
    this.#store = store;
    this.#media = media;
    this.#options = options;
    const update = (): void => this.update();
    this.#main = new Slot('main', update);
    this.#second = new Slot('second', update);
    this.#lower = h('div', { class: 'lower-third', attrs: { 'aria-live': 'polite', hidden: true } }, this.#lowerName, this.#lowerTime);
    this.#bannerBox = h('div', { class: 'tv-banner' }, this.#banner, this.#message, this.#note);
    this.el = h(
      'div',
      { class: 'stage tv', attrs: { role: 'region' }, label: 'stage.title' },
      this.#main.el,
      this.#second.el,
      options.agenda === false ? null : this.#agenda,
      options.lowerThird ? this.#lower : null,
      this.#bannerBox,
    );
    for (const event of ['added', 'removed', 'standby', 'purpose', 'sharing', 'local', 'producing', 'restarting'] as const) {
      media.on(event, update);
    }
    for (const event of ['floor', 'welcome', 'points', 'status', 'programme', 'agenda'] as const) store.on(event, update);
    store.on('tick', () => this.#tick());
    onLanguage(update);
    this.update();
  }

  /** The decision on screen now (layout, pictures, banner). */
  get decision(): LayoutDecision | null {
    return this.#decision;
  }

  /** The hub ended the conference for this session (the status may not have come): the banner with the note. */
  markEnded(): void {
    this.#ended = true;
    this.update();
  }

  update(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // A picture whose track has just ended (a consumer closed) stays as its last still until the next one is there.
    this.#main.video.check();
    this.#second.video.check();
    const store = this.#store;
    const remote = this.#media.remote();
    const holder = store.floor.pointId;
    const centreId = store.centralPointId;
    const find = (purpose: RemoteTrack['purpose'], source: string, pointId?: string): RemoteTrack | undefined =>
      remote.find((r) => r.purpose === purpose && r.source === source && r.kind === 'video' && (!pointId || r.pointId === pointId));
    const centreTrack = this.#options.centreLocal?.()?.getVideoTracks()[0] ?? find('programme', 'camera')?.track ?? null;
    const speakerTrack = holder ? (find('stage', 'camera', holder)?.track ?? null) : null;
    const slides = this.#slides(holder, find);
    const nameCard = holder !== null && store.point(holder)?.mutedByHost.video === true;
    const input: LayoutInput = {
      layout: store.programme.layout,
      status: this.#ended ? 'ended' : store.status,
      holder,
      nameCard,
      centre: centreTrack !== null,
      speaker: speakerTrack !== null,
      slides: slides !== null,
      message: store.programme.message,
    };
    const decision = decideLayout(input);
    const now = Date.now();
    this.#speakerMissingSince = holder && !nameCard && !speakerTrack ? this.#speakerMissingSince || now : 0;
    this.#nothingSince = decision.banner === 'no_picture' ? this.#nothingSince || now : 0;
    const wait = this.#holdFor(decision, now);
    if (wait > 0) {
      this.#timer = setTimeout(() => this.update(), wait);
      this.#tick();
      return;
    }
    const shots: Record<Picture, Shot | null> = {
      centre: centreTrack ? this.#shot(centreTrack, centreId, 'camera') : null,
      speaker: speakerTrack && holder ? this.#shot(speakerTrack, holder, 'camera') : null,
      card: null,
      slides,
    };
    this.#apply(decision, shots, holder);
  }

  /**
   * How long to keep the stage as it is instead of applying `decision` (0: apply it): while on air and
   * showing pictures, a speaker's picture a moment late, or every picture gone for a moment.
   */
  #holdFor(decision: LayoutDecision, now: number): number {
    if (this.#bannerUp || this.#decision === null || this.#decision.banner !== null) return 0;
    if (decision.banner === 'no_picture') return Math.max(0, this.#nothingSince + NO_PICTURE_GRACE_MS - now);
    const speakerLayouts = decision.layout !== 'centre' && decision.banner === null;
    if (this.#speakerMissingSince && speakerLayouts) return Math.max(0, this.#speakerMissingSince + SPEAKER_WAIT_MS - now);
    return 0;
  }

  /** The shared screen: the speaking point's, else the centre's (received, or this host's own). */
  #slides(holder: string | null, find: (purpose: RemoteTrack['purpose'], source: string, pointId?: string) => RemoteTrack | undefined) {
    const point = holder ? find('stage', 'screen', holder) : undefined;
    if (point) return this.#shot(point.track, point.pointId, 'screen');
    const centre = find('programme', 'screen');
    if (centre) return this.#shot(centre.track, centre.pointId, 'screen');
    const own = this.#media.screenStream?.getVideoTracks()[0];
    const self = this.#store.self?.pointId ?? this.#store.centralPointId;
    return own && own.readyState === 'live' ? this.#shot(own, self, 'screen') : null;
  }

  #shot(track: MediaStreamTrack, pointId: string, source: 'camera' | 'screen'): Shot {
    const name = this.#store.pointName(pointId);
    return { track, pointId, source, label: source === 'screen' ? t('layout.slidesOf', { name }) : name };
  }

  #apply(decision: LayoutDecision, shots: Record<Picture, Shot | null>, holder: string | null): void {
    const store = this.#store;
    const card = holder ? { pointId: holder, name: store.pointName(holder) } : null;
    const caption = (picture: Picture | null, shown: boolean): string => {
      if (!shown || picture === null) return '';
      return picture === 'centre' ? store.pointName(store.centralPointId) : picture === 'slides' ? '' : (card?.name ?? '');
    };
    const split = decision.arrangement === 'split';
    this.#main.show(decision.main, decision.main ? shots[decision.main] : null, card, caption(decision.main, split));
    this.#second.video.slot = decision.arrangement === 'inset' ? 'inset' : 'side';
    const second = decision.second;
    this.#second.show(second, second ? shots[second] : null, card, caption(second, second !== null && second !== 'slides'));
    // The banner lifts only once the main picture is on screen (or its first frame is overdue).
    this.#bannerUp = decision.banner !== null || (this.#bannerUp && decision.main !== null && !this.#main.ready);
    this.#decision = decision;

    const root = this.el.dataset;
    root['layout'] = decision.layout;
    root['shown'] = this.#bannerUp ? 'banner' : decision.shown;
    root['arrangement'] = decision.arrangement;
    root['banner'] = this.#bannerUp ? (decision.banner ?? 'lifting') : '';
    this.#bannerBox.hidden = !this.#bannerUp;
    const conference = store.conference;
    if (conference) renderBanner(this.#banner, conference, store.point(store.self?.pointId));
    this.#message.hidden = decision.message === '';
    setText(this.#message, decision.message);
    setText(this.#note, decision.banner === 'ended' ? t('ended.conference_ended') : '');

    const item = store.agenda.items.find((i) => i.id === store.agenda.currentItemId);
    this.#agenda.hidden = this.#bannerUp || !item;
    this.#agenda.replaceChildren(
      item ? h('span', { class: 'display-agenda-label' }, t('agenda.current')) : '',
      item ? h('span', { class: 'display-agenda-title' }, item.title) : '',
    );
    setText(this.#lowerName, holder ? store.pointName(holder) : '');
    this.#tick();
  }

  #tick(): void {
    const floor = this.#store.floor;
    const on = this.#decision?.lowerThird === true && !this.#bannerUp && floor.endsAt !== null;
    this.#lower.hidden = !on;
    if (!on || floor.endsAt === null) return;
    const left = (floor.endsAt - this.#store.now()) / 1000;
    setText(this.#lowerTime, clock(left));
    this.#lower.classList.toggle('ending', left <= LIMITS.floorWarningSeconds);
  }
}

export interface RemoteAudioOptions {
  muted?: boolean;
  /** The programme's gains (store.gainDb): each point's sound plays at the gain the host set for it. */
  store?: Store;
}

/** Plays every remote sound (programme, the point on the floor, talkback) at its point's gain, on hidden <audio>. */
export class RemoteAudio {
  readonly el = h('div', { class: 'remote-audio', attrs: { hidden: true } });
  readonly #playing = new Map<string, GainedAudio>();
  #muted: boolean;

  constructor(media: MediaClient, options: boolean | RemoteAudioOptions = false) {
    const { muted = false, store } = typeof options === 'boolean' ? { muted: options } : options;
    this.#muted = muted;
    const gain = (pointId: string): number => store?.gainDb(pointId) ?? 0;
    media.on('added', (remote) => {
      if (remote.kind !== 'audio') return;
      this.#playing.set(remote.consumerId, new GainedAudio(remote.track, this.el, remote.pointId, gain(remote.pointId), this.#muted));
    });
    media.on('removed', (remote) => {
      const audio = this.#playing.get(remote.consumerId);
      if (!audio) return;
      this.#playing.delete(remote.consumerId);
      audio.stop();
    });
    store?.on('programme', () => {
      for (const audio of this.#playing.values()) audio.setGain(gain(audio.el.dataset['pointId'] ?? ''));
    });
    if (!muted) (globalThis as { diemcauSound?: () => unknown }).diemcauSound = () => this.sounds();
  }

  get muted(): boolean {
    return this.#muted;
  }

  /** Every sound with its gain, route and level after the gain (also `window.diemcauSound()`, for tests). */
  sounds(): ReturnType<GainedAudio['state']>[] {
    return [...this.#playing.values()].map((audio) => audio.state());
  }

  setMuted(muted: boolean): void {
    this.#muted = muted;
    for (const audio of this.#playing.values()) audio.setMuted(muted);
  }
}
