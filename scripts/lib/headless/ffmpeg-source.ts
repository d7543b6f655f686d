// Real, decodable media for a headless point: Debian's ffmpeg encodes a live test picture (testsrc2 with the
// point's label drawn on it) as single-layer VP8 and a sine tone as Opus, each to plain RTP on a local UDP
// socket; this module takes those packets, gives them the SSRC and payload type the point produced with,
// keeps their sequence numbers, timestamps and VP8 picture IDs continuous across ffmpeg restarts (a size
// change), adds its own Sender Reports and sends them SRTP-encrypted from the point's socket to the hub.
//
// ffmpeg cannot be asked for a key frame while it runs: the encoder makes one every keyFrameIntervalS (1 s
// by default) and the hub's PLI/FIR are only counted. One ffmpeg per kind, so a size change restarts the
// video alone: the new ffmpeg starts beside the old one, and the switch happens on its first packet (the
// start of a key frame), so the stream has no gap beyond one frame.
//
// `pattern: 'sync'` measures audio/video alignment instead: ONE ffmpeg makes both kinds from one lavfi graph
// (one clock): a dark moving picture that flashes white for two frames every 2 s, and silence with an 80 ms
// 2.5 kHz beep starting at the same instants (syncPatternGraph); the size is fixed for the run.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { isRtcp } from '../rtp.ts';
import { rtpPayload, rtpSequenceNumber, rtpSsrc, SrtcpEncryptor, SrtpEncryptor, type SrtpKey } from '../srtp.ts';
import { originTag } from './marks.ts';
import { rtcpSenderReport } from './sender.ts';

export type SourceKind = 'audio' | 'video';

export interface FfmpegSourceOptions {
  /** UDP socket to send from (the source does not own it). */
  socket: UdpSocket;
  /** Where the packets go: the hub's plain transport. */
  remote: { ip: string; port: number };
  /** The key this source encrypts with (what the point gave the hub in connectTransport). */
  key: SrtpKey;
  /** Drawn on the picture (so the pictures of different points differ) and picks the tone's pitch. */
  label: string;
  audio?: { ssrc: number; payloadType: number } | undefined;
  video?: { ssrc: number; payloadType: number } | undefined;
  /** Picture size and rate; default 1280×720 at 25 fps. */
  width?: number | undefined;
  height?: number | undefined;
  fps?: number | undefined;
  /** VP8 target bitrate; default 1200 kbit/s. */
  videoKbps?: number | undefined;
  /** A key frame at least this often; default 1 s. */
  keyFrameIntervalS?: number | undefined;
  /** Stops by itself (ffmpeg too) after this long; default 120 s. */
  maxDurationMs?: number | undefined;
  /** ffmpeg binary; default `ffmpeg` from PATH. */
  ffmpegPath?: string | undefined;
  /**
   * 'tone' (default): testsrc2 with the label and a steady sine, one ffmpeg per kind. 'sync': the A/V sync
   * pattern of syncPatternGraph from one ffmpeg for both kinds (setSize is refused).
   */
  pattern?: 'tone' | 'sync' | undefined;
}

/** The sync pattern: a flash of `flashFrames` white frames and a beep of `beepMs` at 2.5 kHz every `periodS`. */
export const SYNC_PATTERN = { periodS: 2, flashFrames: 2, beepMs: 80, beepHz: 2500 } as const;

/**
 * The lavfi graph of the sync pattern, `[out0]` video and `[out1]` mono 48 kHz audio from one source clock:
 * testsrc2 darkened to a quarter of its luma (still moving), the label drawn if the font is there, the whole
 * frame white on frames n with n mod (periodS·fps) < flashFrames; the beep where t mod periodS < beepMs, a
 * 0.5-amplitude sine, exact to the sample, silence between. Frame 0 and sample 0 are both t = 0, so in the
 * source the flashes and the beep onsets coincide.
 */
