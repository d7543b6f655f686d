// This client's media with mediasoup-client: one Device per session (a new welcome means a new session
// at the hub, so everything here is rebuilt), a receiving transport for every role, a sending one for
// the roles that publish (host, co-host, technician). Consumers arrive by `media.consumer`, are attached
// and then resumed; the local capture outlives sessions so a reconnect does not ask for devices again.
// Standby consumers (the next points of the floor queue) are consumed but left paused: the hub resumes one
// when its point gets the floor and says so with `media.consumerPurpose`, and it then shows at once.
// Recovery without a new session: a transport that stays disconnected or fails gets an ICE restart
// first ('failed' is emitted only if that does not bring it back), and on `media.restart` (the hub's
// worker died, or the client asked with media.rebuild) everything here is built again.
import { Device, type types } from 'mediasoup-client';
import type { MediaSource } from '../../shared/domain.ts';
import { RtpParameters as WireRtpParameters } from '../../shared/media.ts';
import type { EventPayload } from '../../shared/protocol.ts';
import { Emitter } from '../emitter.ts';
import { PROGRAMME, SIMULCAST, transportOptions, watchTransport } from './media-options.ts';
import { ScreenShare } from './screen.ts';
import type { Signal } from './signal.ts';

export type Purpose = EventPayload<'media.consumer'>['purpose'];

export interface RemoteTrack {
  readonly consumerId: string;
  readonly producerId: string;
  readonly pointId: string;
  readonly source: MediaSource;
  /** May change (standby → stage at a floor switch): 'purpose' is emitted then. */
  readonly purpose: Purpose;
  readonly kind: 'audio' | 'video';
  readonly track: MediaStreamTrack;
  readonly consumer: types.Consumer;
}

export interface PublishPlan {
  /** Camera as three simulcast layers (remote points) or one high-quality layer (the centre). */
  simulcast: boolean;
}

export interface CaptureSettings {
  cameraId: string | undefined;
  microphoneId: string | undefined;
  /** Capture height in pixels (360, 540, 720). */
  height: number;
}

type MediaEvents = {
  /** A track to show or play: on arrival, or when a standby track becomes the stage (after 'purpose'). */
  added: [RemoteTrack];
  /** A track gone (closed, or a stage track back on standby, before 'purpose'); standby tracks too when closed. */
  removed: [RemoteTrack];
  /** A standby track arrived (in remote() with purpose 'standby'; silent and still until it becomes the stage). */
  standby: [RemoteTrack];
  /** A track's purpose changed (standby → stage at a floor switch, or back). */
  purpose: [RemoteTrack, previous: Purpose];
  /** This browser's screen sharing started or ended (by itself, by the browser's stop bar, or closed by the hub). */
  sharing: [boolean];
  /** The local capture changed (new devices): the preview re-attaches. */
  local: [MediaStream | null];
  /** A transport failed for good (an ICE restart did not bring it back): the media must be rebuilt. */
  failed: [string];
  /** The hub dropped this session's media (`media.restart`) and it is being built again. */
  restarting: [reason: string];
  producing: [];
};

type ConsumerOffer = EventPayload<'media.consumer'>;

export class MediaClient extends Emitter<MediaEvents> {
  readonly #signal: Signal;
  #generation = 0;
  #send: types.Transport | undefined;
  #recv: types.Transport | undefined;
  readonly #producers = new Map<'camera' | 'microphone' | 'talkback', types.Producer>();
  readonly #remote = new Map<string, RemoteTrack & { purpose: Purpose }>();
  /** Purposes the hub gave consumers still being set up here. */
  readonly #purposes = new Map<string, Purpose>();
  readonly #screen: ScreenShare;
  #pending: ConsumerOffer[] = [];
  /** Consumers the hub closed while they were still being set up here. */
  readonly #closedEarly = new Set<string>();
  #local: MediaStream | null = null;
  /** What the current session's media was started with, to build it again on `media.restart`. */
  #plan: { welcome: EventPayload<'session.welcome'>; publish: PublishPlan | null; capture: CaptureSettings } | undefined;
  /** The generation of the latest start(). */
  #started = 0;
  /** ICE restarts done by this client, for diagnostics and tests. */
  iceRestarts = 0;

