// Playing remote media: attach streams to <video>/<audio>, and when the browser blocks playback (or keeps
// the sound's AudioContext suspended) without a gesture, show one large "click to start" prompt that starts
// everything that was blocked. A point's sound plays at the gain the host set for it (GainedAudio: the
// element's volume for cuts, Web Audio for boosts). Every newer API (setSinkId, AudioContext.setSinkId) is
// guarded: Firefox lacks some of them.
import { t } from '../i18n.ts';
import { h, tr } from './dom.ts';

const blocked = new Set<HTMLMediaElement>();
const audioElements = new Set<HTMLAudioElement>();
let prompt: HTMLElement | undefined;
let speakerId = '';

function showPrompt(): void {
  if (prompt) return;
  const start = h(
    'button',
    { class: 'autoplay-button', attrs: { type: 'button' }, label: 'autoplay.prompt', on: { click: () => void resumeBlocked() } },
    tr('autoplay.prompt'),
  );
  prompt = h('div', { class: 'autoplay', attrs: { role: 'dialog', 'aria-modal': 'true' } }, start, tr('autoplay.hint', 'p'));
  document.body.append(prompt);
  start.focus();
}

async function resumeBlocked(): Promise<void> {
  const waiting = [...blocked];
  blocked.clear();
  prompt?.remove();
  prompt = undefined;
  for (const el of waiting) play(el);
  // The click is the gesture the sound's context waited for.
  if (context && context.state === 'suspended') await context.resume().catch(() => undefined);
}

/** Starts playback; a refusal for want of a gesture puts the element behind the prompt. */
export function play(el: HTMLMediaElement): void {
  if (!el.srcObject) return;
  el.play().catch((error: unknown) => {
    if (error instanceof DOMException && error.name === 'NotAllowedError') {
      blocked.add(el);
      showPrompt();
    } else if (!(error instanceof DOMException && error.name === 'AbortError')) {
      // AbortError only means a newer source replaced this one.
      console.error('playback failed', error);
    }
  });
}

/** Shows `stream` in `el` (null clears it); does nothing when it already shows those tracks. */
export function attach(el: HTMLMediaElement, stream: MediaStream | null): void {
  const current = el.srcObject instanceof MediaStream ? el.srcObject : null;
  const same =
    current !== null &&
    stream !== null &&
    current.getTracks().length === stream.getTracks().length &&
    stream.getTracks().every((track) => current.getTracks().includes(track));
  if (same || (current === null && stream === null)) return;
  el.srcObject = stream;
  if (stream) play(el);
  else blocked.delete(el);
}

export function videoElement(className: string, muted = true): HTMLVideoElement {
  const video = h('video', { class: className, attrs: { playsinline: true, autoplay: true } });
  video.muted = muted;
  video.playsInline = true;
  return video;
}

/** A hidden <audio> that plays `track` on the chosen speaker; remove it with `stopAudio`. */
export function playAudio(track: MediaStreamTrack, parent: HTMLElement): HTMLAudioElement {
  const audio = h('audio', { attrs: { autoplay: true }, data: { trackId: track.id } });
  audioElements.add(audio);
  void applySink(audio);
  parent.append(audio);
  attach(audio, new MediaStream([track]));
  return audio;
}

export function stopAudio(audio: HTMLAudioElement): void {
  audioElements.delete(audio);
  blocked.delete(audio);
  audio.srcObject = null;
  audio.remove();
}

/** Routes every remote sound to the speaker `deviceId` ('' = system default) where the browser allows it. */
export async function setSpeaker(deviceId: string): Promise<void> {
  speakerId = deviceId;
  await Promise.all([...audioElements].map((a) => applySink(a)));
  await routeToSpeaker();
}

export function speakerSupported(): boolean {
  return 'setSinkId' in HTMLMediaElement.prototype;
}

async function applySink(audio: HTMLAudioElement): Promise<void> {
  if (!speakerSupported()) return;
  try {
    await audio.setSinkId(speakerId);
  } catch (error) {
    console.error(t('dev.speaker'), error);
  }
}

// --- Sound at the host's gain ----------------------------------------------------------------------------

type SinkAudioContext = AudioContext & { setSinkId?: (id: string) => Promise<void> };

let context: SinkAudioContext | null | undefined;
/** Where boosted sound goes when the context cannot choose the speaker itself (Firefox): an element that can. */
let speakerElement: { node: MediaStreamAudioDestinationNode; el: HTMLAudioElement } | undefined;
const routes = new Set<GainedAudio>();

/** The one AudioContext of the page, made on first need; null where there is none. */
function audioContext(): SinkAudioContext | null {
  if (context !== undefined) return context;
  try {
    context = typeof AudioContext === 'function' ? new AudioContext() : null;
  } catch (error) {
    console.warn('no Web Audio', error);
    context = null;
  }
  if (!context) return null;
  const ctx = context;
  ctx.addEventListener('statechange', () => {
    for (const route of routes) route.refresh();
  });
  void routeToSpeaker();
  if (ctx.state === 'suspended') {
    ctx.resume().catch(() => undefined);
    // Without a gesture resume() waits: the prompt gives it one.
    setTimeout(() => {
      if (ctx.state === 'suspended') showPrompt();
    }, 500);
  }
  return ctx;
}

