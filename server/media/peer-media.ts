// The media of one session: at most one sending and one receiving transport (WebRTC, or plain RTP with
// SRTP for hardware encoders and load generators), its producers by source, its consumers by key. All
// of it lives on one router; consuming a producer from another router pipes it here first. It sees its
// owner (the conference's media) only through PeerMediaOwner.
import type { types } from 'mediasoup';
import type { MediaSource } from '../../shared/domain.ts';
import type { DtlsParameters, RtpCapabilities, RtpParameters, SrtpParameters, TransportInfo } from '../../shared/media.ts';
import { STAGE_LAYER, WALL_LAYER } from '../../shared/rules.ts';
import { refuse } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { SafeEmitter } from '../safe-emitter.ts';

export type Direction = 'send' | 'recv';
/** standby: a point next in the floor queue, consumed ahead and kept paused here until it becomes the stage. */
export type ConsumerPurpose = 'programme' | 'stage' | 'wall' | 'talkback' | 'standby';

export type ConnectParams =
  | { transportId: string; dtlsParameters: DtlsParameters }
  | { transportId: string; ip?: string | undefined; port?: number | undefined; srtpParameters: SrtpParameters };

/** Where media transports listen and what address clients are given. */
export interface MediaSettings {
  listenIp: string;
  announcedAddress: string | undefined;
  rtcMinPort: number;
  rtcMaxPort: number;
  /** Receivers that show a stage consume the next points of the floor queue ahead (default true). */
  standby?: boolean;
}

/** What a session's media needs from the conference's media: the settings, and producers piped between routers. */
export interface PeerMediaOwner {
  readonly settings: MediaSettings;
  /** Makes `producer` (living on `source`) consumable on `target`. */
  pipe(producer: types.Producer, source: types.Router, target: types.Router): Promise<void>;
}

export interface PeerMediaEvents {
  /** A consumer closed because its producer went away. */
  consumerclosed: [key: string, consumerId: string];
}

const SRTP_SUITE = 'AES_CM_128_HMAC_SHA1_80';
/** A resumed video consumer asks again for a key frame this often until it has sent one, at most KEY_FRAME_TRIES times. */
const KEY_FRAME_RETRY_MS = 150;
const KEY_FRAME_TRIES = 8;

export class PeerMedia extends SafeEmitter<PeerMediaEvents> {
  readonly router: types.Router;
  readonly #media: PeerMediaOwner;
  readonly #logger: Logger;
  readonly #transports: Partial<Record<Direction, types.WebRtcTransport | types.PlainTransport>> = {};
  readonly #producers = new Map<MediaSource, types.Producer>();
  readonly #consumers = new Map<string, types.Consumer>();
  #capabilities: types.RtpCapabilities | undefined;
  #closed = false;

  constructor(media: PeerMediaOwner, router: types.Router, logger: Logger) {
    super(logger);
    this.#media = media;
    this.router = router;
    this.#logger = logger;
  }

  /** True once the client can take consumers: it has said what it can decode and has a receiving transport. */
  get canReceive(): boolean {
    return !this.#closed && this.#capabilities !== undefined && this.#transports.recv !== undefined;
  }

  get recvTransportId(): string | undefined {
    return this.#transports.recv?.id;
  }

  setCapabilities(capabilities: RtpCapabilities): void {
    this.#capabilities = capabilities as types.RtpCapabilities;
  }

