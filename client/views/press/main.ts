// The press page (/press.html), for the press and TV who take the programme away: the conference's
// programme as HLS, a few seconds behind the halls. Two ways in: the host's public link
// (`?c=<conference>&k=<key>`), or a room display code typed here (or `?code=`), with which the page joins
// the hub once, like a display, only to get its session token, then leaves and sends the token with every
// request (`/live/-/`). Muted until someone turns the sound on (browsers only start muted video by
// themselves); a live badge with how far behind it plays; full screen. Vietnamese first, like the consoles.
import '../../zod-jitless.ts';
import { onLanguage, t, type Key } from '../../i18n.ts';
import { describeError, reasonCode } from '../../i18n/describe.ts';
import { joinRefusal, Signal } from '../../net/signal.ts';
import { button, h, setText, tr } from '../../ui/dom.ts';
import { languageButton } from '../../ui/header.ts';
import { PressPlayer, type PlayerSource, type PlayerState } from './player.ts';
import '../../style.css';
import './press.css';

const STATE_KEYS: Record<PlayerState, Key> = {
  idle: 'press.state.idle',
  loading: 'press.state.loading',
  playing: 'press.state.playing',
  lost: 'press.state.lost',
  off: 'press.state.off',
};
const STATE_TEXT: Partial<Record<PlayerState, Key>> = { idle: 'press.state.idleText', off: 'press.state.offText' };

const params = new URLSearchParams(location.search);
const root = document.getElementById('app') ?? document.body;
let title: string | null = null;

const titleEl = h('h1', { class: 'press-title' });
const badge = h('span', { class: 'press-badge', attrs: { 'aria-live': 'off' } });
const video = h('video', {
  class: 'press-video',
  attrs: { muted: true, autoplay: true, playsinline: true },
  label: 'press.video',
});
video.muted = true;
const overlay = h('div', { class: 'press-overlay', attrs: { 'aria-hidden': 'true' } });
const stateLine = h('p', { class: 'press-state', attrs: { role: 'status', 'aria-live': 'polite' } });
const sound = button(
  'press.unmute',
  () => {
    video.muted = !video.muted;
    if (!video.muted) void video.play().catch(() => undefined);
    drawControls();
  },
  { class: 'primary', data: { action: 'sound' } },
);
const stage = h('div', { class: 'press-stage' }, video, overlay);
const full = button(
  'press.fullscreen',
  () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void stage.requestFullscreen().catch(() => undefined);
  },
  { data: { action: 'fullscreen' } },
);
document.addEventListener('fullscreenchange', () => drawControls());

let player: PressPlayer | null = null;

function drawTitle(): void {
  const text = title ?? t('press.title');
  setText(titleEl, text);
  document.title = `${text} — diemcau`;
}

function drawControls(): void {
  const soundKey: Key = video.muted ? 'press.unmute' : 'press.mute';
  sound.dataset['i18n'] = soundKey;
  setText(sound, t(soundKey));
  const fullKey: Key = document.fullscreenElement ? 'press.exitFullscreen' : 'press.fullscreen';
  full.dataset['i18n'] = fullKey;
  setText(full, t(fullKey));
}

function drawState(): void {
  if (!player) return;
  const state = player.state;
  document.body.dataset['state'] = state;
  setText(stateLine, t(STATE_KEYS[state]));
  const long = STATE_TEXT[state];
  overlay.hidden = state === 'playing';
  setText(overlay, long ? t(long) : state === 'playing' ? '' : t(STATE_KEYS[state]));
  drawBadge();
}

function drawBadge(): void {
  const behind = player?.behind() ?? null;
  badge.hidden = player?.state !== 'playing';
  const text = behind === null ? t('press.live') : `${t('press.live')} · ${t('press.behind', { s: Math.round(behind) })}`;
  setText(badge, `● ${text}`);
}

