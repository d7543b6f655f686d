// The recorder's RTP relay. The hub sends the stage as SRTP over one PlainTransport (rtcp-mux): one
// consumer per camera, microphone and screen, and a new consumer (SSRC, sequence, timestamps) at every floor
// switch. The relay turns that into four continuous plain RTP streams for one long-running ffmpeg mixer
// (see sdp.ts): video `main` and `second`, audio `centre` and `floor`, each with a fixed SSRC, continuous
// sequence numbers and timestamps from one wall-clock-tied nominal clock, plus a sender report every 500 ms.
//
// Video: a switch keeps the old source until the new one starts a key frame (asked for at once and every
// 250 ms), then cuts over there. With no source, or one silent for 500 ms, a dark VP8 key frame goes out at
// 25 fps; the source then has to start a key frame again. Each input frame gets the clock at the arrival
// of its first packet. A source that loses a packet is held (ffmpeg keeps its last frame) until its next
// key frame, asked for at once: Debian's ffmpeg 5.1 reading an SDP opens its RTP sockets read-only and sends
// no RTCP at all, so no PLI comes from it. PLI/FIR arriving at the sending socket (another mixer, a newer
// ffmpeg) still become requestKeyFrame for the source on that output.
// Audio: a 20 ms tick from the wall clock; every tick each audio output sends one Opus frame from its
// source's short jitter queue, or a silence frame.
import type { Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { bindUdp, isRtcp, keyFrameRequests, parseRtp, type RtpHeader, senderReport, seqAfter, writeRtp } from './rtp.ts';
import { SrtpDecryptor } from './srtp.ts';
import {
  AUDIO_FRAME_MS,
  audioState,
  type AudioState,
  type ConsumerState,
  FILLER_FRAME_MS,
  HOLD_MS,
  LATE_TICK_MS,
  PLI_THROTTLE_MS,
  random32,
  SR_INTERVAL_MS,
  STALL_MS,
  SWITCH_REQUEST_MS,
  TARGET_HOST,
  videoState,
  type VideoState,
  type ConsumerInfo,
  OPUS_SILENCE,
} from './relay-state.ts';
export { type ConsumerInfo, OPUS_SILENCE } from './relay-state.ts';

import { parseVp8, plainDescriptor, vp8FillerFrame, vp8Packets } from './vp8.ts';
import { AUDIO_OUTPUTS, AUDIO_PT, type AudioOutput, type StageTargets, VIDEO_PT, type VideoOutput } from './sdp.ts';

export type { AudioOutput, PortPair, StageTargets, VideoOutput } from './sdp.ts';
export interface RelayLog {
  info(o: object, m: string): void;
  warn(o: object, m: string): void;
}
export interface RelayOptions {
  /** The hub's srtpParameters for this transport (what it encrypts with). */
  srtp: { cryptoSuite: string; keyBase64: string };
  /** Where ffmpeg listens (on 127.0.0.1). */
  targets: StageTargets;
  /** Ask the hub for a key frame of this consumer (the caller sends media.requestKeyFrame); throttled here. */
  requestKeyFrame: (consumerId: string) => void;
  /** Address of the socket the hub sends to; 127.0.0.1 unless given. */
  listenIp?: string;
  log?: RelayLog;
  /** Every authenticated RTP packet of a known consumer, decrypted, as it came (the track archive). */
  tap?: (consumerId: string, rtp: Buffer) => void;
}
/** Per output: packets, frames, filler or silence frames, switches, source; per consumer: packets, auth failures, last packet. */
export type RelayStats = ReturnType<StageRelay['stats']>;

export class StageRelay {
  readonly #options: RelayOptions;
  #srtp: SrtpDecryptor;
  readonly #video: Record<VideoOutput, VideoState>;
  readonly #audio: Record<AudioOutput, AudioState>;
  readonly #consumers = new Map<string, ConsumerState>();
  readonly #bySsrc = new Map<number, ConsumerState>();
  readonly #input = { rtcp: 0, refused: 0, unknownSsrc: 0 };
  readonly #mixer = { rtcp: 0, keyFrameRequests: 0 };
  #in: Socket | undefined;
  #out: Socket | undefined;
  #filler: Buffer[] = [];
  #timer: NodeJS.Timeout | undefined;
  #t0 = 0;
  #audioTick = 0;
  #nextSrAt = 0;
  readonly #videoBase = random32();
  readonly #audioBase = random32();

  constructor(options: RelayOptions) {
    this.#options = options;
    this.#srtp = new SrtpDecryptor(options.srtp);
    const { targets } = options;
    this.#video = { main: videoState(targets.video.main), second: videoState(targets.video.second) };
    this.#audio = { centre: audioState(targets.audio.centre), floor: audioState(targets.audio.floor) };
  }

  /** Generates the filler frame, binds the sockets and starts the clock; resolves to where the hub must send. */
  async start(): Promise<{ ip: string; port: number }> {
    this.#filler = vp8Packets(await vp8FillerFrame());
    this.#in = await bindUdp(this.#options.listenIp ?? '127.0.0.1', (packet) => this.#onInput(packet));
    this.#out = await bindUdp(TARGET_HOST, (packet) => this.#onFeedback(packet));
    this.#t0 = performance.now();
    this.#tick();
    return this.address;
  }

  /** Where the hub must send (media.connectTransport's ip and port); only once started. */
  get address(): { ip: string; port: number } {
    if (!this.#in) throw new Error('the relay is not started');
    return { ip: this.#options.listenIp ?? '127.0.0.1', port: this.#in.address().port };
  }

  /** The key of a new hub transport: rollover counters start again, consumers are added anew. */
  setSrtp(srtp: { cryptoSuite: string; keyBase64: string }): void {
    this.#srtp = new SrtpDecryptor(srtp);
  }

  addConsumer(c: ConsumerInfo): void {
    const state: ConsumerState = { ...c, ssrc: c.ssrc >>> 0, packetsIn: 0, authFailures: 0, lastPacketAt: undefined };
    this.removeConsumer(c.consumerId);
    this.#consumers.set(c.consumerId, state);
    this.#bySsrc.set(state.ssrc, state);
  }

  removeConsumer(consumerId: string): void {
    const c = this.#consumers.get(consumerId);
    if (!c) return;
    this.#consumers.delete(consumerId);
    if (this.#bySsrc.get(c.ssrc) === c) this.#bySsrc.delete(c.ssrc);
    for (const out of Object.values(this.#video)) {
      if (out.active === consumerId) this.#toFiller(out, performance.now());
      if (out.wanted === consumerId) out.wanted = null;
    }
    for (const name of AUDIO_OUTPUTS) if (this.#audio[name].source === consumerId) this.routeAudio(name, null);
  }

  /** The socket that sends to the mixer, where its RTCP feedback would come back (for tests). */
  mixerSocket(): { ip: string; port: number } | undefined {
    return this.#out && { ip: TARGET_HOST, port: this.#out.address().port };
  }

  /** Shows a consumer on a video output from its next key frame on; null sends the filler at once. */
  route(output: VideoOutput, consumerId: string | null): void {
    const out = this.#video[output];
    out.wanted = consumerId;
    if (consumerId === null) {
      if (out.active !== null) this.#toFiller(out, performance.now());
    } else if (consumerId !== out.active || out.awaitingKey) {
      out.lastRequestAt = -Infinity;
      this.#askKeyFrames(performance.now());
    }
  }

  /** Plays a consumer on an audio output at once (its queue starts empty); null plays silence. */
  routeAudio(output: AudioOutput, consumerId: string | null): void {
    const out = this.#audio[output];
    if (out.source === consumerId) return;
    out.source = consumerId;
    out.queue.clear();
    out.switches++;
  }

  stats() {
    const video = (o: VideoState) => ({
      ...{ source: o.active, pending: o.wanted !== o.active || o.awaitingKey ? o.wanted : null, ssrc: o.ssrc, packets: o.packets },
      octets: o.octets,
      ...{ frames: o.frames, fillerFrames: o.fillerFrames, switches: o.switches, keyFrameRequests: o.keyFrameRequests, losses: o.losses },
    });
    const audio = (o: AudioState) => ({
      ...{ source: o.source, ssrc: o.ssrc, packets: o.packets, octets: o.octets, frames: o.frames, silenceFrames: o.silenceFrames },
      ...{ switches: o.switches, dropped: o.queue.dropped, queued: o.queue.length },
    });
    const consumers: Record<string, { kind: 'audio' | 'video'; packetsIn: number; authFailures: number; lastPacketAt?: number }> = {};
    for (const c of this.#consumers.values()) {
      consumers[c.consumerId] = { kind: c.kind, packetsIn: c.packetsIn, authFailures: c.authFailures, lastPacketAt: c.lastPacketAt };
    }
    return {
      video: { main: video(this.#video.main), second: video(this.#video.second) },
      audio: { centre: audio(this.#audio.centre), floor: audio(this.#audio.floor) },
      consumers,
      /** Hub side: SRTCP packets, packets refused by SRTP, and packets of unknown SSRC or payload type. */
      input: { ...this.#input },
      /** Mixer side: RTCP packets ffmpeg sent back, and the PLI/FIR among them. */
      mixer: { ...this.#mixer },
    };
  }

  async close(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await Promise.all([this.#in, this.#out].map((s) => s && new Promise<void>((resolve) => s.close(() => resolve()))));
    this.#in = this.#out = undefined;
  }

  #onInput(packet: Buffer): void {
    if (isRtcp(packet)) {
      // The hub's sender reports (SRTCP): counted, not needed, since outputs carry the relay's own clock.
      if (this.#srtp.unprotectRtcp(packet)) this.#input.rtcp++;
      else this.#input.refused++;
      return;
    }
    const plain = this.#srtp.unprotectRtp(packet);
    if (!plain) {
      this.#input.refused++;
      const c = packet.length >= 12 ? this.#bySsrc.get(packet.readUInt32BE(8)) : undefined;
      if (c) c.authFailures++;
      return;
    }
    const header = parseRtp(plain);
    const c = header && this.#bySsrc.get(header.ssrc);
    if (!header || !c || header.payloadType !== c.payloadType) {
      this.#input.unknownSsrc++;
      return;
    }
    const now = performance.now();
    c.packetsIn++;
    c.lastPacketAt = now;
    this.#options.tap?.(c.consumerId, plain);
    const payload = plain.subarray(header.payloadOffset, header.payloadEnd);
    if (c.kind === 'audio') {
      const outs = Object.values(this.#audio).filter((o) => o.source === c.consumerId);
      for (const out of outs) out.queue.push(header.sequenceNumber, Buffer.from(payload));
      return;
    }
    for (const out of Object.values(this.#video)) {
      if (out.active === c.consumerId || out.wanted === c.consumerId) this.#onVideo(out, c.consumerId, header, payload, now);
    }
  }

  #onVideo(out: VideoState, id: string, h: RtpHeader, payload: Buffer, now: number): void {
    const vp8 = parseVp8(payload);
    if (!vp8) return;
    if (out.active === id && !out.awaitingKey) {
      if (out.lastInSeq !== undefined && seqAfter(h.sequenceNumber, (out.lastInSeq + 1) & 0xffff)) {
        // A lost packet: ffmpeg would decode broken frames (and, reading an SDP, cannot send a PLI), so the
        // output holds its last frame until the source's next key frame, asked for at once.
        out.awaitingKey = true;
        out.losses++;
        out.lastRequestAt = now;
        this.#request(out, id);
        return;
      }
    } else {
      // The wanted source takes over at the start of a key frame, whatever the previous one is doing; the
      // output's sequence goes on without a gap, so ffmpeg's jitter buffer never waits for a hole.
      if (id !== out.wanted || !vp8.keyFrame) return;
      if (out.active !== id) {
        out.switches++;
        this.#options.log?.info({ source: id, previous: out.active }, 'recorder relay cuts over at a key frame');
      }
      out.active = id;
      out.awaitingKey = false;
      out.seqOffset = (out.seq + 1 - h.sequenceNumber) & 0xffff;
      out.frameInTs = out.prevInTs = out.lastInSeq = undefined;
    }
    if (out.lastInSeq === undefined || seqAfter(h.sequenceNumber, out.lastInSeq)) out.lastInSeq = h.sequenceNumber;
    const seq = (h.sequenceNumber + out.seqOffset) & 0xffff;
    let ts: number;
    if (h.timestamp === out.frameInTs) ts = out.frameOutTs;
    else if (h.timestamp === out.prevInTs) ts = out.prevOutTs;
    else {
      [out.prevInTs, out.prevOutTs] = [out.frameInTs, out.frameOutTs];
      out.frameInTs = h.timestamp;
      ts = out.frameOutTs = this.#videoTs(out, now);
      out.frames++;
    }
    if (seqAfter(seq, out.seq)) out.seq = seq;
    out.lastForwardAt = now;
    const header = { marker: h.marker, payloadType: VIDEO_PT, sequenceNumber: seq, timestamp: ts, ssrc: out.ssrc };
    this.#send(out, writeRtp(header, plainDescriptor(payload), payload.subarray(vp8.length)));
  }

  /** The nominal 90 kHz clock at `now`, kept strictly above the output's previous frame. */
  #videoTs(out: VideoState, now: number): number {
    out.lastTs = Math.max(out.lastTs + 1, this.#videoBase + Math.round((now - this.#t0) * 90));
    return out.lastTs;
  }

  #toFiller(out: VideoState, now: number): void {
    out.active = null;
    out.awaitingKey = false;
    out.nextFillerAt = now;
  }

  #send(out: VideoState | AudioState, packet: Buffer): void {
    out.packets++;
    out.octets += packet.length - 12;
    this.#out?.send(packet, out.target.rtpPort, TARGET_HOST);
  }

  #lastTickAt = 0;

  #tick(): void {
    const now = performance.now();
    while (this.#t0 + this.#audioTick * AUDIO_FRAME_MS <= now) {
      for (const out of Object.values(this.#audio)) this.#playAudio(out);
      this.#audioTick++;
    }
    // A tick that comes late (this process was starved) runs before the packets waiting in the socket are
    // read: no source is judged stalled then. A source held after a loss keeps its last frame up to HOLD_MS.
    const late = now - this.#lastTickAt > LATE_TICK_MS;
    this.#lastTickAt = now;
    for (const out of Object.values(this.#video)) {
      if (!late && out.active !== null && now - out.lastForwardAt > (out.awaitingKey ? HOLD_MS : STALL_MS)) {
        this.#options.log?.warn({ source: out.active }, 'recorder relay: video source stalled, filler until its next key frame');
        this.#toFiller(out, now);
      }
      if (out.active === null && now >= out.nextFillerAt) this.#sendFiller(out, now);
    }
    this.#askKeyFrames(now);
    if (now >= this.#nextSrAt) this.#sendReports(now);
    const next = this.#t0 + this.#audioTick * AUDIO_FRAME_MS;
    this.#timer = setTimeout(() => this.#tick(), Math.max(0, next - performance.now()));
  }

  #sendFiller(out: VideoState, now: number): void {
    const ts = this.#videoTs(out, now);
    for (const [i, payload] of this.#filler.entries()) {
      out.seq = (out.seq + 1) & 0xffff;
      const marker = i === this.#filler.length - 1;
      this.#send(out, writeRtp({ marker, payloadType: VIDEO_PT, sequenceNumber: out.seq, timestamp: ts, ssrc: out.ssrc }, payload));
    }
    out.fillerFrames++;
    out.frames++;
    out.frameInTs = undefined;
    // Keeps 25 fps on average; after a long pause of the timer, starts again from now instead of bursting.
    out.nextFillerAt = Math.max(out.nextFillerAt + FILLER_FRAME_MS, now - FILLER_FRAME_MS);
  }

  #playAudio(out: AudioState): void {
    const next = out.queue.shift();
    if (next) out.frames++;
    else out.silenceFrames++;
    out.seq = (out.seq + 1) & 0xffff;
    const timestamp = this.#audioBase + this.#audioTick * 960;
    this.#send(
      out,
      writeRtp({ marker: false, payloadType: AUDIO_PT, sequenceNumber: out.seq, timestamp, ssrc: out.ssrc }, next ?? OPUS_SILENCE),
    );
  }

  /** Asks every wanted video source that has not (re)started yet for a key frame, at most every 250 ms. */
  #askKeyFrames(now: number): void {
    for (const out of Object.values(this.#video)) {
      const waiting = out.wanted !== null && (out.wanted !== out.active || out.awaitingKey);
      if (!waiting || out.wanted === null || now - out.lastRequestAt < SWITCH_REQUEST_MS) continue;
      out.lastRequestAt = now;
      this.#request(out, out.wanted);
    }
  }

  #request(out: VideoState, consumerId: string): void {
    out.keyFrameRequests++;
    this.#options.requestKeyFrame(consumerId);
  }

  #sendReports(now: number): void {
    this.#nextSrAt = now + SR_INTERVAL_MS;
    const unixMs = performance.timeOrigin + now;
    const outputs: Array<[VideoState | AudioState, number]> = [
      ...Object.values(this.#video).map((o): [VideoState, number] => [o, this.#videoBase + Math.round((now - this.#t0) * 90)]),
      ...Object.values(this.#audio).map((o): [AudioState, number] => [o, this.#audioBase + Math.round((now - this.#t0) * 48)]),
    ];
    for (const [out, rtpTimestamp] of outputs) {
      const sr = senderReport({ ssrc: out.ssrc, unixMs, rtpTimestamp, packets: out.packets, octets: out.octets });
      this.#out?.send(sr, out.target.rtcpPort, TARGET_HOST);
    }
  }

  /** ffmpeg's RTCP (receiver reports, and PLI/FIR for the video outputs) comes back to the sending socket. */
  #onFeedback(packet: Buffer): void {
    if (!isRtcp(packet)) return;
    this.#mixer.rtcp++;
    const now = performance.now();
    for (const request of keyFrameRequests(packet)) {
      const out = Object.values(this.#video).find((o) => o.ssrc === request.mediaSsrc);
      if (!out) continue;
      this.#mixer.keyFrameRequests++;
      if (out.active === null || now - out.lastPliAt < PLI_THROTTLE_MS) continue;
      out.lastPliAt = now;
      this.#request(out, out.active);
    }
  }
}
