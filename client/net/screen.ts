// Sharing this browser's screen (slides, a document): one capture at a time, produced as source 'screen' on
// the session's sending transport, tuned for text (content hint, one encoding, resolution kept over frame
// rate). The hub has the last word: it refuses (the refusal reaches the caller), or closes the producer
// later (the floor moved on, the host stopped it), and then the capture stops here too. The browser's own
// "stop sharing" bar ends it the same way, telling the hub.
import type { types } from 'mediasoup-client';
import type { Signal } from './signal.ts';

/** One encoding for slides: sharp text at a modest rate (the stage's camera layer is 1.5 Mbit/s). */
export const SCREEN_MAX_BITRATE = 2_500_000;

const CAPTURE: DisplayMediaStreamOptions = {
  video: { frameRate: { ideal: 15, max: 30 }, width: { ideal: 1920 }, height: { ideal: 1080 } },
  audio: false,
};

export class ScreenShare {
  readonly #signal: Signal;
  readonly #changed: (sharing: boolean) => void;
  #producer: types.Producer | undefined;
  #stream: MediaStream | null = null;
  /** Bumped by every start and end: a capture that ends meanwhile is not produced. */
  #turn = 0;

  constructor(signal: Signal, changed: (sharing: boolean) => void) {
    this.#signal = signal;
    this.#changed = changed;
  }

  get sharing(): boolean {
    return this.#producer !== undefined && !this.#producer.closed;
  }

  /** The capture being shared (the local preview), or null. */
  get stream(): MediaStream | null {
    return this.#stream;
  }

  get producerId(): string | undefined {
    return this.#producer?.id;
  }

  /** Asks the browser for a screen and produces it on `send`; throws the browser's error or the hub's refusal. */
  async start(send: types.Transport): Promise<void> {
    if (this.sharing) return;
    const turn = ++this.#turn;
    const stream = await navigator.mediaDevices.getDisplayMedia(CAPTURE);
    const track = stream.getVideoTracks()[0];
    const stopAll = (): void => {
      for (const t of stream.getTracks()) t.stop();
    };
    if (!track || turn !== this.#turn) {
      stopAll();
      if (!track) throw new Error('the screen capture has no video');
      return;
    }
    track.contentHint = 'text';
    let producer: types.Producer;
    try {
      producer = await send.produce({
        track,
        encodings: [{ maxBitrate: SCREEN_MAX_BITRATE }],
        codecOptions: { videoGoogleStartBitrate: 1000 },
        stopTracks: false,
        appData: { source: 'screen' },
      });
    } catch (error) {
      stopAll();
      throw error;
    }
    if (turn !== this.#turn) {
      producer.close();
      stopAll();
      return;
    }
    this.#producer = producer;
    this.#stream = stream;
    await keepResolution(producer);
    // The browser's "stop sharing" bar, or the shared tab or window closing.
    track.addEventListener('ended', () => {
      if (this.#producer === producer) this.stop().catch((error: unknown) => console.warn('stopping the screen failed', error));
    });
    this.#changed(true);
  }

  /** Stops sharing and tells the hub; the local side stops even when the hub cannot be told. */
  async stop(): Promise<void> {
    if (!this.#end()) return;
    await this.#signal.request('media.closeProducer', { source: 'screen' });
  }

  /** The hub closed the producer `producerId` (or every one, with undefined: this session's media is gone). */
  ended(producerId?: string): void {
    if (producerId !== undefined && this.#producer?.id !== producerId) return;
    this.#end();
  }

  /** Stops the capture and closes the producer here; false when nothing was shared. */
  #end(): boolean {
    this.#turn++;
    const producer = this.#producer;
    const stream = this.#stream;
    this.#producer = undefined;
    this.#stream = null;
    for (const track of stream?.getTracks() ?? []) track.stop();
    if (!producer) return false;
    if (!producer.closed) producer.close();
    this.#changed(false);
    return true;
  }
}

/** Slides keep their resolution when the link or the encoder is short: frame rate goes first. */
async function keepResolution(producer: types.Producer): Promise<void> {
  const sender = producer.rtpSender;
  if (!sender) return;
  try {
    const params = sender.getParameters() as RTCRtpSendParameters & { degradationPreference?: string };
    params.degradationPreference = 'maintain-resolution';
    await sender.setParameters(params);
  } catch (error) {
    // Older browsers refuse the field; the content hint 'text' asks the same of the encoder.
    console.warn('degradationPreference not taken', error);
  }
}