export function syncPatternGraph(o: { width: number; height: number; fps: number; label?: string | undefined }): string {
  const p = SYNC_PATTERN;
  const every = Math.round(p.periodS * o.fps);
  let video = `testsrc2=size=${o.width}x${o.height}:rate=${o.fps},lutyuv=y=val/4`;
  if (o.label !== undefined && existsSync(DEFAULT_FONT)) {
    const fontSize = Math.max(12, Math.round(o.height / 12));
    video +=
      `,drawtext=fontfile=${DEFAULT_FONT}:text='${drawable(`${o.label} sync`)}':fontsize=${fontSize}:fontcolor=gray` +
      `:x=${fontSize}:y=h-${fontSize * 2}`;
  }
  video += `,drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='lt(mod(n,${every}),${p.flashFrames})'`;
  const beep = `if(lt(mod(t,${p.periodS}),${p.beepMs / 1000}),0.5*sin(2*PI*${p.beepHz}*t),0)`;
  return `${video}[out0];aevalsrc=exprs='${beep}':s=48000[out1]`;
}

/** ffmpeg's encoder options of the source: VP8 (realtime, one layer) and Opus, as the point sends them. */
export function sourceEncoderArgs(
  kind: SourceKind,
  o: { fps?: number | undefined; videoKbps?: number | undefined; keyFrameIntervalS?: number | undefined },
): string[] {
  if (kind === 'audio') return ['-c:a', 'libopus', '-ac', '2', '-b:a', '64k', '-frame_duration', '20'];
  const fps = o.fps ?? 25;
  const gop = String(Math.max(1, Math.round(fps * (o.keyFrameIntervalS ?? 1))));
  const kbps = o.videoKbps ?? 1200;
  return [
    ...['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', `${kbps}k`, '-maxrate', `${kbps}k`],
    ...['-bufsize', `${kbps}k`, '-g', gop, '-keyint_min', gop, '-lag-in-frames', '0', '-auto-alt-ref', '0', '-error-resilient', '1'],
  ];
}

/** What one ffmpeg process is producing. */
interface Run {
  readonly child: ChildProcess;
  /** The SSRC ffmpeg writes (a fresh one per run, so stragglers of an old run are told apart). */
  readonly inSsrc: number;
  readonly width: number;
  readonly height: number;
  /** Set by this module before it kills the process, so its exit is not an error. */
  killed: boolean;
  stderr: string;
}

interface OutStream {
  readonly kind: SourceKind;
  readonly ssrc: number;
  readonly payloadType: number;
  readonly clockRate: number;
  /** The local socket ffmpeg sends this kind's RTP to. */
  readonly local: UdpSocket;
  run: Run | undefined;
  /** A newer run (a size change) that takes over on its first packet. */
  next: Run | undefined;
  onSwitch: (() => void) | undefined;
  /** Offsets from the current run's numbering to the outgoing one, set on its first packet. */
  seqOffset: number | undefined;
  tsOffset: number;
  pictureIdOffset: number;
  /** The outgoing values of the last packet sent, and when (performance.now()). */
  lastSeq: number | undefined;
  lastTs: number;
  lastAt: number;
  lastPictureId: number;
  /** The run's first packet: its outgoing timestamp and arrival, the clock of the Sender Reports. */
  anchorTs: number;
  anchorAt: number;
  packets: number;
  octets: number;
}

const DEFAULT_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';
const SR_INTERVAL_MS = 500;
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills whatever ffmpeg is still running when this process exits, so none outlives a test run. */
function track(child: ChildProcess): void {
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of liveChildren) c.kill('SIGKILL');
  });
}

/** Characters drawtext can take without escaping inside a filter graph. */
const drawable = (text: string): string => text.replace(/[^A-Za-z0-9 ._/-]/g, '_').slice(0, 40);

/** The parts of a VP8 RTP payload descriptor (RFC 7741 4.2) a forwarder and a checker need. */
export interface Vp8Descriptor {
  /** Start of a VP8 partition (S) and its index (PartID). */
  start: boolean;
  partitionId: number;
  /** PictureID and where it sits (offset in the payload, 7 or 15 bits); undefined when absent. */
  pictureId: number | undefined;
  pictureIdOffset: number;
  pictureIdBits: 7 | 15 | 0;
  /** Length of the descriptor: the VP8 data starts there. */
  length: number;
}

