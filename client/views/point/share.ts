// Sharing a screen from a console: the button that starts and stops this browser's screen capture (the host
// shares whenever it likes; a point's technician while its point holds the floor and the host allows it),
// why it cannot share now in words, and the technician's section of the floor tab with a preview of what
// the halls see. The hub has the last word: a refusal is shown in words, and the hub closes a point's screen
// when the floor moves on or the host stops it (the media client then reports 'sharing' false).
import type { Reason } from '../../../shared/errors.ts';
import type { AppContext } from '../../app.ts';
import { onLanguage, t, type Key } from '../../i18n.ts';
import { reasonText } from '../../i18n/describe.ts';
import type { MediaClient } from '../../net/media.ts';
import { h, setText, tr } from '../../ui/dom.ts';
import { attach, videoElement } from '../../ui/playback.ts';
import { act, toast } from '../../ui/toast.ts';
import './share.css';

/** Why this browser cannot share now: a hub reason (the same words as its refusal) or a words key. */
export type Unavailable = { reason: Reason } | { key: Key };

const unavailableText = (why: Unavailable): string => ('reason' in why ? reasonText(why.reason, {}) : t(why.key));
const unavailableCode = (why: Unavailable): string => ('reason' in why ? why.reason : why.key);

/** Whether the browser offers screen capture at all (not on plain-HTTP pages, nor on most phones). */
export const canCapture = (): boolean => typeof navigator.mediaDevices?.getDisplayMedia === 'function';

/** The person closed the browser's picker without choosing anything. */
const cancelled = (error: unknown): boolean =>
  error instanceof DOMException && (error.name === 'NotAllowedError' || error.name === 'AbortError');

/** The browser has no screen to capture (Firefox with no display, a capture source gone or busy). */
const noScreen = (error: unknown): boolean =>
  error instanceof DOMException && (error.name === 'NotFoundError' || error.name === 'NotReadableError');

export interface ShareButtonOptions {
  /** Why sharing cannot start now (null: it can); a stop is always offered while sharing. */
  unavailable: () => Unavailable | null;
  /** Tell the person when the sharing stopped without their pressing stop (the hub closed it). */
  noticeStopped: boolean;
  /** The words of the start (share.start unless given). */
  startKey?: Key;
}

/** "Share screen" / "Stop sharing" for this browser's own screen. */
export class ShareButton {
  readonly el: HTMLButtonElement;
  readonly #screen: MediaClient;
  readonly #options: ShareButtonOptions;
  #busy = false;
  #stopping = false;
  readonly #listeners = new Set<() => void>();

  constructor(media: MediaClient, options: ShareButtonOptions) {
    this.#screen = media;
    this.#options = options;
    this.el = h('button', { class: 'share-button', attrs: { type: 'button' }, on: { click: () => void this.#click() } });
    this.#screen.on('sharing', (sharing) => {
      if (!sharing && !this.#stopping && this.#options.noticeStopped) toast(t('share.stopped'));
      this.#stopping = false;
      this.render();
    });
    onLanguage(() => this.render());
    this.render();
  }

  get sharing(): boolean {
    return this.#screen.sharing;
  }

  /** Called after every change of the button's state (sharing, busy). */
  onChange(listener: () => void): void {
    this.#listeners.add(listener);
  }

  render(): void {
    const sharing = this.#screen.sharing;
    const key: Key = sharing ? 'share.stop' : (this.#options.startKey ?? 'share.start');
    setText(this.el, t(key));
    this.el.dataset['i18n'] = key;
    this.el.dataset['action'] = sharing ? 'stop-share' : 'share';
    this.el.dataset['sharing'] = String(sharing);
    const why = sharing ? null : this.#options.unavailable();
    // Red to stop; blue only when sharing can start now (a disabled blue reads as a live button).
    this.el.classList.toggle('danger', sharing);
    this.el.classList.toggle('primary', !sharing && why === null);
    this.el.disabled = this.#busy || why !== null;
    if (why) this.el.title = unavailableText(why);
    else this.el.removeAttribute('title');
    for (const listener of this.#listeners) listener();
  }

  async #click(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    this.render();
    try {
      if (this.#screen.sharing) {
        this.#stopping = true;
        await act(this.#screen.stopScreen());
      } else {
        // The hub decides (the floor, the host's permission): its refusal is shown in words.
        await act(
          this.#screen.shareScreen().catch((error: unknown) => {
            if (noScreen(error)) return toast(t('share.noScreen'), 'error', (error as DOMException).name);
            if (!cancelled(error)) throw error;
            toast(t('share.cancelled'));
          }),
        );
      }
    } finally {
      this.#busy = false;
      this.render();
    }
  }
}

/**
 * The technician's screen sharing in the floor tab: offered while the point holds the floor and the host
 * allows it (disabled with the reason otherwise), a preview of what the halls see while sharing.
 */
export class PointShare {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #button: ShareButton;
  readonly #hint = h('p', { class: 'share-hint', attrs: { 'aria-live': 'polite' } });
  readonly #preview = videoElement('share-preview');
  #releasing = false;

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
    const { store, media } = ctx;
    this.#button = new ShareButton(media, { unavailable: () => this.#unavailable(), noticeStopped: true });
    this.#preview.setAttribute('aria-label', t('share.on'));
    this.el = h(
      'section',
      { class: 'point-share', attrs: { 'aria-labelledby': 'ps-title' } },
      tr('share.title', 'h3', { id: 'ps-title' }),
      h('div', { class: 'share-row' }, this.#button.el, this.#hint),
      this.#preview,
    );
    this.#button.onChange(() => this.#renderState());
    for (const event of ['welcome', 'floor', 'programme', 'status'] as const) store.on(event, () => this.render());
    onLanguage(() => this.render());
    this.render();
  }

  #unavailable(): Unavailable | null {
    const { store } = this.#ctx;
    if (!canCapture()) return { key: 'share.unsupported' };
    if (!store.self || store.floor.pointId !== store.self.pointId) return { reason: 'media.screen_not_on_floor' };
    if (!store.programme.pointSharing) return { reason: 'media.screen_sharing_off' };
    return null;
  }

  render(): void {
    const { store, media: screen } = this.#ctx;
    // The hub closes a former speaker's screen; stopping here too releases the capture at once.
    const onFloor = store.self !== null && store.floor.pointId === store.self.pointId;
    if (!onFloor && screen.sharing && !this.#releasing) {
      this.#releasing = true;
      void act(screen.stopScreen()).finally(() => (this.#releasing = false));
    }
    this.el.hidden = store.status !== 'live' && store.status !== 'rehearsal';
    this.#button.render();
  }

  #renderState(): void {
    const screen = this.#ctx.media;
    const sharing = screen.sharing;
    const why = sharing ? null : this.#unavailable();
    this.el.dataset['state'] = sharing ? 'sharing' : why ? 'unavailable' : 'ready';
    this.#hint.dataset['reason'] = why ? unavailableCode(why) : '';
    setText(this.#hint, sharing ? t('share.on') : why ? unavailableText(why) : t('share.may'));
    attach(this.#preview, sharing ? screen.screenStream : null);
    this.#preview.hidden = !sharing;
  }
}
