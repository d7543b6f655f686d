// The SDP the mixer's ffmpeg reads to receive the relay's four streams (relay.ts), and free local ports.
// Stream order, which is ffmpeg's input stream index: 0 = video `main`, 1 = video `second`, 2 = audio
// `centre`, 3 = audio `floor`. Video is RTP/AVPF with nack and nack pli, so ffmpeg sends a PLI when it
// misses a packet; every stream has its RTCP on its own port (a=rtcp), where the relay's sender reports go.
// ffmpeg needs `-protocol_whitelist file,udp,rtp` to read this from a file, and sends its RTCP back to the
// relay only with `-sdp_flags rtcp_to_source` (otherwise to the SDP's address, which is ffmpeg itself).
import { createSocket, type Socket } from 'node:dgram';

export type VideoOutput = 'main' | 'second';
export type AudioOutput = 'centre' | 'floor';
export const VIDEO_OUTPUTS: readonly VideoOutput[] = ['main', 'second'];
export const AUDIO_OUTPUTS: readonly AudioOutput[] = ['centre', 'floor'];
/** The payload types of the relay's outputs. */
export const VIDEO_PT = 96;
export const AUDIO_PT = 111;
export interface PortPair {
  rtpPort: number;
  rtcpPort: number;
}
/** Where ffmpeg listens for each output. */
export interface StageTargets {
  video: Record<VideoOutput, PortPair>;
  audio: Record<AudioOutput, PortPair>;
}

/** The ffmpeg input stream index of each output. */
export const STREAM_INDEX = { main: 0, second: 1, centre: 2, floor: 3 } as const;

export function stageSdp(targets: StageTargets, host = '127.0.0.1'): string {
  const video = (name: VideoOutput, p: PortPair) => [
    `m=video ${p.rtpPort} RTP/AVPF ${VIDEO_PT}`,
    `a=rtpmap:${VIDEO_PT} VP8/90000`,
    `a=rtcp-fb:${VIDEO_PT} nack`,
    `a=rtcp-fb:${VIDEO_PT} nack pli`,
    `a=rtcp:${p.rtcpPort}`,
    `a=label:${name}`,
    'a=recvonly',
  ];
  const audio = (name: AudioOutput, p: PortPair) => [
    `m=audio ${p.rtpPort} RTP/AVP ${AUDIO_PT}`,
    `a=rtpmap:${AUDIO_PT} opus/48000/2`,
    `a=rtcp:${p.rtcpPort}`,
    `a=label:${name}`,
    'a=recvonly',
  ];
  const lines = [
    'v=0',
    `o=- 0 0 IN IP4 ${host}`,
    's=diemcau stage',
    `c=IN IP4 ${host}`,
    't=0 0',
    ...video('main', targets.video.main),
    ...video('second', targets.video.second),
    ...audio('centre', targets.audio.centre),
    ...audio('floor', targets.audio.floor),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

function bindUdp(port: number, host: string): Promise<Socket | undefined> {
  const socket = createSocket('udp4');
  return new Promise((resolve) => {
    socket.once('error', () => {
      socket.close();
      resolve(undefined);
    });
    socket.bind(port, host, () => resolve(socket));
  });
}

/**
 * `n` port pairs (an even RTP port, RTCP on the next one) that are free on `host` right now. They are
 * released before returning, so whoever binds them next (ffmpeg) should do so soon.
 */
export async function freePortPairs(n: number, host = '127.0.0.1'): Promise<PortPair[]> {
  const pairs: PortPair[] = [];
  const held: Socket[] = [];
  try {
    for (let attempt = 0; pairs.length < n && attempt < 200; attempt++) {
      // An ephemeral port from the system, rounded down to even, and its neighbour.
      const probe = await bindUdp(0, host);
      if (!probe) continue;
      const port = probe.address().port & ~1;
      probe.close();
      if (port < 1024) continue;
      const rtp = await bindUdp(port, host);
      const rtcp = rtp && (await bindUdp(port + 1, host));
      if (rtp) held.push(rtp);
      if (rtp && rtcp) {
        held.push(rtcp);
        pairs.push({ rtpPort: port, rtcpPort: port + 1 });
      }
    }
  } finally {
    await Promise.all(held.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
  if (pairs.length < n) throw new Error(`no ${n} free UDP port pairs on ${host}`);
  return pairs;
}