  constructor(signal: Signal) {
    super();
    this.#signal = signal;
    this.#screen = new ScreenShare(signal, (sharing) => this.emit('sharing', sharing));
    signal.on('media.consumerPurpose', ({ consumerId, purpose }) => this.#repurpose(consumerId, purpose));
    signal.on('media.producerClosed', ({ producerId, source }) => {
      if (source === 'screen') this.#screen.ended(producerId);
    });
    signal.on('media.consumer', (offer) => {
      if (this.#recv && this.#recv.id === offer.transportId) void this.#consume(offer, this.#generation);
      else this.#pending.push(offer);
    });
    signal.on('media.consumerClosed', ({ consumerId }) => {
      this.#purposes.delete(consumerId);
      this.#pending = this.#pending.filter((o) => o.consumerId !== consumerId);
      if (this.#remote.has(consumerId)) this.#drop(consumerId);
      else this.#closedEarly.add(consumerId);
    });
    signal.on('media.restart', ({ reason, routerRtpCapabilities }) => {
      const plan = this.#plan;
      if (!plan) return;
      this.emit('restarting', reason);
      this.start({ ...plan.welcome, routerRtpCapabilities }, plan.publish, plan.capture).catch((error: unknown) => this.setupFailed(error));
    });
  }

  get localStream(): MediaStream | null {
    return this.#local;
  }

  get sendTransport(): types.Transport | undefined {
    return this.#send;
  }

  get recvTransport(): types.Transport | undefined {
    return this.#recv;
  }

  producer(source: 'camera' | 'microphone' | 'talkback'): types.Producer | undefined {
    return this.#producers.get(source);
  }

  /**
   * The host's private voice to one technician: a second audio producer (source 'talkback') of `track`,
   * made once per session's media; the hub sends it only to the technician the host talks to.
   */
  async talkback(track: MediaStreamTrack): Promise<types.Producer | undefined> {
    const existing = this.#producers.get('talkback');
    if (existing && !existing.closed) return existing;
    if (!this.#send) return undefined;
    const producer = await this.#send.produce({
      track,
      codecOptions: { opusStereo: false, opusDtx: true, opusFec: true, opusNack: true },
      stopTracks: false,
      appData: { source: 'talkback' },
    });
    this.#producers.set('talkback', producer);
    return producer;
  }

  /** Shares this browser's screen (host; the speaking point's technician while the host allows it). */
  async shareScreen(): Promise<void> {
    if (!this.#send || this.#send.closed) throw new Error('this session does not publish');
    await this.#screen.start(this.#send);
  }

  async stopScreen(): Promise<void> {
    await this.#screen.stop();
  }

  get sharing(): boolean {
    return this.#screen.sharing;
  }

  /** What this browser shares now (its local preview), or null. */
  get screenStream(): MediaStream | null {
    return this.#screen.stream;
  }

  remote(): RemoteTrack[] {
    return [...this.#remote.values()];
  }

  /** Sets up a new session's media: device, receiving transport, and publishing when `publish` is given. */
  async start(welcome: EventPayload<'session.welcome'>, publish: PublishPlan | null, capture: CaptureSettings): Promise<void> {
    this.stop();
    this.#plan = { welcome, publish, capture };
    const generation = ++this.#generation;
    this.#started = generation;
    const device = new Device();
    await device.load({ routerRtpCapabilities: welcome.routerRtpCapabilities as types.RtpCapabilities });
    if (generation !== this.#generation) return;
    await this.#signal.request('media.setCapabilities', { rtpCapabilities: device.recvRtpCapabilities as never });

    const recvInfo = await this.#signal.request('media.createTransport', { direction: 'recv', type: 'webrtc' });
    if (generation !== this.#generation || recvInfo.type !== 'webrtc') return;
    this.#recv = device.createRecvTransport(transportOptions(recvInfo));
    this.#watch(this.#recv, generation);
    const offers = this.#pending.filter((o) => o.transportId === recvInfo.id);
    this.#pending = [];
    for (const offer of offers) void this.#consume(offer, generation);

    if (!publish) return;
    const sendInfo = await this.#signal.request('media.createTransport', { direction: 'send', type: 'webrtc' });
    if (generation !== this.#generation || sendInfo.type !== 'webrtc') return;
    this.#send = device.createSendTransport(transportOptions(sendInfo));
    this.#watch(this.#send, generation);
    this.#send.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      const wire = WireRtpParameters.safeParse(rtpParameters);
      if (!wire.success) {
        errback(new Error(`the browser's RTP parameters do not fit the protocol: ${wire.error.issues[0]?.message ?? ''}`));
        return;
      }
      this.#signal
        .request('media.produce', {
          transportId: sendInfo.id,
          kind,
          source: appData['source'] as MediaSource,
          rtpParameters: wire.data,
        })
        .then(({ producerId }) => callback({ id: producerId }), errback);
    });

    const stream = this.#local ?? (await this.capture(capture));
    if (generation !== this.#generation) return;
    const video = stream.getVideoTracks()[0];
    const audio = stream.getAudioTracks()[0];
    if (video && device.canProduce('video')) {
      const producer = await this.#send.produce({
        track: video,
        encodings: publish.simulcast ? SIMULCAST() : PROGRAMME(),
        codecOptions: { videoGoogleStartBitrate: 1000 },
        stopTracks: false,
        appData: { source: 'camera' },
      });
      this.#producers.set('camera', producer);
    }
    if (audio && device.canProduce('audio')) {
      const producer = await this.#send.produce({
        track: audio,
        // NACK as well as in-band FEC: FEC alone barely helped at 10% loss (test/network).
        codecOptions: { opusStereo: false, opusDtx: true, opusFec: true, opusNack: true },
        stopTracks: false,
        appData: { source: 'microphone' },
      });
      this.#producers.set('microphone', producer);
    }
    this.emit('producing');
  }

  /**
   * For a start() that threw: unless a newer start has taken over meanwhile, reports it as 'failed' so
   * that the media is rebuilt after a while (a worker may have died in the middle of the setup).
   */
  setupFailed(error: unknown): void {
    if (this.#generation !== this.#started) return;
    console.error('media setup failed', error);
    this.emit('failed', `setup: ${error instanceof Error ? error.message : String(error)}`);
  }

  /** Opens camera and microphone (or replaces them), keeping what is published in step. */
  async capture(settings: CaptureSettings): Promise<MediaStream> {
    const video: MediaTrackConstraints = {
      deviceId: settings.cameraId ? { exact: settings.cameraId } : undefined,
      height: { ideal: settings.height },
      width: { ideal: Math.round((settings.height * 16) / 9) },
      frameRate: { ideal: 25, max: 30 },
    };
    const audio: MediaTrackConstraints = {
      deviceId: settings.microphoneId ? { exact: settings.microphoneId } : undefined,
      echoCancellation: true,
      noiseSuppression: true,
      autoGainControl: true,
    };
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video, audio });
    } catch (error) {
      // A room PC without a camera (or whose camera is busy) still publishes its sound, and the reverse.
      const parts = await Promise.allSettled([
        navigator.mediaDevices.getUserMedia({ video }),
        navigator.mediaDevices.getUserMedia({ audio }),
      ]);
      const tracks = parts.flatMap((p) => (p.status === 'fulfilled' ? p.value.getTracks() : []));
      if (tracks.length === 0) throw error;
      console.warn('publishing only part of the capture', error);
      stream = new MediaStream(tracks);
    }
    const previous = this.#local;
    this.#local = stream;
    const videoTrack = stream.getVideoTracks()[0];
    const audioTrack = stream.getAudioTracks()[0];
    const camera = this.#producers.get('camera');
    const microphone = this.#producers.get('microphone');
    if (camera && !camera.closed && videoTrack) await camera.replaceTrack({ track: videoTrack });
    if (microphone && !microphone.closed && audioTrack) await microphone.replaceTrack({ track: audioTrack });
    for (const track of previous?.getTracks() ?? []) track.stop();
    this.emit('local', stream);
    return stream;
  }

