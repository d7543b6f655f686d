// The point's own picture and sound: a self preview with the microphone meter and the host's mutes (the
// choice of devices is the self-check's, views/check/devices.ts).
import type { Role } from '../../../shared/domain.ts';
import { LEVEL_REPORTERS } from '../../../shared/rules.ts';
import type { AppContext } from '../../app.ts';
import { onLanguage, t } from '../../i18n.ts';
import { h, tr } from '../../ui/dom.ts';
import { MicMeter } from '../../ui/meter.ts';
import { attach, videoElement } from '../../ui/playback.ts';

const reportsLevel = (role: Role): boolean => (LEVEL_REPORTERS as readonly Role[]).includes(role);

export class SelfPreview {
  readonly el: HTMLElement;
  readonly meter = new MicMeter();
  readonly #video = videoElement('preview-video');
  readonly #muted = h('p', { class: 'muted-by-host', attrs: { role: 'status' } });
  readonly #ctx: AppContext;
  #levelPending = false;

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
    this.#video.setAttribute('aria-label', t('dev.preview'));
    this.el = h(
      'section',
      { class: 'panel preview', attrs: { 'aria-labelledby': 'preview-title' } },
      tr('dev.preview', 'h2', { id: 'preview-title' }),
      h('div', { class: 'preview-box' }, this.#video),
      this.meter.el,
      this.#muted,
    );
    // The hub pauses this point's audio while another point speaks: tell the host's wall what we hear,
    // twice a second (a report to the hub, not a display clock).
    setInterval(() => this.#reportLevel(), 500);
    ctx.media.on('local', (stream) => this.#show(stream));
    ctx.media.on('producing', () => this.#show(ctx.media.localStream));
    for (const event of ['welcome', 'points'] as const) ctx.store.on(event, () => this.render());
    onLanguage(() => this.render());
  }

  #show(stream: MediaStream | null): void {
    attach(this.#video, stream ? new MediaStream(stream.getVideoTracks()) : null);
    this.meter.attach(stream);
  }

  #reportLevel(): void {
    const { store, signal, media } = this.#ctx;
    if (!store.may(reportsLevel) || !signal.socket.connected || !media.localStream?.getAudioTracks().length) return;
    // One report in flight at a time: on a dead link they would otherwise pile up and time out in bursts.
    if (this.#levelPending) return;
    this.#levelPending = true;
    signal
      .request('media.reportLevel', { volume: Math.round(this.meter.level) })
      .catch((error: unknown) => console.warn('level report refused', error))
      .finally(() => (this.#levelPending = false));
  }

  render(): void {
    const { store } = this.#ctx;
    const point = store.point(store.self?.pointId);
    const muted = point?.mutedByHost;
    const notes = [muted?.audio ? t('dev.mutedAudio') : '', muted?.video ? t('dev.mutedVideo') : ''].filter(Boolean);
    this.#muted.textContent = notes.join(' · ');
    this.#muted.hidden = notes.length === 0;
  }
}