export function parseVp8Descriptor(payload: Buffer): Vp8Descriptor | undefined {
  if (payload.length < 1) return undefined;
  const b0 = payload[0] ?? 0;
  let at = 1;
  let pictureId: number | undefined;
  let pictureIdOffset = 0;
  let pictureIdBits: Vp8Descriptor['pictureIdBits'] = 0;
  if (b0 & 0x80) {
    const x = payload[at++];
    if (x === undefined) return undefined;
    if (x & 0x80) {
      const p = payload[at];
      if (p === undefined) return undefined;
      pictureIdOffset = at;
      if (p & 0x80) {
        if (payload.length < at + 2) return undefined;
        pictureId = payload.readUInt16BE(at) & 0x7fff;
        pictureIdBits = 15;
        at += 2;
      } else {
        pictureId = p & 0x7f;
        pictureIdBits = 7;
        at += 1;
      }
    }
    if (x & 0x40) at++; // TL0PICIDX
    if (x & 0x30) at++; // TID / KEYIDX
  }
  if (at > payload.length) return undefined;
  return { start: (b0 & 0x10) !== 0, partitionId: b0 & 0x0f, pictureId, pictureIdOffset, pictureIdBits, length: at };
}

/**
 * The size a VP8 key frame announces, read from the first packet of a frame (RFC 6386 9.1: frame tag with
 * P=0, start code 9d 01 2a, 14-bit width and height); undefined for an inter frame or anything else.
 */
export function vp8KeyFrameSize(payload: Buffer): { width: number; height: number } | undefined {
  const d = parseVp8Descriptor(payload);
  if (!d?.start || d.partitionId !== 0) return undefined;
  const frame = payload.subarray(d.length);
  if (frame.length < 10 || ((frame[0] ?? 1) & 0x01) !== 0) return undefined;
  if (frame[3] !== 0x9d || frame[4] !== 0x01 || frame[5] !== 0x2a) return undefined;
  return { width: frame.readUInt16LE(6) & 0x3fff, height: frame.readUInt16LE(8) & 0x3fff };
}

/** Live test picture and tone from ffmpeg, forwarded as the point's SRTP streams. */
export class FfmpegSource {
  /** RTP packets sent to the hub, by kind. */
  readonly sent: Record<SourceKind, number> = { audio: 0, video: 0 };
  /** Video key frames sent (first packets of key frames), and the sizes they announced. */
  keyFramesSent = 0;
  readonly keyFrameSizes: Array<{ width: number; height: number; at: number }> = [];
  /** PLI/FIR from the hub for the video SSRC: counted, not acted on (ffmpeg makes a key frame every interval). */
  keyFrameRequests = 0;
  /** RTCP compound packets from the hub handed over with handleRtcp. */
  rtcpReceived = 0;
  senderReports = 0;
  sendErrors = 0;
  /** ffmpeg processes started (two at the start with audio and video, one more per size change). */
  spawned = 0;
  /** ffmpeg exits this source did not cause, with the end of their stderr. */
  readonly errors: string[] = [];
  readonly #options: FfmpegSourceOptions;
  readonly #srtp: SrtpEncryptor;
  readonly #srtcp: SrtcpEncryptor;
  readonly #streams: OutStream[] = [];
  readonly #tone: number;
  #width: number;
  #height: number;
  #reportTimer: NodeJS.Timeout | undefined;
  #stopTimer: NodeJS.Timeout | undefined;
  #stopAt = 0;
  #started = false;
  #stopped = false;

  constructor(options: FfmpegSourceOptions) {
    this.#options = options;
    this.#srtp = new SrtpEncryptor(options.key);
    this.#srtcp = new SrtcpEncryptor(options.key);
    this.#width = options.width ?? 1280;
    this.#height = options.height ?? 720;
    // 300–1100 Hz in 50 Hz steps: points sound different.
    this.#tone = 300 + (originTag(options.label) % 17) * 50;
  }

  get running(): boolean {
    return this.#started && !this.#stopped;
  }

