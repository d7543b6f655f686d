// The choice of camera, microphone (with its meter), speaker and picture quality, kept in this browser.
// The point console and the host console both mount it.
import type { AppContext } from '../../app.ts';
import { onLanguage, t, type Key } from '../../i18n.ts';
import { saveSettings, VIDEO_HEIGHTS } from '../../settings.ts';
import { field, h, option } from '../../ui/dom.ts';
import type { MicMeter } from '../../ui/meter.ts';
import { setSpeaker, speakerSupported } from '../../ui/playback.ts';
import { toastError } from '../../ui/toast.ts';

/** A device without a label (no permission yet) is named by its kind and number. */
const DEVICE_WORDS: Record<MediaDeviceKind, Key> = { videoinput: 'dev.camera', audioinput: 'dev.microphone', audiooutput: 'dev.speaker' };

export class DevicesPanel {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #camera = h('select', { attrs: { name: 'camera' } });
  readonly #microphone = h('select', { attrs: { name: 'microphone' } });
  readonly #speaker = h('select', { attrs: { name: 'speaker' } });
  readonly #quality = h('select', { attrs: { name: 'quality' } });

  /** `meter` shows the chosen microphone's level under its choice. */
  constructor(ctx: AppContext, meter: MicMeter) {
    this.#ctx = ctx;
    const speakerField = field('dev.speaker', this.#speaker);
    speakerField.hidden = !speakerSupported();
    this.el = h(
      'section',
      { class: 'devices', label: 'tab.devices' },
      field('dev.camera', this.#camera),
      field('dev.microphone', this.#microphone),
      meter.el,
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
