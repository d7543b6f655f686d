// Hearing the room's own sound before the conference: a short tone played on the chosen speaker
// (generated with Web Audio), and three seconds of the microphone recorded and played back on it.
// Each sets `data-state` (playing → played, recording → playing → played) for tests and styles.
import type { AppContext } from '../../app.ts';
import { onLanguage, t, type Key } from '../../i18n.ts';
import { describeError } from '../../i18n/describe.ts';
import { button, h } from '../../ui/dom.ts';

const TONE_SECONDS = 1;
const TONE_HZ = 880;
const RECORD_MS = 3000;

type SinkAudio = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

/** An <audio> on the speaker chosen in this browser (where the browser can choose). */
async function speakerElement(ctx: AppContext): Promise<SinkAudio> {
  const audio: SinkAudio = h('audio', { class: 'check-audio' });
  if (audio.setSinkId && ctx.settings.speakerId) await audio.setSinkId(ctx.settings.speakerId);
  return audio;
}

/** Resolves when `audio` has played to its end (or after `limitMs`, for a stream that never ends). */
function playToEnd(audio: HTMLAudioElement, limitMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, limitMs);
    audio.addEventListener('ended', () => {
      clearTimeout(timer);
      resolve();
    });
    audio.play().catch((error: unknown) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export class SoundChecks {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #toneButton: HTMLButtonElement;
  readonly #recordButton: HTMLButtonElement;
  readonly #state = h('p', { class: 'sound-state', attrs: { role: 'status', 'aria-live': 'polite' } });
  #said: { key: Key; vars?: Record<string, string> } | null = null;

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
    this.#toneButton = button('check.tone', () => void this.tone(), { data: { action: 'tone' } });
    this.#recordButton = button('check.record', () => void this.playback(), { data: { action: 'playback' } });
    this.el = h(
      'section',
      { class: 'sound-checks', label: 'check.sound' },
      h('div', { class: 'row sound-buttons' }, this.#toneButton, this.#recordButton),
      this.#state,
    );
    onLanguage(() => this.#render());
  }

  /** A one-second tone through Web Audio, routed to the chosen speaker. */
  async tone(): Promise<void> {
    await this.#busy('tone', async () => {
      const context = new AudioContext();
      try {
        const oscillator = context.createOscillator();
        const gain = context.createGain();
        const out = context.createMediaStreamDestination();
        oscillator.frequency.value = TONE_HZ;
        gain.gain.setValueAtTime(0, context.currentTime);
        gain.gain.linearRampToValueAtTime(0.3, context.currentTime + 0.05);
        gain.gain.setValueAtTime(0.3, context.currentTime + TONE_SECONDS - 0.1);
        gain.gain.linearRampToValueAtTime(0, context.currentTime + TONE_SECONDS);
        oscillator.connect(gain).connect(out);
        const audio = await speakerElement(this.#ctx);
        audio.srcObject = out.stream;
        this.#say('check.tonePlaying', 'playing');
        await context.resume();
        oscillator.start();
        oscillator.stop(context.currentTime + TONE_SECONDS);
        await playToEnd(audio, TONE_SECONDS * 1000 + 200);
        audio.srcObject = null;
        this.#say('check.tonePlayed', 'played');
      } finally {
        await context.close();
      }
    });
  }

  /** Three seconds of the microphone in use, recorded and played back on the chosen speaker. */
  async playback(): Promise<void> {
    const track = this.#ctx.media.localStream?.getAudioTracks()[0];
    if (!track) {
      this.#say('check.noMicrophone', 'failed');
      return;
    }
    await this.#busy('record', async () => {
      const copy = track.clone();
      const recorder = new MediaRecorder(new MediaStream([copy]));
      const chunks: Blob[] = [];
      recorder.addEventListener('dataavailable', (event) => chunks.push(event.data));
      const stopped = new Promise((resolve) => recorder.addEventListener('stop', resolve));
      this.#say('check.recording', 'recording');
      recorder.start();
      await new Promise((resolve) => setTimeout(resolve, RECORD_MS));
      recorder.stop();
      await stopped;
      copy.stop();
      const blob = new Blob(chunks, { type: recorder.mimeType });
      const url = URL.createObjectURL(blob);
      try {
        const audio = await speakerElement(this.#ctx);
        audio.src = url;
        this.el.dataset['recordedBytes'] = String(blob.size);
        this.#say('check.playingBack', 'playing');
        audio.addEventListener('timeupdate', () => (this.el.dataset['playedSeconds'] = audio.currentTime.toFixed(2)));
        await playToEnd(audio, RECORD_MS + 3000);
        this.#say('check.playedBack', 'played');
      } finally {
        URL.revokeObjectURL(url);
      }
    });
  }

  async #busy(which: 'tone' | 'record', work: () => Promise<void>): Promise<void> {
    this.el.dataset['check'] = which;
    this.#toneButton.disabled = true;
    this.#recordButton.disabled = true;
    try {
      await work();
    } catch (error) {
      console.warn('sound check failed', error);
      this.#say('check.soundFailed', 'failed', { message: describeError(error) });
    } finally {
      this.#toneButton.disabled = false;
      this.#recordButton.disabled = false;
    }
  }

  #say(key: Key, state: string, vars?: Record<string, string>): void {
    this.#said = { key, ...(vars ? { vars } : {}) };
    this.el.dataset['state'] = state;
    this.#render();
  }

  #render(): void {
    this.#state.textContent = this.#said ? t(this.#said.key, this.#said.vars) : '';
  }
}