function play(source: PlayerSource): void {
  root.replaceChildren(
    h(
      'div',
      { class: 'press-page' },
      h('header', { class: 'press-header' }, titleEl, badge, languageButton()),
      h('main', { class: 'press-main' }, stage, h('div', { class: 'press-controls' }, sound, full, stateLine)),
    ),
  );
  player = new PressPlayer(video, source, () => drawState());
  player.start();
  drawState();
  setInterval(drawBadge, 1000);
}

/** Joins with a room display code only to get a session token (and the conference's title), then leaves. */
function joinWith(code: string): Promise<{ token: string; conferenceId: string; title: string }> {
  return new Promise((resolve, reject) => {
    const signal = new Signal({ code });
    signal.on('session.welcome', (welcome) => {
      signal.close();
      resolve({ token: welcome.self.token, conferenceId: welcome.self.conferenceId, title: welcome.conference.title });
    });
    signal.socket.on('connect_error', (error) => {
      const refusal = joinRefusal(error);
      if (!refusal) return; // The network: socket.io tries again by itself.
      signal.close();
      reject(refusal);
    });
    signal.connect();
  });
}

async function watchWithCode(code: string, error: HTMLElement): Promise<void> {
  try {
    let session = await joinWith(code);
    title = session.title;
    drawTitle();
    play({
      playlist: `/api/conferences/${encodeURIComponent(session.conferenceId)}/live/-/index.m3u8`,
      token: () => session.token,
      renew: async () => {
        try {
          session = await joinWith(code);
          return true;
        } catch {
          return false;
        }
      },
    });
  } catch (refusal) {
    error.hidden = false;
    error.dataset['reason'] = reasonCode(refusal);
    setText(error, describeError(refusal));
  }
}

function showCodeForm(): void {
  const input = h('input', {
    id: 'press-code',
    attrs: {
      name: 'code',
      autocomplete: 'off',
      autocapitalize: 'characters',
      spellcheck: 'false',
      required: true,
      minlength: 4,
      maxlength: 32,
    },
  });
  input.setAttribute('placeholder', 'ABCD-EFGH');
  const error = h('p', { class: 'error', attrs: { role: 'alert' } });
  error.hidden = true;
  const form = h(
    'form',
    {
      class: 'press-join',
      on: {
        submit: (event) => {
          event.preventDefault();
          const code = input.value.trim();
          if (code.length >= 4) void watchWithCode(code, error);
        },
      },
    },
    h('div', { class: 'press-join-head' }, titleEl, languageButton()),
    tr('press.intro', 'p', { class: 'muted' }),
    h('label', { class: 'field', attrs: { for: input.id } }, tr('press.code'), input),
    tr('press.codeHint', 'p', { class: 'muted small-text' }),
    h('button', { class: 'primary', attrs: { type: 'submit' }, data: { i18n: 'press.watch' } }, t('press.watch')),
    error,
  );
  root.replaceChildren(h('div', { class: 'press-page press-page-join' }, form));
  input.focus();
}

drawTitle();
drawControls();
onLanguage(() => {
  drawTitle();
  drawControls();
  drawState();
});
const conference = params.get('c');
const key = params.get('k');
if (conference && key) {
  const base = `/api/conferences/${encodeURIComponent(conference)}/live/${encodeURIComponent(key)}`;
  play({ playlist: `${base}/index.m3u8`, token: () => null });
  // The conference's title over the picture (the link works without it).
  void fetch(`${base}/about`, { cache: 'no-store' })
    .then((r) => (r.ok ? (r.json() as Promise<{ title?: unknown }>) : null))
    .then((about) => {
      if (typeof about?.title === 'string' && about.title) {
        title = about.title;
        drawTitle();
      }
    })
    .catch(() => undefined);
} else {
  showCodeForm();
  const code = params.get('code');
  const error = root.querySelector<HTMLElement>('.press-join .error');
  if (code && error) void watchWithCode(code, error);
}
