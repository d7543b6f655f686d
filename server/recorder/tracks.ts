// The track archive: while the programme is recorded, every stream that reaches the stage (the centre's
// camera, microphone and screen, the speaking point's) is also kept as it came, without re-encoding, for
// editing later: one WebM file per stream and turn (VP8 or Opus, copied by Debian's ffmpeg from the relay's
// decrypted packets, sent on to it unchanged over loopback). A video track asks for a key frame when it
// opens, so it starts with a picture. A WebM cut short (the recorder killed) still plays.
import { createSocket, type Socket } from 'node:dgram';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { MediaSource } from '../../shared/domain.ts';
import { type FfmpegProcess, spawnFfmpeg } from './ffmpeg.ts';
import { freePortPairs } from './sdp.ts';

export interface TrackSource {
  consumerId: string;
  pointId: string;
  source: MediaSource;
  kind: 'audio' | 'video';
  payloadType: number;
  /** e.g. video/VP8, audio/opus */
  mimeType: string;
  clockRate: number;
  channels?: number | undefined;
}

/** An open track as the hub lists it. */
export interface TrackInfo {
  id: string;
  pointId: string;
  source: MediaSource;
  /** Relative to the recordings folder. */
  path: string;
  startedAt: number;
}

interface Track {
  info: TrackInfo;
  port: number;
  ffmpeg: FfmpegProcess;
  workDir: string;
}

const stamp = (at: number): string => new Date(at).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');

/** The SDP of one stream as ffmpeg reads it. */
export function trackSdp(t: TrackSource, port: number): string {
  const media = t.kind === 'video' ? 'video' : 'audio';
  const codec = t.mimeType.split('/')[1] ?? '';
  const channels = t.kind === 'audio' && t.channels ? `/${t.channels}` : '';
  return [
    'v=0',
    'o=- 0 0 IN IP4 127.0.0.1',
    's=diemcau track',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=${media} ${port} RTP/AVP ${t.payloadType}`,
    `a=rtpmap:${t.payloadType} ${codec}/${t.clockRate}${channels}`,
    `a=rtcp:${port + 1}`,
    'a=recvonly',
    '',
  ].join('\r\n');
}

/**
 * `q` (read between packets), then SIGINT, then SIGKILL after 1.5 s; a WebM
 * cut short still plays (its duration is then read from its last packet).
 */
async function finish(ffmpeg: FfmpegProcess): Promise<{ code: number | null; stderr: string[] }> {
  if (ffmpeg.stdin.writable) ffmpeg.stdin.write('q');
  const interrupt = setTimeout(() => ffmpeg.child.kill('SIGINT'), 500);
  const timer = setTimeout(() => ffmpeg.child.kill('SIGKILL'), 1500);
  const exit = await ffmpeg.exited;
  clearTimeout(interrupt);
  clearTimeout(timer);
  return exit;
}

export class TrackArchive {
  readonly #root: string;
  readonly #log: Logger;
  readonly #requestKeyFrame: (consumerId: string) => void;
  readonly #tracks = new Map<string, Track>();
  readonly #opening = new Set<string>();
  #socket: Socket | undefined;

  constructor(root: string, requestKeyFrame: (consumerId: string) => void, log: Logger) {
    this.#root = root;
    this.#requestKeyFrame = requestKeyFrame;
    this.#log = log;
  }

  /** The open tracks. */
  list(): TrackInfo[] {
    return [...this.#tracks.values()].map((t) => t.info);
  }

  has(consumerId: string): boolean {
    return this.#tracks.has(consumerId) || this.#opening.has(consumerId);
  }

  /** Opens a track of `source` in `folder` (relative to the recordings folder). */
  async open(folder: string, source: TrackSource): Promise<void> {
    if (this.has(source.consumerId)) return;
    this.#opening.add(source.consumerId);
    try {
      const [pair] = await freePortPairs(1);
      if (!pair) throw new Error('no free port for a track');
      const startedAt = Date.now();
      const name = `${source.pointId}-${source.source}-${stamp(startedAt)}-${source.consumerId.slice(0, 8)}.webm`;
      const path = join(folder, name);
      const absolute = join(this.#root, path);
      await mkdir(dirname(absolute), { recursive: true });
      const workDir = await mkdtemp(join(tmpdir(), 'diemcau-track-'));
      const sdpFile = join(workDir, 'track.sdp');
      await writeFile(sdpFile, trackSdp(source, pair.rtpPort));
      const ffmpeg = spawnFfmpeg([
        ...['-hide_banner', '-nostats', '-loglevel', 'error', '-protocol_whitelist', 'file,udp,rtp'],
        // A short probe: the SDP says the codec, and a long one (5 s by default) would keep a short turn unwritten.
        ...['-analyzeduration', '500000', '-probesize', '32768', '-reorder_queue_size', '50', '-i', sdpFile],
        // Clusters of at most 0.5 s, written at once: ffmpeg reading RTP ignores q and SIGINT once the packets
        // stop (the turn is over), so a track usually ends killed; it keeps all but its last half second.
        ...['-map', '0', '-c', 'copy', '-flush_packets', '1', '-cluster_time_limit', '500', '-f', 'webm', '-y', absolute],
      ]);
      this.#socket ??= await new Promise<Socket>((resolve) => {
        const socket = createSocket('udp4');
        socket.bind(0, '127.0.0.1', () => resolve(socket));
      });
      if (!this.#opening.delete(source.consumerId)) {
        await finish(ffmpeg);
        return;
      }
      const info: TrackInfo = { id: source.consumerId, pointId: source.pointId, source: source.source, path, startedAt };
      this.#tracks.set(source.consumerId, { info, port: pair.rtpPort, ffmpeg, workDir });
      if (source.kind === 'video') setTimeout(() => this.#requestKeyFrame(source.consumerId), 300);
      this.#log.info({ path, consumerId: source.consumerId }, 'track opened');
    } catch (error) {
      this.#opening.delete(source.consumerId);
      this.#log.error({ err: error, consumerId: source.consumerId }, 'track not opened');
    }
  }

  /** A packet of a consumer, as it came: on to its track's writer if one is open. */
  feed(consumerId: string, rtp: Buffer): void {
    const track = this.#tracks.get(consumerId);
    if (track && this.#socket) this.#socket.send(rtp, track.port, '127.0.0.1');
  }

  async close(consumerId: string): Promise<void> {
    this.#opening.delete(consumerId);
    const track = this.#tracks.get(consumerId);
    if (!track) return;
    this.#tracks.delete(consumerId);
    const exit = await finish(track.ffmpeg);
    await rm(track.workDir, { recursive: true, force: true });
    this.#log.info({ path: track.info.path, code: exit.code, stderr: exit.stderr.slice(-4) }, 'track closed');
  }

  async closeAll(): Promise<void> {
    this.#opening.clear();
    await Promise.all([...this.#tracks.keys()].map((id) => this.close(id)));
    this.#socket?.close();
    this.#socket = undefined;
  }
}
