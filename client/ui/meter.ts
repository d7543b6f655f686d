// The microphone level heard in this browser (Web Audio), in dBov like the hub's levels, drawn as a bar.
import { t } from '../i18n.ts';
import { h } from './dom.ts';

export class MicMeter {
  readonly el: HTMLElement;
  readonly #bar = h('div', { class: 'meter-bar' });
  #context: AudioContext | undefined;
  #analyser: AnalyserNode | undefined;
  #source: MediaStreamAudioSourceNode | undefined;
  #buffer = new Float32Array(2048);
  #level = -127;

  constructor() {
    this.el = h('div', { class: 'meter mic-meter', attrs: { role: 'meter', 'aria-valuemin': -127, 'aria-valuemax': 0 } }, this.#bar);
    this.el.setAttribute('aria-label', t('dev.micLevel'));
    // Sampling the analyser, not a display clock: the connection test takes the loudest sample of a window.
    setInterval(() => this.#sample(), 100);
    // Browsers start audio contexts suspended until a gesture: any click wakes it.
    const wake = (): void => void this.#context?.resume().catch((error: unknown) => console.warn('audio context', error));
    document.addEventListener('click', wake, { capture: true });
  }

  /** The loudest level of the last moment, dBov (-127 silence .. 0). */
  get level(): number {
    return this.#level;
  }

  attach(stream: MediaStream | null): void {
    this.#source?.disconnect();
    this.#source = undefined;
    const track = stream?.getAudioTracks()[0];
    if (!track) return;
    this.#context ??= new AudioContext();
    this.#analyser ??= this.#context.createAnalyser();
    this.#analyser.fftSize = 2048;
    this.#source = this.#context.createMediaStreamSource(new MediaStream([track]));
    this.#source.connect(this.#analyser);
    this.#context.resume().catch((error: unknown) => console.warn('audio context stays suspended', error));
  }

  #sample(): void {
    if (!this.#analyser || !this.#source) return;
    this.#analyser.getFloatTimeDomainData(this.#buffer);
    let sum = 0;
    for (const v of this.#buffer) sum += v * v;
    const rms = Math.sqrt(sum / this.#buffer.length);
    this.#level = rms > 0 ? Math.max(-127, Math.min(0, 20 * Math.log10(rms))) : -127;
    const fraction = Math.min(1, Math.max(0, (this.#level + 60) / 55));
    this.#bar.style.width = `${Math.round(fraction * 100)}%`;
    this.el.setAttribute('aria-valuenow', String(Math.round(this.#level)));
  }
}