  get size(): { width: number; height: number } {
    return { width: this.#width, height: this.#height };
  }

  /** Binds the local sockets and starts ffmpeg; resolves once the sockets listen (not on the first packet). */
  async start(): Promise<void> {
    if (this.#started) throw new Error('ffmpeg source already started');
    this.#started = true;
    const maxMs = this.#options.maxDurationMs ?? 120_000;
    this.#stopAt = Date.now() + maxMs;
    for (const kind of ['audio', 'video'] as const) {
      const media = this.#options[kind];
      if (!media) continue;
      const local = createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        local.once('error', reject);
        local.bind(0, '127.0.0.1', () => {
          local.off('error', reject);
          resolve();
        });
      });
      const stream: OutStream = {
        kind,
        ssrc: media.ssrc,
        payloadType: media.payloadType,
        clockRate: kind === 'audio' ? 48_000 : 90_000,
        local,
        run: undefined,
        next: undefined,
        onSwitch: undefined,
        seqOffset: undefined,
        tsOffset: 0,
        pictureIdOffset: 0,
        lastSeq: undefined,
        lastTs: 0,
        lastAt: 0,
        lastPictureId: 0,
        anchorTs: 0,
        anchorAt: 0,
        packets: 0,
        octets: 0,
      };
      local.on('message', (packet) => this.#onLocal(stream, packet));
      this.#streams.push(stream);
    }
    if (this.#stopped) {
      this.stop();
      return;
    }
    if (this.#options.pattern === 'sync') this.#spawnSync();
    else for (const s of this.#streams) s.run = this.#spawn(s);
    this.#reportTimer = setInterval(() => this.#sendReports(), SR_INTERVAL_MS);
    this.#stopTimer = setTimeout(() => this.stop(), maxMs);
    this.#stopTimer.unref();
  }

  /**
   * Changes the picture size mid-stream: a new ffmpeg with the new size takes over from its first packet
   * (a key frame), same SSRC, continuous sequence numbers and timestamps. Resolves on the switch.
   */
  setSize(width: number, height: number, timeoutMs = 10_000): Promise<void> {
    const s = this.#streams.find((x) => x.kind === 'video');
    if (!s || !this.running) return Promise.reject(new Error('no running video to resize'));
    if (this.#options.pattern === 'sync') return Promise.reject(new Error('the sync pattern keeps its size'));
    if (s.next) return Promise.reject(new Error('a size change is already under way'));
    this.#width = width;
    this.#height = height;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        s.onSwitch = undefined;
        reject(new Error(`no packet from the ${width}x${height} ffmpeg in ${timeoutMs} ms: ${this.errors.join('; ')}`));
      }, timeoutMs);
      s.onSwitch = () => {
        clearTimeout(timer);
        resolve();
      };
      s.next = this.#spawn(s);
    });
  }

  /** A plain RTCP compound packet from the hub (decrypted by the socket's owner): PLI/FIR for the video are counted. */
  handleRtcp(rtcp: Buffer): void {
    this.rtcpReceived++;
    const ssrc = this.#options.video?.ssrc;
    if (ssrc === undefined) return;
    for (let at = 0; at + 12 <= rtcp.length; ) {
      const fmt = (rtcp[at] ?? 0) & 0x1f;
      const type = rtcp[at + 1];
      const end = at + (rtcp.readUInt16BE(at + 2) + 1) * 4;
      if (type === 206 && fmt === 1 && rtcp.readUInt32BE(at + 8) === ssrc) this.keyFrameRequests++;
      if (type === 206 && fmt === 4) {
        for (let f = at + 12; f + 8 <= end; f += 8) if (rtcp.readUInt32BE(f) === ssrc) this.keyFrameRequests++;
      }
      at = end;
    }
  }

