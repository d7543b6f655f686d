// The press page's player: the programme's HLS from the hub, through hls.js (Media Source Extensions; no
// worker, which the page's CSP does not allow) or the browser's own HLS where hls.js cannot run (an older
// iPhone). Before each attempt the playlist is asked for once, so the hub's answer is read plainly: the
// link switched off (403, or 404 other than "not yet"), not streamed yet (404 `recording.live_not_yet`),
// a session to renew (401, the viewer code's path). Nothing ever gives up: while the programme is not
// there, or after it stopped, the player asks again every few seconds; a picture that stops moving for
// a few seconds is started again from the live edge.
import type Hls from 'hls.js';

export type PlayerState = 'idle' | 'loading' | 'playing' | 'lost' | 'off';

export interface PlayerSource {
  playlist: string;
  /** The bearer for every request (the viewer code's path), or null for the public link. */
  token: () => string | null;
  /** The hub no longer takes the token: get a fresh one (resolves false when it cannot). */
  renew?: () => Promise<boolean>;
}

const RETRY_MS = [2000, 3000, 5000, 8000];
const OFF_RETRY_MS = 30_000;
/** The picture has not moved for this long while it should play: start again. */
const STALL_MS = 8000;

/** What the hub's answer to the playlist means. */
async function probe(source: PlayerSource): Promise<'ok' | 'idle' | 'off' | 'renew' | 'network'> {
  const token = source.token();
  let response: Response;
  try {
    response = await fetch(source.playlist, { cache: 'no-store', headers: token ? { Authorization: `Bearer ${token}` } : {} });
  } catch {
    return 'network';
  }
  if (response.ok) return 'ok';
  if (response.status === 401) return source.renew ? 'renew' : 'off';
  if (response.status === 403) return 'off';
  const body = (await response.json().catch(() => null)) as { error?: { reason?: unknown } } | null;
  const reason = body?.error?.reason;
  if (reason === 'recording.live_not_yet') return 'idle';
  if (response.status === 404) return token ? 'idle' : 'off';
  return 'network';
}

export class PressPlayer {
  readonly #video: HTMLVideoElement;
  readonly #source: PlayerSource;
  readonly #onState: (state: PlayerState) => void;
  #state: PlayerState = 'loading';
  #hls: Hls | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;
  #lastTime = -1;
  #lastMove = 0;
  #everPlayed = false;

  constructor(video: HTMLVideoElement, source: PlayerSource, onState: (state: PlayerState) => void) {
    this.#video = video;
    this.#source = source;
    this.#onState = onState;
    video.addEventListener('playing', () => this.#set('playing'));
    setInterval(() => this.#watch(), 1000);
  }

  get state(): PlayerState {
    return this.#state;
  }

  start(): void {
    this.#set(this.#everPlayed ? 'lost' : 'loading');
    void this.#attempt();
  }

  /** Seconds behind the live programme, or null while unknown. */
  behind(): number | null {
    if (this.#state !== 'playing') return null;
    const hls = this.#hls;
    if (hls) {
      const date = hls.playingDate?.getTime();
      const byClock = date ? (Date.now() - date) / 1000 : Number.NaN;
      // The programme's clock in the playlist against this computer's: believed within a minute only.
      if (byClock > 0 && byClock < 60) return byClock;
      return Number.isFinite(hls.latency) ? hls.latency : null;
    }
    const v = this.#video;
    return v.seekable.length > 0 ? Math.max(0, v.seekable.end(v.seekable.length - 1) - v.currentTime) : null;
  }

  #set(state: PlayerState): void {
    if (state === 'playing') {
      this.#everPlayed = true;
      this.#failures = 0;
      this.#lastMove = Date.now();
    }
    if (state === this.#state) return;
    this.#state = state;
    this.#onState(state);
  }

  async #attempt(): Promise<void> {
    clearTimeout(this.#timer);
    this.#stopPlayback();
    const answer = await probe(this.#source);
    if (answer === 'renew' && (await this.#source.renew?.())) return void this.#attempt();
    if (answer !== 'ok') {
      const off = answer === 'off' || answer === 'renew';
      this.#set(off ? 'off' : this.#everPlayed ? 'lost' : 'idle');
      return this.#retry(off ? OFF_RETRY_MS : undefined);
    }
    await this.#play();
  }

  #retry(ms?: number): void {
    clearTimeout(this.#timer);
    const delay = ms ?? RETRY_MS[Math.min(this.#failures, RETRY_MS.length - 1)] ?? 5000;
    this.#failures++;
    this.#timer = setTimeout(() => void this.#attempt(), delay);
  }

  async #play(): Promise<void> {
    const { default: HlsClass } = await import('hls.js');
    const video = this.#video;
    this.#lastMove = Date.now();
    if (HlsClass.isSupported()) {
      const token = this.#source.token();
      const hls = new HlsClass({
        enableWorker: false,
        liveSyncDurationCount: 2,
        liveMaxLatencyDurationCount: 6,
        manifestLoadingMaxRetry: 2,
        xhrSetup: token ? (xhr) => xhr.setRequestHeader('Authorization', `Bearer ${token}`) : undefined,
      });
      this.#hls = hls;
      hls.on(HlsClass.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        console.warn('press: the stream failed', data.type, data.details);
        if (data.type === HlsClass.ErrorTypes.MEDIA_ERROR && this.#state === 'playing') return hls.recoverMediaError();
        this.#set(this.#everPlayed ? 'lost' : 'loading');
        this.#retry();
      });
      hls.loadSource(this.#source.playlist);
      hls.attachMedia(video);
    } else if (video.canPlayType('application/vnd.apple.mpegurl') && this.#source.token() === null) {
      video.src = this.#source.playlist;
    } else {
      this.#set('off');
      return;
    }
    video.play().catch(() => undefined);
  }

  #stopPlayback(): void {
    this.#hls?.destroy();
    this.#hls = null;
    if (this.#video.getAttribute('src')) {
      this.#video.removeAttribute('src');
      this.#video.load();
    }
  }

  /** A picture that does not move for a while: the programme stopped (or the stream broke); start again. */
  #watch(): void {
    const v = this.#video;
    if (v.currentTime !== this.#lastTime) {
      this.#lastTime = v.currentTime;
      this.#lastMove = Date.now();
      return;
    }
    if ((this.#state === 'playing' || this.#state === 'loading') && this.#hls && Date.now() - this.#lastMove > STALL_MS) {
      console.warn('press: the picture stalled; starting again');
      this.#set(this.#everPlayed ? 'lost' : 'idle');
      void this.#attempt();
    }
  }
}
