// The join storm's schedule, shared by the bare baseline (joins made on the router in the main thread)
// and the hub's clients (run in their own thread, storm-clients.ts, so that the test clients do not eat
// the hub's event loop): N joins spread over a window, each with a deadline, each timed from its start to
// its first broadcast packet; a join that fails or does not finish records the step it was at.
import { createSocket, type Socket } from 'node:dgram';
import type { WebRtcReceiver } from './webrtc.ts';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Where one join is: the step it is at (for failures) is updated as it goes. */
export interface Progress {
  step: string;
}

export interface Sample {
  kind: 'plain' | 'webrtc';
  ms: number | null;
  /** The step a failed join was at. */
  failedAt?: string;
}

export interface StormJoins {
  /** Joins one plain point that receives at `port`; resolves when the join is done on the server. */
  join(index: number, port: number, progress: Progress): Promise<void>;
  /** Joins one full WebRTC point; resolves with its receiver once negotiated. */
  joinWebRtc(index: number, progress: Progress): Promise<WebRtcReceiver>;
}

/** A UDP socket that resolves with the time of its first datagram (null if none came), then stops listening. */
async function firstPacket(timeoutMs: number): Promise<{ port: number; arrived: Promise<number | null>; close: () => void }> {
  const socket: Socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  let closed = false;
  const close = (): void => {
    if (!closed) socket.close();
    closed = true;
  };
  const arrived = new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      close();
      resolve(null);
    }, timeoutMs);
    socket.once('message', () => {
      clearTimeout(timer);
      resolve(performance.now());
      close();
    });
  });
  return { port: socket.address().port, arrived, close };
}

/**
 * Resolves with `work`'s value, or with null after `ms` (the work is left to finish or fail on its own) or
 * when it fails; the failure's message (its code for hub errors) goes into `progress.step`.
 */
function within<T>(work: Promise<T>, ms: number, progress: Progress): Promise<T | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      progress.step += ' (no answer)';
      resolve(null);
    }, ms);
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (error: unknown) => {
        clearTimeout(timer);
        progress.step += ` (${String((error as Error).message).split(':')[0]})`;
        resolve(null);
      },
    );
  });
}

/** Runs `points` joins spread evenly over `windowS`; `webrtc` of them (spread through) are WebRTC. */
export async function runStorm(joins: StormJoins, points: number, windowS: number, webrtc: number, timeoutMs: number): Promise<Sample[]> {
  const every = webrtc > 0 ? Math.max(1, Math.floor(points / webrtc)) : 0;
  const isWebRtc = (i: number): boolean => every > 0 && i % every === Math.floor(every / 2) && i / every < webrtc;
  return Promise.all(
    Array.from({ length: points }, async (_, i): Promise<Sample> => {
      await sleep((i / points) * windowS * 1000);
      const progress: Progress = { step: 'start' };
      const start = performance.now();
      if (isWebRtc(i)) {
        const negotiated = joins.joinWebRtc(i, progress).then((r) => {
          progress.step = 'first packet';
          return r.firstPacket(timeoutMs);
        });
        const at = await within(negotiated, timeoutMs, progress);
        return at === null ? { kind: 'webrtc', ms: null, failedAt: progress.step } : { kind: 'webrtc', ms: at - start };
      }
      const probe = await firstPacket(timeoutMs);
      const joined = await within(
        joins.join(i, probe.port, progress).then(() => true),
        timeoutMs,
        progress,
      );
      if (joined === null) {
        probe.close();
        return { kind: 'plain', ms: null, failedAt: progress.step };
      }
      const at = await probe.arrived;
      return at === null ? { kind: 'plain', ms: null, failedAt: 'first packet' } : { kind: 'plain', ms: at - start };
    }),
  );
}
