// A headless conference point for tests and benchmarks: a hub client (one socket.io connection), a plain
// SRTP transport to send on (Opus + three-layer VP8 simulcast from a steady generator, or real Opus and
// single-layer VP8 from ffmpeg with `publish({ media: 'ffmpeg' })`) and one to receive on (every pushed
// consumer resumed and counted). Built so that a dozen of them run on a 2-core machine:
// senders share one ticker and stop by themselves after a bounded time, and close() stops all.
//
// Like the browser client, a point rebuilds its media by itself when the hub says `media.restart` (its
// worker died), and with `reconnect: true` it reconnects with socket.io's backoff using the session token
// of its latest welcome, and rebuilds its media on every new welcome.
import { randomInt } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import type { MediaSource } from '../../../shared/domain.ts';
import type { RtpCapabilities, RtpParameters } from '../../../shared/media.ts';
import type { HandshakeAuth } from '../../../shared/protocol.ts';
import { HubClient, openHubSocket, RequestRefused, type HubClientOptions, type OpenedSocket } from '../hub-client.ts';
import { newSrtpKey, SrtcpDecryptor } from '../srtp.ts';
import { FfmpegSource } from './ffmpeg-source.ts';
import { MediaReceiver, type ConsumerCounter, type ConsumerEvent, type ConsumerFilter } from './receiver.ts';
import { MediaSender, type MediaSenderOptions } from './sender.ts';

export interface HeadlessPointOptions extends HubClientOptions {
  /** Rejects when no welcome came in this long; default 10 s. */
  joinTimeoutMs?: number | undefined;
  /** Rejects a request that got no answer in this long; default 10 s. */
  requestTimeoutMs?: number | undefined;
  /** Local address for the UDP sockets; default 127.0.0.1. */
  ip?: string;
  /** Senders stop by themselves after this long; default 120 s. */
  maxSendMs?: number;
  /** See MediaReceiverOptions.decryptEvery. */
  decryptEvery?: number;
  /** Rebuild the media on `media.restart`; default true. */
  autoRestart?: boolean;
}

/** One rebuild of a point's media: after a `media.restart` or a new welcome. */
export interface MediaRebuild {
  cause: 'media.restart' | 'welcome';
  at: number;
  /** When the transports were back and the producers made again (undefined while it runs or if it failed). */
  doneAt: number | undefined;
  error: string | undefined;
}

export interface PublishOptions {
  audio?: boolean;
  video?: boolean;
  /** See MediaSenderOptions.videoEveryTicks. */
  videoEveryTicks?: number;
  /** See MediaSenderOptions.keyFrames and keyFrameIntervalMs (key frames when the hub asks, as an encoder's). */
  keyFrames?: MediaSenderOptions['keyFrames'];
  keyFrameIntervalMs?: number;
  /**
   * 'generator' (default): marked synthetic packets, three-layer VP8 simulcast. 'ffmpeg': real, decodable
   * media from Debian's ffmpeg (see ffmpeg-source.ts): single-layer VP8 of a test picture with the point's
   * id drawn on it, key frames every second, and an Opus tone; the options above do not apply.
   */
  media?: 'generator' | 'ffmpeg';
  /** With media 'ffmpeg': picture size and rate, default 1280×720 at 25 fps; VP8 bitrate, default 1200 kbit/s. */
  width?: number;
  height?: number;
  fps?: number;
  videoKbps?: number;
}

function codecPayloadType(caps: RtpCapabilities, mimeType: string): number {
  const codec = caps.codecs?.find((c) => c.mimeType.toLowerCase() === mimeType.toLowerCase());
  if (!codec) throw new Error(`router offers no ${mimeType}`);
  return codec.preferredPayloadType;
}

const randomSsrc = (): number => randomInt(0x1000, 0x7fffffff);