  /** Kills ffmpeg and closes the local sockets. Safe to call twice. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#reportTimer);
    clearTimeout(this.#stopTimer);
    for (const s of this.#streams) {
      for (const run of [s.run, s.next]) this.#kill(run);
      s.run = s.next = undefined;
      s.local.removeAllListeners('message');
      s.local.close();
    }
  }

  #kill(run: Run | undefined): void {
    if (!run) return;
    run.killed = true;
    run.child.kill('SIGKILL');
  }

  #spawn(s: OutStream): Run {
    const o = this.#options;
    const inSsrc = randomInt(0x1000, 0x7fffffff);
    let args: string[];
    if (s.kind === 'audio') {
      const input = `sine=frequency=${this.#tone}:sample_rate=48000`;
      args = ['-re', '-f', 'lavfi', '-i', input, '-vn', ...sourceEncoderArgs('audio', o), ...this.#rtpOut(s, inSsrc)];
    } else {
      const fps = o.fps ?? 25;
      const size = `${this.#width}x${this.#height}`;
      let graph = `testsrc2=size=${size}:rate=${fps}`;
      if (existsSync(DEFAULT_FONT)) {
        const fontSize = Math.max(12, Math.round(this.#height / 12));
        const text = drawable(`${o.label} ${size}`);
        graph +=
          `,drawtext=fontfile=${DEFAULT_FONT}:text='${text}':fontsize=${fontSize}:fontcolor=white` +
          `:box=1:boxcolor=black@0.6:x=${fontSize}:y=h-${fontSize * 2}`;
      }
      args = ['-re', '-f', 'lavfi', '-i', graph, '-an', ...sourceEncoderArgs('video', o), ...this.#rtpOut(s, inSsrc)];
    }
    return this.#launch(args, [s], [inSsrc])[0] as Run;
  }

  /** The sync pattern: one ffmpeg, one lavfi input with both kinds, one RTP output per stream (its own SSRC). */
  #spawnSync(): void {
    const o = this.#options;
    const graph = syncPatternGraph({ width: this.#width, height: this.#height, fps: o.fps ?? 25, label: o.label });
    const args = ['-re', '-f', 'lavfi', '-i', graph];
    const inSsrcs = this.#streams.map(() => randomInt(0x1000, 0x7fffffff));
    this.#streams.forEach((s, i) => {
      args.push('-map', `0:${s.kind === 'video' ? 0 : 1}`, ...sourceEncoderArgs(s.kind, o), ...this.#rtpOut(s, inSsrcs[i] as number));
    });
    const runs = this.#launch(args, this.#streams, inSsrcs);
    this.#streams.forEach((s, i) => {
      s.run = runs[i];
    });
  }

  /** The RTP output options for a stream (ffmpeg stops by itself at the source's deadline). */
  #rtpOut(s: OutStream, inSsrc: number): string[] {
    const port = s.local.address().port;
    // RTCP to the same port: this module drops ffmpeg's RTCP and sends Sender Reports of its own.
    const url = `rtp://127.0.0.1:${port}?rtcpport=${port}&pkt_size=1200`;
    // ffmpeg stops by itself at the source's deadline even if this process dies without killing it.
    const seconds = Math.max(1, Math.ceil((this.#stopAt - Date.now()) / 1000));
    return ['-t', String(seconds), '-payload_type', String(s.payloadType), '-ssrc', String(inSsrc), '-f', 'rtp', url];
  }

  /** Starts one ffmpeg feeding `streams` (one Run each, sharing the process). */
  #launch(outArgs: string[], streams: readonly OutStream[], inSsrcs: readonly number[]): Run[] {
    const o = this.#options;
    const args = ['-hide_banner', '-loglevel', 'error', '-nostdin', ...outArgs];
    const child = spawn(o.ffmpegPath ?? 'ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    track(child);
    this.spawned++;
    const runs: Run[] = streams.map((_, i) => ({
      child,
      inSsrc: inSsrcs[i] as number,
      width: this.#width,
      height: this.#height,
      killed: false,
      stderr: '',
    }));
    const what = streams.map((s) => s.kind).join('+');
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
      for (const run of runs) run.stderr = stderr;
    });
    const killed = () => runs.some((run) => run.killed);
    child.on('error', (error) => {
      if (!killed()) this.errors.push(`ffmpeg (${what}): ${error.message}`);
    });
    child.on('exit', (code, signal) => {
      // Its own -t deadline is a normal end; anything else before stop() is not.
      if (killed() || this.#stopped || Date.now() >= this.#stopAt - 1000) return;
      this.errors.push(`ffmpeg (${what}) exited ${code ?? signal}: ${stderr.trim()}`);
    });
    return runs;
  }

  #onLocal(s: OutStream, packet: Buffer): void {
    if (this.#stopped || packet.length < 12 || isRtcp(packet)) return;
    const inSsrc = rtpSsrc(packet);
    const now = performance.now();
    if (s.next && inSsrc === s.next.inSsrc) {
      this.#kill(s.run);
      s.run = s.next;
      s.next = undefined;
      s.seqOffset = undefined;
      s.onSwitch?.();
      s.onSwitch = undefined;
    }
    if (!s.run || inSsrc !== s.run.inSsrc) return; // a straggler of a run already replaced
    const seq = rtpSequenceNumber(packet);
    const ts = packet.readUInt32BE(4);
    let payload = rtpPayload(packet);
    const vp8 = s.kind === 'video' ? parseVp8Descriptor(payload) : undefined;
    if (s.seqOffset === undefined) {
      // First packet of a run: continue the outgoing numbering, or start it at random.
      const elapsedTicks = s.lastSeq === undefined ? 0 : Math.max(1, Math.round(((now - s.lastAt) * s.clockRate) / 1000));
      const nextSeq = s.lastSeq === undefined ? randomInt(0, 0x8000) : s.lastSeq + 1;
      const nextTs = s.lastSeq === undefined ? randomInt(0, 0x7fffffff) : s.lastTs + elapsedTicks;
      s.seqOffset = nextSeq - seq;
      s.tsOffset = nextTs - ts;
      const nextPictureId = s.lastSeq === undefined ? randomInt(0, 0x8000) : s.lastPictureId + 1;
      s.pictureIdOffset = nextPictureId - (vp8?.pictureId ?? 0);
      s.anchorTs = nextTs >>> 0;
      s.anchorAt = now;
    }
    const outSeq = (seq + s.seqOffset) & 0xffff;
    const outTs = (ts + s.tsOffset) >>> 0;
    if (vp8?.pictureId !== undefined && vp8.pictureIdBits === 15) {
      const pictureId = (vp8.pictureId + s.pictureIdOffset) & 0x7fff;
      payload = Buffer.from(payload);
      payload.writeUInt16BE(0x8000 | pictureId, vp8.pictureIdOffset);
      s.lastPictureId = pictureId;
    } else if (vp8?.pictureId !== undefined && vp8.pictureIdBits === 7) {
      const pictureId = (vp8.pictureId + s.pictureIdOffset) & 0x7f;
      payload = Buffer.from(payload);
      payload[vp8.pictureIdOffset] = pictureId;
      s.lastPictureId = pictureId;
    }
    if (s.kind === 'video') {
      const size = vp8KeyFrameSize(payload);
      if (size) {
        this.keyFramesSent++;
        this.keyFrameSizes.push({ ...size, at: Date.now() });
      }
    }
    const protectedPacket = this.#srtp.protect({
      payloadType: s.payloadType,
      ssrc: s.ssrc,
      sequenceNumber: outSeq,
      timestamp: outTs,
      marker: ((packet[1] ?? 0) & 0x80) !== 0,
      payload,
    });
    s.lastSeq = outSeq;
    s.lastTs = outTs;
    s.lastAt = now;
    s.packets++;
    s.octets += payload.length;
    this.sent[s.kind]++;
    this.#write(protectedPacket);
  }

  /** Sender Reports from one clock for both kinds: the run's first packet ties its timestamps to the wall clock. */
  #sendReports(): void {
    const now = performance.now();
    const wallClockMs = performance.timeOrigin + now;
    for (const s of this.#streams) {
      if (s.packets === 0) continue;
      const rtpTimestamp = (s.anchorTs + Math.round(((now - s.anchorAt) * s.clockRate) / 1000)) >>> 0;
      const report = rtcpSenderReport({ ssrc: s.ssrc, wallClockMs, rtpTimestamp, packets: s.packets, octets: s.octets });
      this.#write(this.#srtcp.protect(report));
      this.senderReports++;
    }
  }

  #write(packet: Buffer): void {
    const { ip, port } = this.#options.remote;
    this.#options.socket.send(packet, port, ip, (error) => {
      if (error) this.sendErrors++;
    });
  }
}