  /** Closes this session's transports (the hub has closed its side already or will). */
  stop(): void {
    this.#generation++;
    this.#closedEarly.clear();
    this.#purposes.clear();
    // The session's media is gone at the hub (a restart, a new session): so is the screen it shared.
    this.#screen.ended();
    for (const remote of [...this.#remote.values()]) this.#drop(remote.consumerId);
    this.#producers.clear();
    this.#send?.close();
    this.#recv?.close();
    this.#send = undefined;
    this.#recv = undefined;
  }

  /** Stops the local capture too (leaving the page or the session ended for good). */
  release(): void {
    this.stop();
    for (const track of this.#local?.getTracks() ?? []) track.stop();
    this.#local = null;
    this.emit('local', null);
  }

  #watch(transport: types.Transport, generation: number): void {
    watchTransport(transport, this.#signal, {
      current: () => generation === this.#generation,
      failed: (why) => this.emit('failed', why),
      restarted: () => this.iceRestarts++,
    });
  }

  async #consume(offer: ConsumerOffer, generation: number): Promise<void> {
    const recv = this.#recv;
    if (!recv || recv.closed) return;
    try {
      const consumer = await recv.consume({
        id: offer.consumerId,
        producerId: offer.producerId,
        kind: offer.kind,
        rtpParameters: offer.rtpParameters as types.RtpParameters,
      });
      if (generation !== this.#generation || this.#closedEarly.delete(offer.consumerId)) {
        consumer.close();
        return;
      }
      // The hub may have given it another purpose meanwhile (a standby that went on stage).
      const purpose = this.#purposes.get(offer.consumerId) ?? offer.purpose;
      this.#purposes.delete(offer.consumerId);
      const remote = {
        consumerId: offer.consumerId,
        producerId: offer.producerId,
        pointId: offer.pointId,
        source: offer.source,
        purpose,
        kind: offer.kind,
        track: consumer.track,
        consumer,
      };
      this.#remote.set(remote.consumerId, remote);
      this.emit(purpose === 'standby' ? 'standby' : 'added', remote);
      // A standby consumer is resumed by the hub when it goes on stage (and it was offered as one: resumed already).
      if (offer.purpose === 'standby') return;
      await this.#signal.request('media.resumeConsumer', { consumerId: offer.consumerId });
    } catch (error) {
      console.error('could not receive', offer.pointId, offer.source, error);
    }
  }

  /** The hub gave a consumer a new purpose: standby → stage shows it ('purpose', then 'added'), and back. */
  #repurpose(consumerId: string, purpose: Purpose): void {
    const remote = this.#remote.get(consumerId);
    if (!remote) {
      this.#purposes.set(consumerId, purpose);
      return;
    }
    const previous = remote.purpose;
    if (previous === purpose) return;
    if (purpose === 'standby') this.emit('removed', remote);
    remote.purpose = purpose;
    this.emit('purpose', remote, previous);
    if (previous === 'standby') this.emit('added', remote);
  }

  #drop(consumerId: string): void {
    const remote = this.#remote.get(consumerId);
    if (!remote) return;
    this.#remote.delete(consumerId);
    remote.consumer.close();
    this.emit('removed', remote);
  }
}
