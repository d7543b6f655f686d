// What this client hands mediasoup-client: the hub's transport description in its terms, the encodings of
// what it publishes (the layers of shared/rules.ts, by which the hub picks the wall's and the stage's), and
// the watch on a transport: an ICE restart first when it stays disconnected or fails, 'failed' if that does
// not bring it back.
import type { types } from 'mediasoup-client';
import type { RequestResult } from '../../shared/protocol.ts';
import type { Signal } from './signal.ts';
import { PROGRAMME_MAX_BITRATE, SIMULCAST_LAYERS } from '../../shared/rules.ts';

type WebRtcInfo = Extract<RequestResult<'media.createTransport'>, { type: 'webrtc' }>;

/** The hub's transport description in mediasoup-client's terms (candidates also under their old `ip` name). */
export function transportOptions(info: WebRtcInfo): types.TransportOptions {
  return {
    id: info.id,
    iceParameters: {
      usernameFragment: info.iceParameters.usernameFragment,
      password: info.iceParameters.password,
      iceLite: info.iceParameters.iceLite,
    },
    iceCandidates: info.iceCandidates.map((c) => ({ ...c, ip: c.address })),
    dtlsParameters: info.dtlsParameters as types.DtlsParameters,
    ...(info.iceServers ? { iceServers: info.iceServers } : {}),
    ...(info.iceTransportPolicy ? { iceTransportPolicy: info.iceTransportPolicy } : {}),
  };
}

/** The layers of shared/rules.ts (the hub picks the wall's and the stage's by index), as the browser takes them. */
export const SIMULCAST = (): RTCRtpEncodingParameters[] => SIMULCAST_LAYERS.map((layer) => ({ ...layer }));
export const PROGRAMME = (): RTCRtpEncodingParameters[] => [{ maxBitrate: PROGRAMME_MAX_BITRATE }];

/** A transport 'disconnected' this long gets an ICE restart. */
const DISCONNECTED_GRACE_MS = 5000;
/** An ICE restart that has not brought the transport back to 'connected' after this long has failed. */
const ICE_RESTART_TIMEOUT_MS = 15_000;

export interface TransportWatch {
  /** False once the media this transport belongs to has been replaced. */
  current(): boolean;
  failed(why: string): void;
  restarted(): void;
}

/** Connects `transport` through the hub and keeps it connected: ICE restarts, then 'failed'. */
export function watchTransport(transport: types.Transport, signal: Signal, watch: TransportWatch): void {
  transport.on('connect', ({ dtlsParameters }, callback, errback) => {
    signal
      .request('media.connectTransport', { transportId: transport.id, dtlsParameters: dtlsParameters as never })
      .then(() => callback(), errback);
  });
  let disconnected: ReturnType<typeof setTimeout> | undefined;
  let restarting: ReturnType<typeof setTimeout> | undefined;
  transport.on('connectionstatechange', (state) => {
    if (!watch.current()) return;
    clearTimeout(disconnected);
    if (state === 'connected') {
      clearTimeout(restarting);
      restarting = undefined;
    } else if (state === 'disconnected' && restarting === undefined) {
      disconnected = setTimeout(() => restart(), DISCONNECTED_GRACE_MS);
    } else if (state === 'failed' && restarting === undefined) {
      restart();
    }
  });
  // ICE restart first; if the transport is not connected again soon after, the media is rebuilt.
  const restart = (): void => {
    if (!watch.current() || transport.closed) return;
    restarting = setTimeout(() => {
      if (watch.current() && transport.connectionState !== 'connected') {
        watch.failed(`${transport.direction} transport not back after an ICE restart`);
      }
    }, ICE_RESTART_TIMEOUT_MS);
    watch.restarted();
    console.warn(`ICE restart of the ${transport.direction} transport (${transport.connectionState})`);
    signal
      .request('media.restartIce', { transportId: transport.id })
      .then(({ iceParameters }) => {
        if (watch.current() && !transport.closed) return transport.restartIce({ iceParameters });
      })
      .catch((error: unknown) => console.warn('ICE restart failed', error));
  };
}
