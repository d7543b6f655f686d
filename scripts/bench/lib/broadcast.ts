// The centre's broadcast, the recording's Opus and VP8 streams, published two ways: through the hub's own
// protocol (the host opens a plain SRTP sending transport and produces on it) and, for the bare
// baselines, on a mediasoup router directly. The Replayer then sends to the address returned.
import type { types } from 'mediasoup';
import { must, type HubClient } from '../../lib/hub-client.ts';
import { newSrtpKey, SRTP_SUITE, type SrtpKey } from '../../lib/srtp.ts';
import { AUDIO_PT, VIDEO_PT } from './source.ts';

export const AUDIO_SSRC = 1111;
export const VIDEO_SSRC = 2222;

/** Where the Replayer sends the broadcast. */
export interface BroadcastIngress {
  ip: string;
  port: number;
  srtp: SrtpKey;
}

/** One stream's RTP parameters: the part both the hub's wire schema and mediasoup's own type accept. */
interface Stream {
  kind: 'audio' | 'video';
  source: 'microphone' | 'camera';
  rtpParameters: {
    codecs: Array<{ mimeType: string; payloadType: number; clockRate: number; channels?: number }>;
    encodings: Array<{ ssrc: number }>;
  };
}

const STREAMS: readonly Stream[] = [
  {
    kind: 'audio',
    source: 'microphone',
    rtpParameters: {
      codecs: [{ mimeType: 'audio/opus', payloadType: AUDIO_PT, clockRate: 48000, channels: 2 }],
      encodings: [{ ssrc: AUDIO_SSRC }],
    },
  },
  {
    kind: 'video',
    source: 'camera',
    rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: VIDEO_PT, clockRate: 90000 }], encodings: [{ ssrc: VIDEO_SSRC }] },
  },
];

export async function publishBroadcast(host: HubClient): Promise<BroadcastIngress> {
  const send = await must(host.request('media.createTransport', { direction: 'send', type: 'plain' }));
  if (send.type !== 'plain') throw new Error('expected a plain transport');
  const srtp = newSrtpKey();
  await must(host.request('media.connectTransport', { transportId: send.id, srtpParameters: srtp }));
  for (const stream of STREAMS) {
    await must(
      host.request('media.produce', {
        transportId: send.id,
        kind: stream.kind,
        source: stream.source,
        rtpParameters: stream.rtpParameters,
      }),
    );
  }
  return { ip: send.ip, port: send.port, srtp };
}

/** The same broadcast on a bare `router`: a plain SRTP ingress producing both streams, piped to `others`. */
export async function bareBroadcast(
  router: types.Router,
  others: readonly types.Router[] = [],
): Promise<{ ingress: BroadcastIngress; producers: types.Producer[] }> {
  const srtp = newSrtpKey();
  const transport = await router.createPlainTransport({
    listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
    rtcpMux: true,
    comedia: true,
    enableSrtp: true,
    srtpCryptoSuite: SRTP_SUITE,
  });
  await transport.connect({ srtpParameters: srtp });
  const producers: types.Producer[] = [];
  for (const stream of STREAMS) producers.push(await transport.produce({ kind: stream.kind, rtpParameters: stream.rtpParameters }));
  for (const other of others) for (const p of producers) await router.pipeToRouter({ producerId: p.id, router: other });
  return { ingress: { ip: '127.0.0.1', port: transport.tuple.localPort, srtp }, producers };
}