  async createTransport(direction: Direction, type: 'webrtc' | 'plain'): Promise<TransportInfo> {
    if (this.#transports[direction]) throw refuse('media.transport_exists', { direction }, `a ${direction} transport exists already`);
    const { listenIp, announcedAddress, rtcMinPort, rtcMaxPort } = this.#media.settings;
    const portRange = { min: rtcMinPort, max: rtcMaxPort };
    const listen = { ip: listenIp, ...(announcedAddress ? { announcedAddress } : {}), portRange };
    if (type === 'webrtc') {
      const transport = await this.router.createWebRtcTransport({
        listenInfos: [
          { protocol: 'udp', ...listen },
          { protocol: 'tcp', ...listen },
        ],
        preferUdp: true,
        initialAvailableOutgoingBitrate: 1_500_000,
      });
      this.#transports[direction] = transport;
      this.#logger.debug({ transportId: transport.id, direction, type }, 'transport created');
      return {
        type: 'webrtc',
        id: transport.id,
        iceParameters: transport.iceParameters,
        iceCandidates: transport.iceCandidates,
        dtlsParameters: transport.dtlsParameters,
      };
    }
    const transport = await this.router.createPlainTransport({
      listenInfo: { protocol: 'udp', ...listen },
      rtcpMux: true,
      comedia: direction === 'send',
      enableSrtp: true,
      srtpCryptoSuite: SRTP_SUITE,
    });
    this.#transports[direction] = transport;
    this.#logger.debug({ transportId: transport.id, direction, type }, 'transport created');
    const srtp = transport.srtpParameters;
    // mediasoup always sets them with enableSrtp: their absence is a bug (internal), not a refusal.
    if (!srtp) throw new Error('plain transport without SRTP parameters');
    return {
      type: 'plain',
      id: transport.id,
      ip: transport.tuple.localAddress ?? listenIp,
      port: transport.tuple.localPort,
      srtpParameters: srtp,
    };
  }

  async connect(params: ConnectParams): Promise<void> {
    const [direction, transport] = this.#transport(params.transportId);
    if ('dtlsParameters' in params) {
      if (transport.type !== 'webrtc') {
        throw refuse('media.transport_type', { expected: 'webrtc' }, 'dtlsParameters are for WebRTC transports');
      }
      await transport.connect({ dtlsParameters: params.dtlsParameters });
      return;
    }
    if (transport.type !== 'plain') throw refuse('media.transport_type', { expected: 'plain' }, 'srtpParameters are for plain transports');
    if (direction === 'recv' && (params.ip === undefined || params.port === undefined)) {
      throw refuse('media.plain_address_needed', {}, 'a receiving plain transport needs the ip and port to send to');
    }
    if (direction === 'send' && (params.ip !== undefined || params.port !== undefined)) {
      const message = 'a sending plain transport learns its remote address from the first packet; omit ip and port';
      throw refuse('media.plain_address_learnt', {}, message);
    }
    await (transport as types.PlainTransport).connect({
      ...(params.ip !== undefined ? { ip: params.ip } : {}),
      ...(params.port !== undefined ? { port: params.port } : {}),
      srtpParameters: params.srtpParameters,
    });
  }

  async produce(
    transportId: string,
    kind: types.MediaKind,
    source: MediaSource,
    rtpParameters: RtpParameters,
    paused: boolean,
  ): Promise<types.Producer> {
    const [direction, transport] = this.#transport(transportId);
    if (direction !== 'send') throw refuse('media.produce_on_send', {}, 'produce on the sending transport');
    if ((source === 'microphone' || source === 'talkback') !== (kind === 'audio')) {
      throw refuse('media.source_kind', { source, kind }, `source ${source} does not carry ${kind}`);
    }
    if (this.#producers.has(source)) throw refuse('media.already_producing', { source }, `already producing ${source}`);
    const producer = await transport.produce({
      kind,
      rtpParameters: rtpParameters as types.RtpParameters,
      paused,
      appData: {},
    });
    this.#producers.set(source, producer);
    producer.observer.once('close', () => this.#producers.delete(source));
    return producer;
  }

  producer(source: MediaSource): types.Producer | undefined {
    return this.#producers.get(source);
  }

  hasConsumer(key: string): boolean {
    return this.#consumers.has(key);
  }

  consumerKeys(): string[] {
    return [...this.#consumers.keys()];
  }

  /**
   * Creates a paused consumer of `producer` (on `source`) under `key`, or returns undefined when this
   * client cannot decode it. The client resumes it once ready.
   */
  async consume(
    key: string,
    producer: types.Producer,
    source: types.Router,
    purpose: ConsumerPurpose,
  ): Promise<types.Consumer | undefined> {
    const transport = this.#transports.recv;
    const capabilities = this.#capabilities;
    if (!transport || !capabilities || this.#consumers.has(key) || producer.closed) return undefined;
    await this.#media.pipe(producer, source, this.router);
    if (!this.router.canConsume({ producerId: producer.id, rtpCapabilities: capabilities })) return undefined;
    const consumer = await transport.consume({
      producerId: producer.id,
      rtpCapabilities: capabilities,
      paused: true,
      // Simulcast: the wall shows the lowest layer, the stage (and what may become it) the highest.
      preferredLayers: { spatialLayer: purpose === 'wall' ? WALL_LAYER : STAGE_LAYER },
      appData: { key },
    });
    if (this.#closed || this.#consumers.has(key)) {
      consumer.close();
      return undefined;
    }
    this.#consumers.set(key, consumer);
    const keyNow = (): string => (consumer.appData as { key?: string }).key ?? key;
    consumer.on('producerclose', () => {
      const current = keyNow();
      if (this.#consumers.get(current) === consumer) this.#consumers.delete(current);
      this.emit('consumerclosed', current, consumer.id);
    });
    consumer.on('transportclose', () => {
      const current = keyNow();
      if (this.#consumers.get(current) === consumer) this.#consumers.delete(current);
    });
    return consumer;
  }

  /** Closes the consumer under `key`; returns its id, or undefined if there was none. */
  closeConsumer(key: string): string | undefined {
    const consumer = this.#consumers.get(key);
    if (!consumer) return undefined;
    this.#consumers.delete(key);
    consumer.close();
    return consumer.id;
  }

  /** The client's resume; a standby consumer stays paused (the hub resumes it when it becomes the stage). */
  async resumeConsumer(consumerId: string): Promise<void> {
    const entry = [...this.#consumers.entries()].find(([, c]) => c.id === consumerId);
    if (!entry) throw refuse('media.consumer_unknown', {}, 'no such consumer on this session');
    const [key, consumer] = entry;
    if (key.startsWith('standby:')) return;
    await this.#resume(consumer);
  }

  /** A key frame of one of this session's video consumers, now (the recorder switching its mix to it). */
  async requestKeyFrame(consumerId: string): Promise<void> {
    const consumer = [...this.#consumers.values()].find((c) => c.id === consumerId);
    if (!consumer) throw refuse('media.consumer_unknown', {}, 'no such consumer on this session');
    if (consumer.kind === 'video' && !consumer.closed) await consumer.requestKeyFrame();
  }

  /**
   * Moves the consumer under `from` to `to` (a new purpose: standby ↔ stage); returns it, or undefined when
   * there is none or `to` is taken. applyPurpose then resumes or pauses it.
   */
  moveConsumer(from: string, to: string): types.Consumer | undefined {
    const consumer = this.#consumers.get(from);
    if (!consumer || this.#consumers.has(to)) return undefined;
    this.#consumers.delete(from);
    this.#consumers.set(to, consumer);
    // Its close handlers report the key it has when it closes.
    (consumer.appData as { key?: string }).key = to;
    return consumer;
  }

  /** On stage: resumed here with a key frame asked for at once; on standby: paused. */
  async applyPurpose(consumer: types.Consumer, purpose: ConsumerPurpose): Promise<void> {
    try {
      if (purpose === 'standby') await consumer.pause();
      else await this.#resume(consumer);
    } catch (error) {
      if (!consumer.closed) throw error;
    }
  }

  /**
   * Resumes `consumer`. Video asks the sender for a key frame now rather than at its next interval, and asks
   * again until the consumer has sent one (a request lost on the way, or an encoder that let it pass), so the
   * picture starts as soon as it can.
   */
  async #resume(consumer: types.Consumer): Promise<void> {
    if (consumer.kind !== 'video') return void (await consumer.resume());
    let sent = false;
    const onTrace = (trace: types.ConsumerTraceEventData): void => {
      if (trace.type === 'keyframe' && trace.direction === 'out') sent = true;
    };
    consumer.on('trace', onTrace);
    await consumer.enableTraceEvent(['keyframe']);
    await consumer.resume();
    await consumer.requestKeyFrame();
    void this.#askUntilKeyFrame(consumer, () => sent).finally(() => consumer.off('trace', onTrace));
  }

  async #askUntilKeyFrame(consumer: types.Consumer, sent: () => boolean): Promise<void> {
    for (let i = 1; i < KEY_FRAME_TRIES; i++) {
      await new Promise((resolve) => setTimeout(resolve, KEY_FRAME_RETRY_MS));
      if (sent() || consumer.closed || consumer.paused || this.#closed) return;
      await consumer.requestKeyFrame().catch((error: unknown) => {
        if (!consumer.closed) this.#logger.warn({ err: error, consumerId: consumer.id }, 'key frame request failed');
      });
    }
  }

  /** A new ICE username and password for one of this session's WebRTC transports (the client restarts ICE with them). */
  async restartIce(transportId: string): Promise<types.IceParameters> {
    const [, transport] = this.#transport(transportId);
    if (transport.type !== 'webrtc') {
      throw refuse('media.transport_type', { expected: 'webrtc' }, 'ICE restarts are for WebRTC transports');
    }
    return (transport as types.WebRtcTransport).restartIce();
  }

  /** What the hub measures of this client's connection, for its readiness test (null before any transport). */
  async linkStats(): Promise<{ receiveBitrateKbps: number; sendBitrateKbps: number; roundTripMs: number | null } | null> {
    const transports = Object.values(this.#transports).filter((t) => t !== undefined && !t.closed);
    if (transports.length === 0) return null;
    let receive = 0;
    let send = 0;
    let rtt: number | null = null;
    for (const transport of transports) {
      for (const stat of await transport.getStats()) {
        receive += stat.recvBitrate;
        send += stat.sendBitrate;
      }
    }
    for (const consumer of this.#consumers.values()) {
      for (const stat of await consumer.getStats()) {
        if (stat.type === 'outbound-rtp' && typeof stat.roundTripTime === 'number' && stat.roundTripTime > 0) {
          rtt = Math.max(rtt ?? 0, stat.roundTripTime);
        }
      }
    }
    return { receiveBitrateKbps: Math.round(receive / 1000), sendBitrateKbps: Math.round(send / 1000), roundTripMs: rtt };
  }

  /** Closes the transports (and with them every producer and consumer). Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const transport of Object.values(this.#transports)) transport?.close();
    this.removeAllListeners();
  }

  #transport(transportId: string): [Direction, types.WebRtcTransport | types.PlainTransport] {
    for (const direction of ['send', 'recv'] as const) {
      const transport = this.#transports[direction];
      if (transport?.id === transportId) return [direction, transport];
    }
    throw refuse('media.transport_unknown', {}, 'no such transport on this session');
  }
}
