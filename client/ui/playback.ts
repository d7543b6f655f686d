// Playing remote media: attach streams to <video>/<audio>, and when the browser blocks playback
// without a gesture, show one large "click to start" prompt that starts everything that was blocked.
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
}

export function speakerSupported(): boolean {
  return 'setSinkId' in HTMLMediaElement.prototype;
}

async function applySink(audio: HTMLAudioElement): Promise<void> {
  if (!speakerSupported()) return;
  try {
    await (audio as HTMLAudioElement & { setSinkId(id: string): Promise<void> }).setSinkId(speakerId);
  } catch (error) {
    console.error(t('dev.speaker'), error);
  }
}
