// The room display: a full-screen kiosk for the projector. The stage (the centre, or the speaking point
// large with the centre beside it) with a lower third naming the speaker and the time left; the banner
// before the start and whenever nothing is on stage; the current agenda item. No controls: it joins from
// its address, reconnects by itself, and asks for one click only if the browser blocks playback.
import type { AppContext, EndReason, View } from '../app.ts';
import { onLanguage, t } from '../i18n.ts';
import { renderBanner } from '../ui/banner.ts';
import { h } from '../ui/dom.ts';
import { RemoteAudio, Stage } from '../ui/stage.ts';

const CURSOR_IDLE_MS = 3000;

export class RoomDisplay implements View {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #stage: Stage;
  readonly #banner = h('section', { class: 'banner', attrs: { 'aria-label': 'Maket' } });
  readonly #bannerNote = h('div', { class: 'banner-note', attrs: { role: 'status' } });
  readonly #agenda = h('div', { class: 'display-agenda', attrs: { 'aria-live': 'polite' } });
  readonly #link = h('div', { class: 'display-link', attrs: { role: 'status', 'aria-live': 'polite' } });
  #ended = false;

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
    const { store, media } = ctx;
    this.#stage = new Stage(store, media, { lowerThird: true });
    const audio = new RemoteAudio(media);
    this.el = h(
      'main',
      { class: 'display', data: { view: 'display' } },
      h('div', { class: 'display-stage' }, this.#stage.el),
      this.#agenda,
      h('div', { class: 'banner-box' }, this.#banner, this.#bannerNote),
      this.#link,
      audio.el,
    );
    const render = (): void => this.render();
    this.#stage.onPicture(render);
    for (const event of ['welcome', 'status', 'agenda', 'link', 'floor'] as const) store.on(event, render);
    onLanguage(render);
    this.#hideIdleCursor();
    this.el.addEventListener('dblclick', () => void this.#toggleFullscreen());
    document.addEventListener('keydown', (event) => {
      if (event.key === 'f' || event.key === 'F') void this.#toggleFullscreen();
    });
    this.render();
  }

  ended(reason: EndReason): boolean {
    if (reason === 'conference_ended') this.#ended = true;
    this.render();
    return true;
  }

  render(): void {
    const { store } = this.#ctx;
    const conference = store.conference;
    if (!conference) return;
    const showing = !this.#ended && (store.status === 'live' || store.status === 'rehearsal') && this.#stage.hasPicture;
    renderBanner(this.#banner, conference, store.point(store.self?.pointId));
    this.el.classList.toggle('banner-on', !showing);
    this.#banner.parentElement?.toggleAttribute('hidden', showing);
    this.#bannerNote.textContent = this.#ended || store.status === 'ended' ? t('ended.conference_ended') : '';

    const item = store.agenda.items.find((i) => i.id === store.agenda.currentItemId);
    this.#agenda.hidden = !showing || !item;
    this.#agenda.replaceChildren(
      item ? h('span', { class: 'display-agenda-label' }, t('agenda.current')) : '',
      item ? h('span', { class: 'display-agenda-title' }, item.title) : '',
    );
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
