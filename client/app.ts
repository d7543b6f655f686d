// One connection's life: connect with the credential, and on every welcome (the first, and each one
// after socket.io reconnects) reset the store, draw the view for the role once, load the records and
// rebuild the media. Every reconnect presents the session token of the first welcome. Nothing here
// gives up: socket.io retries without limit, a refused reconnect is tried again with a capped backoff,
// and media that cannot be brought back by an ICE restart is rebuilt (within the session if the hub
// answers, with a new connection if not). A session the hub ended for good (replaced, conference over)
// is not retried.
import type { Role } from '../shared/domain.ts';
import type { EndReason } from '../shared/errors.ts';
import type { HandshakeAuth } from '../shared/protocol.ts';
import { controls, isPublisher } from '../shared/rules.ts';
import { MediaClient, type PublishPlan } from './net/media.ts';
import { joinRefusal, Signal, type RequestError } from './net/signal.ts';
import { loadSettings, type DeviceSettings } from './settings.ts';
import { Store } from './state.ts';
import { button, h, tr } from './ui/dom.ts';
import { toastError } from './ui/toast.ts';

export type { EndReason };

export interface AppContext {
  readonly store: Store;
  readonly signal: Signal;
  readonly media: MediaClient;
  readonly settings: DeviceSettings;
  /** The credential for the REST routes (documents): the session's token from the welcome. */
  credential: string;
}

export interface View {
  readonly el: HTMLElement;
  /** Handles the hub ending the session; returns false to let the app show its own notice. */
  ended?(reason: EndReason): boolean;
}

export type ViewFactory = (role: Role, ctx: AppContext) => View;

const RETRY_MS = 3000;
/** A refused reconnect (the hub restarting, ...) is tried again after 1 s, doubling up to this. */
const REFUSED_RETRY_MAX_MS = 15_000;
/** Media rebuilds after failures are spaced by at least this, doubling up to 30 s while they keep failing. */
const REBUILD_MIN_MS = 1000;
const REBUILD_MAX_MS = 30_000;

/** Publishers send their camera as simulcast layers, except the host, whose camera is the centre's programme. */
function publishPlan(role: Role): PublishPlan | null {
  return isPublisher(role) ? { simulcast: !controls(role) } : null;
}

/** Why the hub refused the first join: shown by the join form in the interface's words. */
export type OnRefused = (refusal: RequestError) => void;

export function startApp(root: HTMLElement, auth: HandshakeAuth, createView: ViewFactory, onRefused: OnRefused): void {
  const signal = new Signal(auth);
  const store = new Store();
  const media = new MediaClient(signal);
  const ctx: AppContext = { store, signal, media, settings: loadSettings(), credential: 'token' in auth ? auth.token : auth.code };
  store.bind(signal);

  let view: View | undefined;
  let joined = false;
  let ended: EndReason | null = null;
  let notice: HTMLElement | undefined;
  let refusedDelay = 1000;
  let rebuildDelay = REBUILD_MIN_MS;
  let rebuildTimer: ReturnType<typeof setTimeout> | undefined;

  const showNotice = (reason: EndReason): void => {
    notice?.remove();
    const rejoin = (): void => {
      notice?.remove();
      ended = null;
      signal.connect();
    };
    const text = tr(`ended.${reason}`, 'p');
    const attrs = { role: 'alertdialog', 'aria-live': 'assertive' };
    notice = h('div', { class: 'notice', attrs }, text, reason === 'replaced' ? button('ended.rejoin', rejoin) : null);
    document.body.append(notice);
  };

  signal.on('session.welcome', (welcome) => {
    joined = true;
    ended = null;
    refusedDelay = 1000;
    rebuildDelay = REBUILD_MIN_MS;
    ctx.credential = welcome.self.token;
    signal.useToken(welcome.self.token);
    notice?.remove();
    store.reset(welcome);
    if (!view) {
      view = createView(welcome.self.role, ctx);
      root.replaceChildren(view.el);
      // The view's panels subscribed after the store announced this welcome: announce it again for them.
      store.emit('welcome');
    }
    store.setLink('online');
    void syncClock(signal, store);
    signal
      .request('records.snapshot', {})
      .then((snapshot) => store.applySnapshot(snapshot))
      .catch((error: unknown) => console.error('records.snapshot failed', error));
    media.start(welcome, publishPlan(welcome.self.role), ctx.settings).catch((error: unknown) => {
      // No camera or microphone (a DOMException from getUserMedia): say so; a rebuild would not help.
      if (error instanceof DOMException) toastError(error, 'dev.failed');
      else media.setupFailed(error);
    });
  });

  signal.on('session.ended', ({ reason }) => {
    ended = reason;
    media.stop();
    if (reason !== 'shutdown') store.setLink('ended');
    if (!view?.ended?.(reason)) showNotice(reason);
  });

  signal.socket.on('connect', () => store.setLink('connecting'));
  signal.socket.on('disconnect', (reason) => {
    media.stop();
    if (ended && ended !== 'shutdown') return;
    store.setLink('offline');
    // The hub closing the socket stops socket.io's own retries: retry here unless the end was final.
    if (reason === 'io server disconnect') setTimeout(() => signal.connect(), RETRY_MS);
  });
  signal.socket.on('connect_error', (error) => {
    const refusal = joinRefusal(error);
    if (!refusal) return; // a network failure: socket.io retries by itself
    if (!joined) {
      signal.close();
      onRefused(refusal);
      return;
    }
    store.setLink('offline');
    setTimeout(() => signal.connect(), refusedDelay);
    refusedDelay = Math.min(refusedDelay * 2, REFUSED_RETRY_MAX_MS);
  });
  media.on('producing', () => (rebuildDelay = REBUILD_MIN_MS));
  media.on('failed', (why) => {
    if (rebuildTimer) return;
    console.warn('media failed, rebuilding', why);
    rebuildTimer = setTimeout(() => {
      rebuildTimer = undefined;
      if (!signal.connected) return; // the welcome after the reconnect rebuilds everything
      // Within the session: the hub drops this session's media and answers with media.restart.
      signal.request('media.rebuild', {}).catch((error: unknown) => {
        console.warn('media.rebuild failed, reconnecting', error);
        signal.socket.disconnect();
        setTimeout(() => signal.connect(), 500);
      });
    }, rebuildDelay);
    rebuildDelay = Math.min(rebuildDelay * 2, REBUILD_MAX_MS);
  });
  window.addEventListener('pagehide', () => media.release());
  signal.connect();
}

/** Estimates the hub's clock against this one from a few echoes, keeping the one with the shortest round trip. */
async function syncClock(signal: Signal, store: Store): Promise<void> {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    try {
      const sentAt = Date.now();
      const { serverTime } = await signal.request('readiness.ping', { sentAt });
      const now = Date.now();
      if (now - sentAt < best) {
        best = now - sentAt;
        store.setClockOffset(serverTime - (sentAt + now) / 2);
      }
    } catch {
      return; // an older hub without the echo: keep this clock
    }
  }
}
