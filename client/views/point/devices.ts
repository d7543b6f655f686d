// The point's own picture and sound: a self preview with the microphone meter and the host's mutes, and
// the choice of camera, microphone, speaker and picture quality (kept in this browser).
import type { Role } from '../../../shared/domain.ts';
import { LEVEL_REPORTERS } from '../../../shared/rules.ts';
import type { AppContext } from '../../app.ts';
import { onLanguage, t, type Key } from '../../i18n.ts';
import { saveSettings, VIDEO_HEIGHTS } from '../../settings.ts';
import { field, h, option, tr } from '../../ui/dom.ts';
import { MicMeter } from '../../ui/meter.ts';
import { attach, setSpeaker, speakerSupported, videoElement } from '../../ui/playback.ts';
import { toastError } from '../../ui/toast.ts';

/** A device without a label (no permission yet) is named by its kind and number. */
const DEVICE_WORDS: Record<MediaDeviceKind, Key> = { videoinput: 'dev.camera', audioinput: 'dev.microphone', audiooutput: 'dev.speaker' };

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

export class DevicesPanel {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #camera = h('select', { attrs: { name: 'camera' } });
  readonly #microphone = h('select', { attrs: { name: 'microphone' } });
  readonly #speaker = h('select', { attrs: { name: 'speaker' } });
  readonly #quality = h('select', { attrs: { name: 'quality' } });

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
    const speakerField = field('dev.speaker', this.#speaker);
    speakerField.hidden = !speakerSupported();
    this.el = h(
      'section',
      { class: 'devices', label: 'tab.devices' },
      field('dev.camera', this.#camera),
      field('dev.microphone', this.#microphone),
      speakerField,
      field('dev.quality', this.#quality),
    );
    this.#camera.addEventListener('change', () => void this.#recapture({ cameraId: this.#camera.value || undefined }));
    this.#microphone.addEventListener('change', () => void this.#recapture({ microphoneId: this.#microphone.value || undefined }));
    this.#quality.addEventListener('change', () => void this.#recapture({ height: Number(this.#quality.value) }));
    this.#speaker.addEventListener('change', () => {
      ctx.settings.speakerId = this.#speaker.value;
      saveSettings(ctx.settings);
      void setSpeaker(this.#speaker.value);
    });
    navigator.mediaDevices?.addEventListener('devicechange', () => void this.refresh());
    ctx.media.on('local', () => void this.refresh());
    onLanguage(() => void this.refresh());
    void setSpeaker(ctx.settings.speakerId);
    void this.refresh();
  }

  async refresh(): Promise<void> {
    if (!navigator.mediaDevices) return;
    const devices = await navigator.mediaDevices.enumerateDevices();
    const settings = this.#ctx.settings;
    const local = this.#ctx.media.localStream;
    const inUse = (kind: 'audio' | 'video'): string | undefined =>
      (kind === 'video' ? local?.getVideoTracks() : local?.getAudioTracks())?.[0]?.getSettings().deviceId;
    const fill = (select: HTMLSelectElement, kind: MediaDeviceKind, chosen: string | undefined): void => {
      const list = devices.filter((d) => d.kind === kind);
      select.replaceChildren(
        option('', t('dev.default'), !chosen),
        ...list.map((d, i) => option(d.deviceId, d.label || `${t(DEVICE_WORDS[kind])} ${i + 1}`, d.deviceId === chosen)),
      );
    };
    fill(this.#camera, 'videoinput', settings.cameraId ?? inUse('video'));
    fill(this.#microphone, 'audioinput', settings.microphoneId ?? inUse('audio'));
    fill(this.#speaker, 'audiooutput', settings.speakerId || undefined);
    this.#quality.replaceChildren(...VIDEO_HEIGHTS.map((height) => option(String(height), `${height}p`, height === settings.height)));
  }

  async #recapture(change: Partial<AppContext['settings']>): Promise<void> {
    const settings = Object.assign(this.#ctx.settings, change);
    saveSettings(settings);
    try {
      await this.#ctx.media.capture(settings);
    } catch (error) {
      toastError(error, 'dev.failed');
    }
  }
}