/** The node boosted sound goes to: the context's own output on the chosen speaker, or an element that picks it. */
function output(ctx: SinkAudioContext): AudioNode {
  if (speakerId === '' || typeof ctx.setSinkId === 'function' || !speakerSupported()) return ctx.destination;
  if (!speakerElement) {
    const node = ctx.createMediaStreamDestination();
    const el = h('audio', { attrs: { autoplay: true, hidden: true }, data: { role: 'boosted-sound' } });
    document.body.append(el);
    attach(el, node.stream);
    speakerElement = { node, el };
  }
  void applySink(speakerElement.el);
  return speakerElement.node;
}

/** After a speaker change: the context follows (Chromium), or boosted sound moves to an element that does (Firefox). */
async function routeToSpeaker(): Promise<void> {
  const ctx = context;
  if (!ctx) return;
  if (typeof ctx.setSinkId === 'function') {
    try {
      await ctx.setSinkId(speakerId);
    } catch (error) {
      console.error(t('dev.speaker'), error);
    }
  }
  for (const route of routes) route.refresh();
}

/** dB → the factor on the signal. */
export const gainFactor = (db: number): number => 10 ** (db / 20);

/**
 * One remote sound at a gain in dB. At 0 dB and below, the <audio> element's volume; above, the element is
 * muted (it only keeps the WebRTC sound flowing, which Chromium long needed for Web Audio to get it) and a
 * GainNode plays it, through the page's AudioContext (while that context runs; the element until then).
 */
export class GainedAudio {
  readonly el: HTMLAudioElement;
  readonly #track: MediaStreamTrack;
  #gainDb = 0;
  #muted: boolean;
  #route: { source: MediaStreamAudioSourceNode; gain: GainNode; analyser: AnalyserNode; to: AudioNode } | null = null;

  constructor(track: MediaStreamTrack, parent: HTMLElement, pointId: string, gainDb: number, muted = false) {
    this.#track = track;
    this.#muted = muted;
    this.el = playAudio(track, parent);
    this.el.dataset['pointId'] = pointId;
    this.#gainDb = gainDb;
    routes.add(this);
    this.refresh();
  }

  get gainDb(): number {
    return this.#gainDb;
  }

  setGain(gainDb: number): void {
    if (gainDb === this.#gainDb) return;
    this.#gainDb = gainDb;
    this.refresh();
  }

  setMuted(muted: boolean): void {
    this.#muted = muted;
    this.refresh();
  }

  stop(): void {
    routes.delete(this);
    this.#unroute();
    stopAudio(this.el);
  }

  /** Brings the element and the Web Audio route in line with the gain, the mute and the context's state. */
  refresh(): void {
    const boost = !this.#muted && this.#gainDb > 0;
    const ctx = boost ? audioContext() : null;
    const running = ctx?.state === 'running';
    if (ctx && boost) this.#routeIn(ctx);
    else this.#unroute();
    if (this.#route) this.#route.gain.gain.value = running ? gainFactor(this.#gainDb) : 0;
    this.el.muted = this.#muted || running;
    this.el.volume = Math.min(1, gainFactor(this.#gainDb));
    this.el.dataset['gainDb'] = String(this.#gainDb);
    this.el.dataset['route'] = running ? 'webaudio' : 'element';
  }

  /** The level after the gain (dBFS, RMS over the analyser's window); null without a Web Audio route. */
  level(): number | null {
    if (!this.#route) return null;
    const samples = new Float32Array(this.#route.analyser.fftSize);
    this.#route.analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const s of samples) sum += s * s;
    return 10 * Math.log10(sum / samples.length || 1e-12);
  }

  /** What plays now: the route, the gain node's value (null on the element path), the level after it. */
  state(): { pointId: string; gainDb: number; route: string; nodeGain: number | null; level: number | null; context: string | null } {
    const { pointId = '', route = '' } = this.el.dataset;
    const nodeGain = this.#route ? this.#route.gain.gain.value : null;
    return { pointId, gainDb: this.#gainDb, route, nodeGain, level: this.level(), context: context?.state ?? null };
  }

  #routeIn(ctx: SinkAudioContext): void {
    const to = output(ctx);
    if (this.#route?.to === to) return;
    this.#unroute();
    const source = ctx.createMediaStreamSource(new MediaStream([this.#track]));
    const gain = ctx.createGain();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 2048;
    source.connect(gain);
    gain.connect(to);
    gain.connect(analyser);
    this.#route = { source, gain, analyser, to };
  }

  #unroute(): void {
    if (!this.#route) return;
    this.#route.source.disconnect();
    this.#route.gain.disconnect();
    this.#route = null;
  }
}