export class HeadlessPoint extends HubClient {
  /** Media rebuilds done by the point itself. */
  readonly rebuilds: MediaRebuild[] = [];
  /** Failures of things the point does by itself (resuming pushed consumers, ...). */
  readonly errors: string[] = [];
  /** Resumes answered rate_limited and sent again. */
  resumeRetries = 0;
  readonly producers: Partial<Record<MediaSource, string>> = {};
  receiver: MediaReceiver | undefined;
  sender: MediaSender | undefined;
  /** The ffmpeg source when publishing with media 'ffmpeg' (instead of `sender`). */
  ffmpeg: FfmpegSource | undefined;
  /** The key the hub encrypts this point's received media with (its receiving transport's srtpParameters). */
  recvSrtpParameters: { cryptoSuite: string; keyBase64: string } | undefined;
  recvTransportId: string | undefined;
  sendTransportId: string | undefined;
  readonly #options: HeadlessPointOptions;
  #sendSocket: UdpSocket | undefined;
  #publishing: PublishOptions | undefined;
  #rebuildChain: Promise<void> = Promise.resolve();
  #generation = 0;
  #closed = false;

  private constructor(opened: OpenedSocket, options: HeadlessPointOptions) {
    super(opened, options);
    this.#options = options;
    const { socket } = opened;
    socket.on('media.consumer', (c) => void this.#onConsumer(c));
    socket.on('media.consumerClosed', ({ consumerId }) => this.receiver?.closeConsumer(consumerId));
    // A standby consumer going on stage (resumed by the hub itself) or back.
    socket.on('media.consumerPurpose', ({ consumerId, purpose }) => this.receiver?.setPurpose(consumerId, purpose));
    if (options.autoRestart !== false) {
      socket.on('media.restart', ({ routerRtpCapabilities }) => {
        this.welcome = { ...this.welcome, routerRtpCapabilities };
        this.#rebuild('media.restart');
      });
    }
    // The hub client has taken the new welcome (and its token for the next reconnect) already.
    if (options.reconnect) socket.on('session.welcome', () => this.#rebuild('welcome'));
  }

  /** Connects with a token (or a join code) and resolves on session.welcome. */
  static async join(url: string, auth: string | HandshakeAuth, options: HeadlessPointOptions = {}): Promise<HeadlessPoint> {
    const withDefaults = {
      ...options,
      joinTimeoutMs: options.joinTimeoutMs ?? 10_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    };
    const opened = await openHubSocket(url, typeof auth === 'string' ? { token: auth } : auth, withDefaults);
    return new HeadlessPoint(opened, withDefaults);
  }

  /**
   * Opens a plain send transport and produces Opus (microphone) and VP8 (camera), then starts the steady
   * sender (three-layer simulcast of marked packets) or, with `media: 'ffmpeg'`, an ffmpeg source (one layer
   * of real media).
   */
  async publish(options: PublishOptions = { audio: true, video: true }): Promise<{ audio?: string; video?: string }> {
    if (this.sender || this.ffmpeg) throw new Error(`${this.label}: already publishing`);
    const real = options.media === 'ffmpeg';
    this.#publishing = options;
    const caps = this.welcome.routerRtpCapabilities;
    const info = await this.call('media.createTransport', { direction: 'send', type: 'plain' });
    if (info.type !== 'plain') throw new Error(`${this.label}: asked for a plain transport, got ${info.type}`);
    this.sendTransportId = info.id;
    const socket = createSocket('udp4');
    this.#sendSocket = socket;
    // RTCP from the hub (receiver reports, PLI, FIR): a sender that makes key frames on request needs them.
    const srtcp = new SrtcpDecryptor(info.srtpParameters);
    socket.on('message', (packet) => {
      const target = this.ffmpeg ?? (options.keyFrames === 'on-request' ? this.sender : undefined);
      if (!target) return;
      try {
        target.handleRtcp(srtcp.unprotect(packet));
      } catch {
        // Not SRTCP from the hub (or not authenticating): nothing to act on.
      }
    });
    socket.on('error', (error) => this.errors.push(`send socket: ${error.message}`));
    await new Promise<void>((resolve) => socket.bind(0, this.#options.ip ?? '127.0.0.1', resolve));
    const key = newSrtpKey();
    await this.call('media.connectTransport', { transportId: info.id, srtpParameters: key });

    const cname = `${this.pointId}-${randomSsrc().toString(16)}`;
    const result: { audio?: string; video?: string } = {};
    let audio: MediaSenderOptions['audio'];
    let video: MediaSenderOptions['video'];
    let realVideo: { ssrc: number; payloadType: number } | undefined;
    if (options.audio) {
      audio = { ssrc: randomSsrc(), payloadType: codecPayloadType(caps, 'audio/opus') };
      const rtpParameters: RtpParameters = {
        codecs: [{ mimeType: 'audio/opus', payloadType: audio.payloadType, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc: audio.ssrc }],
        rtcp: { cname },
      };
      const { producerId } = await this.call('media.produce', { transportId: info.id, kind: 'audio', source: 'microphone', rtpParameters });
      this.producers.microphone = result.audio = producerId;
    }
    if (options.video) {
      const ssrcs = [randomSsrc(), randomSsrc(), randomSsrc()] as const;
      const payloadType = codecPayloadType(caps, 'video/VP8');
      // One encoding with ffmpeg: mediasoup makes a simple consumer, which ignores the preferred layer.
      if (real) realVideo = { ssrc: ssrcs[0], payloadType };
      else video = { ssrcs, payloadType };
      const rtpParameters: RtpParameters = {
        codecs: [
          {
            mimeType: 'video/VP8',
            payloadType,
            clockRate: 90000,
            rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
          },
        ],
        encodings: (real ? ssrcs.slice(0, 1) : ssrcs).map((ssrc) => ({ ssrc, scalabilityMode: 'L1T1' })),
        rtcp: { cname },
      };
      const { producerId } = await this.call('media.produce', { transportId: info.id, kind: 'video', source: 'camera', rtpParameters });
      this.producers.camera = result.video = producerId;
    }
    if (this.#closed) return result;
    if (real) {
      const source = new FfmpegSource({
        socket,
        remote: { ip: info.ip, port: info.port },
        key,
        label: this.pointId,
        audio,
        video: realVideo,
        width: options.width,
        height: options.height,
        fps: options.fps,
        videoKbps: options.videoKbps,
        maxDurationMs: this.#options.maxSendMs,
      });
      this.ffmpeg = source;
      await source.start();
      // Closed or rebuilt while the local sockets were bound.
      if (this.#closed || this.ffmpeg !== source) source.stop();
      return result;
    }
    this.sender = new MediaSender({
      socket,
      remote: { ip: info.ip, port: info.port },
      key,
      pointId: this.pointId,
      audio,
      video,
      videoEveryTicks: options.videoEveryTicks,
      keyFrames: options.keyFrames,
      keyFrameIntervalMs: options.keyFrameIntervalMs,
      maxDurationMs: this.#options.maxSendMs,
    });
    this.sender.start();
    return result;
  }

  /**
   * Says what it can decode (the router's own capabilities), opens a plain receive transport towards a
   * local UDP socket, and from then on resumes and counts every consumer the hub pushes.
   */
  async receive(): Promise<MediaReceiver> {
    if (this.receiver) throw new Error(`${this.label}: already receiving`);
    const receiver = await MediaReceiver.open({ ip: this.#options.ip, decryptEvery: this.#options.decryptEvery });
    this.receiver = receiver;
    if (this.#closed) {
      receiver.close();
      return receiver;
    }
    await this.#openRecvTransport(receiver);
    return receiver;
  }

  async #openRecvTransport(receiver: MediaReceiver): Promise<void> {
    await this.call('media.setCapabilities', { rtpCapabilities: this.welcome.routerRtpCapabilities });
    const info = await this.call('media.createTransport', { direction: 'recv', type: 'plain' });
    if (info.type !== 'plain') throw new Error(`${this.label}: asked for a plain transport, got ${info.type}`);
    this.recvTransportId = info.id;
    receiver.setKey(info.srtpParameters);
    this.recvSrtpParameters = info.srtpParameters;
    await this.call('media.connectTransport', {
      transportId: info.id,
      srtpParameters: newSrtpKey(),
      ip: receiver.ip,
      port: receiver.port,
    });
  }

  /**
   * Builds the media again after the hub dropped it (worker death, new session): the old sender and
   * consumers are let go, a new receiving transport goes to the same UDP socket, and what was published
   * is published again. Rebuilds run one after another; a newer one makes an older one stop early.
   */
  #rebuild(cause: MediaRebuild['cause']): void {
    const record: MediaRebuild = { cause, at: Date.now(), doneAt: undefined, error: undefined };
    this.rebuilds.push(record);
    const generation = ++this.#generation;
    this.sender?.stop();
    this.sender = undefined;
    this.ffmpeg?.stop();
    this.ffmpeg = undefined;
    this.#sendSocket?.close();
    this.#sendSocket = undefined;
    this.sendTransportId = undefined;
    for (const source of Object.keys(this.producers) as MediaSource[]) delete this.producers[source];
    this.recvTransportId = undefined;
    const receiver = this.receiver;
    for (const c of receiver?.list({ open: true }) ?? []) receiver?.closeConsumer(c.consumerId);
    this.#rebuildChain = this.#rebuildChain.then(async () => {
      if (generation !== this.#generation || this.#closed) return;
      try {
        if (receiver) await this.#openRecvTransport(receiver);
        if (generation !== this.#generation || this.#closed) return;
        if (this.#publishing) {
          this.sender?.stop();
          this.sender = undefined;
          this.ffmpeg?.stop();
          this.ffmpeg = undefined;
          await this.publish(this.#publishing);
        }
        record.doneAt = Date.now();
      } catch (error) {
        if (generation === this.#generation && !this.#closed) {
          record.error = error instanceof RequestRefused ? error.detail : (error as Error).message;
          this.errors.push(`rebuild after ${cause}: ${record.error}`);
        }
      }
    });
  }

  /** Consumers received so far (closed ones included unless filtered). */
  consumers(filter: ConsumerFilter = {}): ConsumerCounter[] {
    return this.receiver?.list(filter) ?? [];
  }

  /** Packets received over the matching consumers. */
  packets(filter: ConsumerFilter = {}): number {
    return this.receiver?.packets(filter) ?? 0;
  }

  /** Stops the sender, closes the UDP sockets and the connection. Safe to call twice. */
  override async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.sender?.stop();
    this.ffmpeg?.stop();
    this.receiver?.close();
    this.#sendSocket?.close();
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }

  #rebuilding(): boolean {
    const last = this.rebuilds.at(-1);
    return last !== undefined && last.doneAt === undefined && last.error === undefined;
  }

  async #onConsumer(c: ConsumerEvent): Promise<void> {
    const receiver = this.receiver;
    if (!receiver || this.#closed) {
      this.errors.push(`consumer ${c.consumerId} pushed before receive()`);
      return;
    }
    if (this.#rebuilding()) {
      // Offers may come just before the new receiving transport's answer: wait for it, and drop the
      // offers for the transport this point has just let go of.
      const deadline = Date.now() + 10_000;
      while (this.recvTransportId === undefined && this.#rebuilding() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      if (c.transportId !== this.recvTransportId) return;
    }
    if (this.recvTransportId !== undefined && c.transportId !== this.recvTransportId) {
      this.errors.push(`consumer ${c.consumerId} on transport ${c.transportId}, not the recv transport ${this.recvTransportId}`);
    }
    const encoding = c.rtpParameters.encodings?.[0];
    if (encoding?.ssrc === undefined) {
      this.errors.push(`consumer ${c.consumerId} without an ssrc`);
      return;
    }
    receiver.add({
      consumerId: c.consumerId,
      producerId: c.producerId,
      kind: c.kind,
      pointId: c.pointId,
      source: c.source,
      purpose: c.purpose,
      ssrc: encoding.ssrc,
      rtxSsrc: encoding.rtx?.ssrc,
    });
    // Standby consumers stay paused: the hub resumes them itself when their point gets the floor.
    if (c.purpose === 'standby') return;
    // A burst of pushed consumers (the host's wall) can meet the hub's per-point request limit: a real
    // client would back off and try again, and so does this one, a bounded number of times.
    for (let attempt = 1; !this.#closed; attempt++) {
      try {
        const result = await this.request('media.resumeConsumer', { consumerId: c.consumerId });
        if (result.ok) return;
        if (result.error.code === 'rate_limited' && attempt < 20) {
          this.resumeRetries++;
          await new Promise((resolve) => setTimeout(resolve, 100 + randomInt(0, 200)));
          continue;
        }
        if (!this.#closed && result.error.code !== 'not_found') {
          this.errors.push(`resume ${c.consumerId}: ${result.error.code}: ${result.error.message}`);
        }
      } catch (error) {
        if (!this.#closed) this.errors.push(`resume ${c.consumerId}: ${(error as Error).message}`);
      }
      return;
    }
  }
}
