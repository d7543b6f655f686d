// Talkback in the browser. The host: while it talks to a point, its microphone goes to that point's
// technician through a private 'talkback' producer (the hub routes it to nobody else), and the programme's
// microphone is paused meanwhile, so the halls do not hear a private word from the centre. The technician:
// the talkback it receives plays at once, with the sound on (its console plays the programme muted).
import { controls } from '../../../shared/rules.ts';
import type { AppContext } from '../../app.ts';
import { h } from '../../ui/dom.ts';
import { playAudio, stopAudio } from '../../ui/playback.ts';
import { backchannelOf } from './model.ts';

const started = new WeakSet<AppContext>();

/** Starts the console's talkback audio once (host: sending; everyone else: playing what reaches it). */
export function startTalkbackAudio(ctx: AppContext, parent: HTMLElement): void {
  if (started.has(ctx)) return;
  started.add(ctx);
  if (ctx.store.may(controls)) hostSide(ctx);
  else pointSide(ctx, parent);
}

function hostSide(ctx: AppContext): void {
  const { media } = ctx;
  const model = backchannelOf(ctx);
  /** Whether talkback paused the programme's microphone (and so must resume it). */
  let pausedProgramme = false;
  let busy = Promise.resolve();
  const apply = async (talking: boolean): Promise<void> => {
    const programme = media.producer('microphone');
    if (talking) {
      const track = media.localStream?.getAudioTracks()[0];
      if (!track) return;
      const producer = await media.talkback(track.clone());
      producer?.resume();
      if (programme && !programme.paused) {
        programme.pause();
        pausedProgramme = true;
      }
    } else {
      media.producer('talkback')?.pause();
      if (pausedProgramme) programme?.resume();
      pausedProgramme = false;
    }
  };
  model.on('talkback', (state) => {
    busy = busy.then(() => apply(state.talkingTo !== null)).catch((error: unknown) => console.error('talkback failed', error));
  });
  // New session media (a restart) has no talkback producer: the next talk makes it again.
  media.on('producing', () => {
    pausedProgramme = false;
    if (model.talkback.talkingTo !== null) busy = busy.then(() => apply(true)).catch(() => undefined);
  });
}

function pointSide(ctx: AppContext, parent: HTMLElement): void {
  const holder = h('div', { class: 'talkback-audio', attrs: { hidden: true }, data: { role: 'talkback-audio' } });
  parent.append(holder);
  const playing = new Map<string, HTMLAudioElement>();
  ctx.media.on('added', (remote) => {
    if (remote.purpose !== 'talkback' || remote.kind !== 'audio') return;
    const audio = playAudio(remote.track, holder);
    audio.muted = false;
    playing.set(remote.consumerId, audio);
  });
  ctx.media.on('removed', (remote) => {
    const audio = playing.get(remote.consumerId);
    if (!audio) return;
    playing.delete(remote.consumerId);
    stopAudio(audio);
  });
}
