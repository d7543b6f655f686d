// A stage slot's picture that never goes black on a switch: two stacked <video> elements, the next picture
// loading behind the visible one and coming to the front only once it has decoded a frame; and a still of
// the visible picture kept a few times a second, shown over it if its track ends before the next one is
// there (a consumer closed at a floor switch turns its <video> black at once). requestVideoFrameCallback is
// guarded (older Firefox): 'loadeddata' / 'resize' with a width stand in for it.
import { h } from './dom.ts';
import { attach, videoElement } from './playback.ts';

/** A picture that has not shown a frame after this long is swapped in anyway. */
export const FIRST_FRAME_FALLBACK_MS = 1500;
/** ...or this long while the slot still shows a picture (live, or its last still) to wait on. */
const FIRST_FRAME_PATIENCE_MS = 3000;

/** Calls `done` once, when `video` has decoded a frame (or after `fallbackMs`); returns a cancel function. */
export function onFirstFrame(video: HTMLVideoElement, done: () => void, fallbackMs = FIRST_FRAME_FALLBACK_MS): () => void {
  let over = false;
  let handle: number | undefined;
  const check = (): void => {
    if (video.videoWidth > 0) finish();
  };
  const cleanup = (): void => {
    over = true;
    clearTimeout(timer);
    video.removeEventListener('loadeddata', check);
    video.removeEventListener('resize', check);
    if (handle !== undefined && typeof video.cancelVideoFrameCallback === 'function') video.cancelVideoFrameCallback(handle);
  };
  function finish(): void {
    if (over) return;
    cleanup();
    done();
  }
  const timer = setTimeout(finish, fallbackMs);
  if (typeof video.requestVideoFrameCallback === 'function') handle = video.requestVideoFrameCallback(() => finish());
  video.addEventListener('loadeddata', check);
  video.addEventListener('resize', check);
  return cleanup;
}

/** What a slot shows: a track, whose it is, its source (camera, screen) and its accessible name. */
export interface Shot {
  track: MediaStreamTrack;
  pointId: string;
  source: string;
  label: string;
}

/** The still of the visible picture is taken this often. */
const STILL_EVERY_MS = 400;

/**
 * Two stacked <video> elements: the visible one carries `data-slot` (with `data-point-id`, `data-source`),
 * the one behind (`data-slot="<slot>-next"`) loads the next picture and comes to the front only once it has
 * decoded its first frame. So a switch never shows a black frame: the previous picture stays until then
 * (as its last still when its track has ended).
 */
export class SwapVideo {
  readonly elements: readonly [HTMLVideoElement, HTMLVideoElement, HTMLCanvasElement];
  /** The last still of the visible picture, shown over it once its track has ended. */
  readonly #still = h('canvas', { class: 'tv-video tv-still', attrs: { hidden: true, 'aria-hidden': 'true' } });
  #stillOf: MediaStreamTrack | null = null;
  #front: HTMLVideoElement;
  #back: HTMLVideoElement;
  #shown: Shot | null = null;
  #pending: Shot | null = null;
  #cancel: (() => void) | null = null;
  #slot: string;
  readonly #onSwap: () => void;

  constructor(slot: string, onSwap: () => void) {
    this.#slot = slot;
    this.#onSwap = onSwap;
    this.#front = videoElement('tv-video');
    this.#back = videoElement('tv-video');
    this.elements = [this.#front, this.#back, this.#still];
    this.#mark();
    setInterval(() => this.#takeStill(), STILL_EVERY_MS);
  }

  /** What is visible now (null: nothing). */
  get shown(): Shot | null {
    return this.#shown;
  }

  /** Whether a new picture is loading behind the visible one. */
  get loading(): boolean {
    return this.#pending !== null;
  }

  set slot(slot: string) {
    if (slot === this.#slot) return;
    this.#slot = slot;
    this.#mark();
  }

  /** Covers the visible picture with its last still once its track has ended (call on every change of the media). */
  check(): void {
    const ended = this.#shown !== null && this.#shown.track.readyState === 'ended' && this.#stillOf === this.#shown.track;
    this.#still.hidden = !ended;
  }

  /** Shows `shot` once it has a frame (at once for null: nothing to wait for). */
  show(shot: Shot | null): void {
    if (shot === null) {
      this.#stopLoading();
      attach(this.#front, null);
      this.#shown = null;
    } else if (shot.track === this.#shown?.track) {
      this.#stopLoading();
      this.#shown = shot;
    } else if (shot.track === this.#pending?.track) {
      this.#pending = shot;
    } else {
      this.#stopLoading();
      this.#pending = shot;
      attach(this.#back, new MediaStream([shot.track]));
      const patience = this.#shown ? FIRST_FRAME_PATIENCE_MS : FIRST_FRAME_FALLBACK_MS;
      this.#cancel = onFirstFrame(this.#back, () => this.#swap(), patience);
    }
    this.#mark();
    this.check();
  }

  #takeStill(): void {
    const shown = this.#shown;
    const video = this.#front;
    if (shown?.track.readyState !== 'live' || video.videoWidth === 0 || !this.#still.hidden) return;
    const still = this.#still;
    if (still.width !== video.videoWidth) still.width = video.videoWidth;
    if (still.height !== video.videoHeight) still.height = video.videoHeight;
    still.getContext('2d')?.drawImage(video, 0, 0, still.width, still.height);
    this.#stillOf = shown.track;
  }

  #stopLoading(): void {
    this.#cancel?.();
    this.#cancel = null;
    this.#pending = null;
    attach(this.#back, null);
  }

  #swap(): void {
    this.#cancel = null;
    [this.#front, this.#back] = [this.#back, this.#front];
    this.#shown = this.#pending;
    this.#pending = null;
    attach(this.#back, null);
    this.#mark();
    this.check();
    this.#onSwap();
  }

  #mark(): void {
    // Only the visible one says whose picture it is: selectors such as [data-source="screen"] find what is seen.
    const label = (video: HTMLVideoElement, slot: string, shot: Shot | null, front: boolean): void => {
      Object.assign(video.dataset, { slot, pointId: front ? (shot?.pointId ?? '') : '', source: front ? (shot?.source ?? '') : '' });
      video.setAttribute('aria-label', front ? (shot?.label ?? '') : '');
      video.classList.toggle('front', front);
      // The one behind is rendered while it loads, so that its frames are decoded and presented (and counted).
      video.hidden = shot === null;
    };
    label(this.#front, this.#slot, this.#shown, true);
    label(this.#back, `${this.#slot}-next`, this.#pending, false);
  }
}
