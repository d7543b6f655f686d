// The relay's state and settings: its timings, the Opus silence frame, and the state kept per video and audio
// output and per consumer (see relay.ts).
import { JitterQueue } from './rtp.ts';
import type { PortPair } from './sdp.ts';

export interface ConsumerInfo {
  consumerId: string;
  kind: 'audio' | 'video';
  ssrc: number;
  payloadType: number;
}
export const TARGET_HOST = '127.0.0.1';
export const AUDIO_FRAME_MS = 20;
export const FILLER_FRAME_MS = 40;
export const STALL_MS = 500;
export const HOLD_MS = 1500;
export const LATE_TICK_MS = 100;
export const SWITCH_REQUEST_MS = 250;
export const PLI_THROTTLE_MS = 300;
export const SR_INTERVAL_MS = 500;
/** Frames queued before an audio source is played (after a switch or an underrun), and the most kept. */
export const AUDIO_PRIME = 2;
export const AUDIO_QUEUE_MAX = 6;
/**
 * One 20 ms Opus frame of silence: TOC 0xf8 (CELT-only, fullband, 20 ms, mono, one frame) and a two-byte
 * frame that decodes to all-zero samples; ffmpeg decodes it as silence on a 48 kHz stereo stream.
 */
export const OPUS_SILENCE = Buffer.from([0xf8, 0xff, 0xfe]);
export const random32 = () => Math.floor(Math.random() * 2 ** 32);
export const random16 = () => Math.floor(Math.random() * 2 ** 16);
export const none = null as string | null;
export const unset = undefined as number | undefined;
export const counters = () => ({ ssrc: random32(), seq: random16(), packets: 0, octets: 0, frames: 0, switches: 0 });

/** A video output: `wanted` is the routed source, `active` the one forwarded now (null: the filler). */
export const videoState = (target: PortPair) => ({
  ...counters(),
  ...{ target, wanted: none, active: none, losses: 0, fillerFrames: 0, keyFrameRequests: 0 },
  /** The active source lost a packet: nothing of it is forwarded until its next key frame. */
  awaitingKey: false,
  ...{ lastInSeq: unset, seqOffset: 0, lastTs: -1, frameInTs: unset, frameOutTs: 0, prevInTs: unset, prevOutTs: 0 },
  ...{ lastForwardAt: 0, lastRequestAt: -Infinity, lastPliAt: -Infinity, nextFillerAt: 0 },
});
export const audioState = (target: PortPair) => ({
  ...counters(),
  ...{ target, source: none, queue: new JitterQueue(AUDIO_PRIME, AUDIO_QUEUE_MAX), silenceFrames: 0 },
});
export type VideoState = ReturnType<typeof videoState>;
export type AudioState = ReturnType<typeof audioState>;
export interface ConsumerState extends ConsumerInfo {
  packetsIn: number;
  authFailures: number;
  lastPacketAt: number | undefined;
}
