// The room display: a full-screen kiosk for the projector. The stage in the layout the host chose (the
// banner before the start and with the host's message, the centre, the speaker with the centre beside it,
// slides with the speaker, side by side), with the lower third naming the speaker and the time left and the
// current agenda item; every point's sound at the gain the host set for it. No controls: it joins from its
// address, reconnects by itself, and asks for one click only if the browser blocks playback.
import type { AppContext, EndReason, View } from '../app.ts';
import { onLanguage, t } from '../i18n.ts';
import { h } from '../ui/dom.ts';
import { RemoteAudio, Stage } from '../ui/stage.ts';

const CURSOR_IDLE_MS = 3000;

export class RoomDisplay implements View {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #stage: Stage;
  readonly #link = h('div', { class: 'display-link', attrs: { role: 'status', 'aria-live': 'polite' } });
  #ended = false;

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
    const { store, media } = ctx;
    this.#stage = new Stage(store, media, { lowerThird: true });
    const audio = new RemoteAudio(media, { store });
    this.el = h(
      'main',
      { class: 'display', data: { view: 'display' } },
      h('div', { class: 'display-stage' }, this.#stage.el),
      this.#link,
      audio.el,
    );
    const render = (): void => this.render();
    store.on('link', render);
    onLanguage(render);
    this.#hideIdleCursor();
    this.el.addEventListener('dblclick', () => void this.#toggleFullscreen());
    document.addEventListener('keydown', (event) => {
      if (event.key === 'f' || event.key === 'F') void this.#toggleFullscreen();
    });
    this.render();
  }

  ended(reason: EndReason): boolean {
    if (reason === 'conference_ended') {
      this.#ended = true;
      this.#stage.markEnded();
    }
    this.render();
    return true;
  }

  render(): void {
    const { store } = this.#ctx;
    const offline = store.link === 'offline' || store.link === 'connecting';
    this.#link.hidden = !offline || this.#ended;
    this.#link.textContent = offline ? t(`link.${store.link}`) : '';
  }

  #hideIdleCursor(): void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const wake = (): void => {
      this.el.classList.remove('idle');
      clearTimeout(timer);
      timer = setTimeout(() => this.el.classList.add('idle'), CURSOR_IDLE_MS);
    };
    this.el.addEventListener('mousemove', wake);
    wake();
  }

  async #toggleFullscreen(): Promise<void> {
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await document.documentElement.requestFullscreen();
    } catch (error) {
      console.warn('full screen refused', error);
    }
  }
}
