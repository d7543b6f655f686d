// The centre's broadcast through the hub's own protocol: the host opens a plain SRTP sending transport and
// produces the recording's Opus and VP8 streams on it; the Replayer then sends to the address returned.
import type { SignalClient } from '../../../test/helpers/signal-client.ts';
import { must } from '../../../test/helpers/signal-client.ts';
import { newSrtpKey, type SrtpKey } from '../../../test/helpers/srtp.ts';
import { AUDIO_PT, VIDEO_PT } from './source.ts';

export const AUDIO_SSRC = 1111;
export const VIDEO_SSRC = 2222;

export async function publishBroadcast(host: SignalClient): Promise<{ ip: string; port: number; srtp: SrtpKey }> {
  const send = await must(host.request('media.createTransport', { direction: 'send', type: 'plain' }));
  if (send.type !== 'plain') throw new Error('expected a plain transport');
  const srtp = newSrtpKey();
  await must(host.request('media.connectTransport', { transportId: send.id, srtpParameters: srtp }));
  await must(host.request('media.produce', { transportId: send.id, kind: 'audio', source: 'microphone', rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: AUDIO_PT, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: AUDIO_SSRC }] } }));
  await must(host.request('media.produce', { transportId: send.id, kind: 'video', source: 'camera', rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: VIDEO_PT, clockRate: 90000 }], encodings: [{ ssrc: VIDEO_SSRC }] } }));
  return { ip: send.ip, port: send.port, srtp };
}
