// Full WebRTC receivers (werift: ICE, DTLS, SRTP in Node) as benchmark load, next to the plain SRTP points:
// one joining the hub through its real protocol (WebRTC receiving transport, pushed consumers answered
// with an SDP answer, DTLS parameters sent back, consumers resumed), and one on a bare router for the
// baseline. Each counts the packets werift decrypts and notes when the first one arrived.
import type { types } from 'mediasoup';
import type { MediaStreamTrack, RTCPeerConnection } from 'werift';
import type { DtlsParameters } from '../../../shared/media.ts';
import type { EventPayload } from '../../../shared/protocol.ts';
import { must, type HubClient } from '../../lib/hub-client.ts';
import { consumerOffer, receivingPeer } from '../../lib/werift-receiver.ts';

/** What the SDP offer needs of a transport: a mediasoup WebRtcTransport or the hub's TransportInfo. */
export interface OfferTransport {
  iceParameters: { usernameFragment: string; password: string };
  iceCandidates: ReadonlyArray<{
    foundation: string;
    priority: number;
    address: string;
    protocol: string;
    port: number;
    tcpType?: string | undefined;
  }>;
  dtlsParameters: { fingerprints: ReadonlyArray<{ algorithm: string; value: string }> };
}

/** What the SDP offer needs of a consumer: a mediasoup Consumer or the hub's media.consumer event. */
export interface OfferConsumer {
  id: string;
  kind: 'audio' | 'video';
  rtpParameters: unknown;
}

export class WebRtcReceiver {
  readonly pc: RTCPeerConnection;
  /** Packets werift received and decrypted, by kind. */
  readonly packets = { audio: 0, video: 0 };
  /** performance.now() of the first packet of any kind, and of the first video packet. */
  firstPacketAt: number | undefined;
  firstVideoAt: number | undefined;
  /** Called with every packet's payload (decrypted) and the time it came out of werift. */
  onRtp: ((kind: 'audio' | 'video', payload: Buffer, at: number) => void) | undefined;
  #onFirst: Array<(at: number) => void> = [];

  private constructor(pc: RTCPeerConnection) {
    this.pc = pc;
    pc.onTrack.subscribe((track: MediaStreamTrack) => {
      const kind = track.kind as 'audio' | 'video';
      track.onReceiveRtp.subscribe((rtp) => {
        this.packets[kind]++;
        this.onRtp?.(kind, rtp.payload, performance.now());
        if (this.firstPacketAt === undefined) {
          const at = performance.now();
          this.firstPacketAt = at;
          for (const resolve of this.#onFirst.splice(0)) resolve(at);
        }
        if (kind === 'video') this.firstVideoAt ??= performance.now();
      });
    });
  }

  get total(): number {
    return this.packets.audio + this.packets.video;
  }

  /** Resolves with the time of the first packet, or null after `timeoutMs`. */
  firstPacket(timeoutMs: number): Promise<number | null> {
    if (this.firstPacketAt !== undefined) return Promise.resolve(this.firstPacketAt);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), timeoutMs);
      this.#onFirst.push((at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
  }

  /**
   * Answers the offer in which `transport` sends `consumers`, and hands werift's DTLS parameters to
   * `connect` (the remote side's role: setup:active in the answer means werift is the DTLS client).
   * `pc` is the werift peer to use (by default one receiving Opus and VP8 without congestion feedback).
   */
  static async negotiate(
    transport: OfferTransport,
    consumers: OfferConsumer[],
    connect: (dtls: DtlsParameters) => Promise<void>,
    pc: RTCPeerConnection = receivingPeer(),
  ): Promise<WebRtcReceiver> {
    const receiver = new WebRtcReceiver(pc);
    const offer = consumerOffer(transport as unknown as types.WebRtcTransport, consumers as unknown as types.Consumer[]);
    await pc.setRemoteDescription({ type: 'offer', sdp: offer });
    await pc.setLocalDescription(await pc.createAnswer());
    const sdp = pc.localDescription?.sdp ?? '';
    const fingerprint = /a=fingerprint:sha-256 ([0-9A-Fa-f:]+)/.exec(sdp)?.[1];
    const setup = /a=setup:(active|passive)/.exec(sdp)?.[1];
    if (!fingerprint || !setup) throw new Error('werift answer without fingerprint or setup');
    await connect({
      role: setup === 'active' ? 'client' : 'server',
      fingerprints: [{ algorithm: 'sha-256', value: fingerprint.toUpperCase() }],
    });
    return receiver;
  }

  async close(): Promise<void> {
    await this.pc.close().catch(() => undefined);
  }
}

/**
 * A hub client (already welcomed) becomes a WebRTC receiver: says what it decodes, opens a WebRTC
 * receiving transport, waits for the `expected` consumers the hub pushes (the programme's audio and video),
 * answers, connects and resumes them.
 */
export async function hubWebRtcReceiver(client: HubClient, expected = 2, timeoutMs = 20_000): Promise<WebRtcReceiver> {
  const pushed: Array<EventPayload<'media.consumer'>> = [];
  let arrived: (() => void) | undefined;
  const all = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${pushed.length}/${expected} consumers pushed`)), timeoutMs);
    arrived = () => {
      if (pushed.length < expected) return;
      clearTimeout(timer);
      resolve();
    };
  });
  client.socket.on('media.consumer', (c) => {
    pushed.push(c);
    arrived?.();
  });
  all.catch(() => undefined); // awaited below; this only keeps an early timeout from going unhandled
  await must(client.request('media.setCapabilities', { rtpCapabilities: client.welcome.routerRtpCapabilities }));
  const info = await must(client.request('media.createTransport', { direction: 'recv', type: 'webrtc' }));
  if (info.type !== 'webrtc') throw new Error('expected a WebRTC transport');
  await all;
  const consumers = pushed.map((c) => ({ id: c.consumerId, kind: c.kind, rtpParameters: c.rtpParameters }));
  const receiver = await WebRtcReceiver.negotiate(info, consumers, async (dtlsParameters) => {
    await must(client.request('media.connectTransport', { transportId: info.id, dtlsParameters }));
  });
  for (const c of pushed) await must(client.request('media.resumeConsumer', { consumerId: c.consumerId }));
  return receiver;
}

/** The same on a bare router: a WebRTC transport consuming `producers`, answered by werift, resumed. */
export async function bareWebRtcReceiver(router: types.Router, producers: types.Producer[]): Promise<WebRtcReceiver> {
  // The hub's listen infos: UDP preferred, TCP offered too.
  const transport = await router.createWebRtcTransport({
    listenInfos: [
      { protocol: 'udp', ip: '127.0.0.1' },
      { protocol: 'tcp', ip: '127.0.0.1' },
    ],
    preferUdp: true,
    initialAvailableOutgoingBitrate: 1_500_000,
  });
  const consumers: types.Consumer[] = [];
  for (const p of producers) {
    consumers.push(await transport.consume({ producerId: p.id, rtpCapabilities: router.rtpCapabilities, paused: true }));
  }
  const receiver = await WebRtcReceiver.negotiate(transport, consumers, (dtlsParameters) => transport.connect({ dtlsParameters }));
  for (const c of consumers) {
    await c.resume();
    if (c.kind === 'video') await c.requestKeyFrame();
  }
  return receiver;
}
