// The two ends of the latency benchmark's probe: a synthetic Opus stream whose payload carries its send
// time (an 8-byte high-resolution clock reading taken just before the datagram is sent), SRTP-encrypted,
// and one UDP socket that every receiving plain transport sends to, which decrypts a share of the packets
// and reads the send time back (arrival - send).
import { createSocket, type Socket } from 'node:dgram';
import { rtcpSenderReport } from '../../lib/headless/sender.ts';
import { isRtcp } from '../../lib/rtp.ts';
import { rtpPayload, rtpSequenceNumber, rtpSsrc, SrtcpEncryptor, SrtpDecryptor, SrtpEncryptor, type SrtpKey } from '../../lib/srtp.ts';

export const AUDIO_PT = 111;
export const AUDIO_SSRC = 1111;
export const PACKET_MS = 20;
/**
 * Decrypting every packet in JavaScript would load the one event loop that also times arrivals: at most
 * this many a second are decrypted (chosen by sequence number, the same share for both targets).
 */
const DECRYPTS_PER_SECOND = 1500;
export const MAGIC = Buffer.from('DCLT', 'ascii');
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends the timestamped Opus stream to one ingress, every 20 ms, until stop(). */
export class TimestampSender {
  readonly #socket = createSocket('udp4');
  readonly #srtp: SrtpEncryptor;
  readonly #srtcp: SrtcpEncryptor;
  readonly #remote: { ip: string; port: number };
  readonly #t0 = performance.now();
  #timer: NodeJS.Timeout | undefined;
  #seq = 1;
  sent = 0;

  constructor(remote: { ip: string; port: number }, key: SrtpKey | { cryptoSuite: string; keyBase64: string }) {
    this.#remote = remote;
    this.#srtp = new SrtpEncryptor(key);
    this.#srtcp = new SrtcpEncryptor(key);
    this.#socket.on('message', () => {});
  }

  start(): void {
    this.#timer = setInterval(() => {
      const payload = Buffer.alloc(1 + MAGIC.length + 8 + 100, 0x55);
      payload[0] = 0xfc; // Opus TOC: CELT fullband 20 ms, stereo, one frame.
      MAGIC.copy(payload, 1);
      const timestamp = Math.round(((performance.now() - this.#t0) * 48_000) / 1000) >>> 0;
      const sentAt = performance.now();
      payload.writeDoubleBE(sentAt, 1 + MAGIC.length);
      const wire = this.#srtp.protect({
        payloadType: AUDIO_PT,
        marker: false,
        sequenceNumber: this.#seq++ & 0xffff,
        timestamp,
        ssrc: AUDIO_SSRC,
        payload,
      });
      this.#socket.send(wire, this.#remote.port, this.#remote.ip);
      this.sent++;
      if (this.sent % 50 === 1) {
        const report = rtcpSenderReport({
          ssrc: AUDIO_SSRC,
          wallClockMs: Date.now(),
          rtpTimestamp: timestamp,
          packets: this.sent,
          octets: this.sent * payload.length,
        });
        this.#socket.send(this.#srtcp.protect(report), this.#remote.port, this.#remote.ip);
      }
    }, PACKET_MS);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#socket.close();
  }
}

/** One UDP socket every receiving transport sends to: per SSRC, the transport's key; collects latencies. */
export class LatencyReceiver {
  readonly socket: Socket;
  readonly #bySsrc = new Map<number, SrtpDecryptor>();
  #every = 1;
  #collecting = false;
  samples: number[] = [];
  packets = 0;
  failures = 0;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('message', (packet) => this.#onPacket(packet, performance.now()));
  }

  static async open(): Promise<LatencyReceiver> {
    const socket = createSocket({ type: 'udp4', recvBufferSize: 8 << 20 });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new LatencyReceiver(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  add(ssrc: number, key: { cryptoSuite: string; keyBase64: string }): void {
    this.#bySsrc.set(ssrc, new SrtpDecryptor(key));
    this.#every = Math.max(1, Math.ceil((this.#bySsrc.size * (1000 / PACKET_MS)) / DECRYPTS_PER_SECOND));
  }

  get receiving(): number {
    return this.#bySsrc.size;
  }

  /** Collects samples for `ms`; returns them and the packets counted meanwhile. */
  async window(ms: number): Promise<{ samples: number[]; packets: number; failures: number }> {
    this.samples = [];
    this.packets = 0;
    this.failures = 0;
    this.#collecting = true;
    await sleep(ms);
    this.#collecting = false;
    return { samples: this.samples, packets: this.packets, failures: this.failures };
  }

  #onPacket(packet: Buffer, arrivedAt: number): void {
    if (!this.#collecting || packet.length < 12 || isRtcp(packet)) return;
    const decryptor = this.#bySsrc.get(rtpSsrc(packet));
    if (!decryptor) return;
    this.packets++;
    if (rtpSequenceNumber(packet) % this.#every !== 0) return;
    const plain = decryptor.tryUnprotect(packet);
    const payload = plain ? rtpPayload(plain) : undefined;
    const at = payload ? payload.indexOf(MAGIC) : -1;
    if (!payload || at < 0 || payload.length < at + MAGIC.length + 8) {
      this.failures++;
      return;
    }
    this.samples.push(arrivedAt - payload.readDoubleBE(at + MAGIC.length));
  }

  close(): void {
    this.socket.close();
  }
}
