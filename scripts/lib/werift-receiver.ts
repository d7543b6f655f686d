// A headless WebRTC receiver in Node (werift) for a mediasoup WebRtcTransport: mediasoup's consumers are
// written as an SDP offer (mediasoup is ICE-lite, werift answers and drives ICE), werift's answer gives the
// DTLS fingerprint and role back to the transport. Packets arrive decrypted through werift's SRTP.
import type { types } from 'mediasoup';
import { RTCPeerConnection, RTCRtpCodecParameters, type MediaStreamTrack, type RtpPacket } from 'werift';

function codecLines(codec: types.RtpCodecParameters): string[] {
  const [, name] = codec.mimeType.split('/');
  const channels = codec.channels && codec.channels > 1 ? `/${codec.channels}` : '';
  const lines = [`a=rtpmap:${codec.payloadType} ${name}/${codec.clockRate}${channels}`];
  const params = Object.entries(codec.parameters ?? {}).map(([k, v]) => `${k}=${String(v)}`);
  if (params.length > 0) lines.push(`a=fmtp:${codec.payloadType} ${params.join(';')}`);
  for (const fb of codec.rtcpFeedback ?? []) {
    lines.push(`a=rtcp-fb:${codec.payloadType} ${fb.type}${fb.parameter ? ` ${fb.parameter}` : ''}`);
  }
  return lines;
}

/** Writes the SDP offer in which mediasoup sends `consumers` over `transport`. */
export function consumerOffer(transport: types.WebRtcTransport, consumers: types.Consumer[]): string {
  const fingerprint = transport.dtlsParameters.fingerprints.find((f) => f.algorithm === 'sha-256');
  if (!fingerprint) throw new Error('transport has no sha-256 fingerprint');
  const mids = consumers.map((c) => c.rtpParameters.mid ?? '');
  const sdp = [
    'v=0',
    'o=mediasoup 1 1 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=ice-lite',
    `a=group:BUNDLE ${mids.join(' ')}`,
    'a=msid-semantic: WMS *',
    `a=fingerprint:sha-256 ${fingerprint.value}`,
  ];
  for (const consumer of consumers) {
    const { codecs, encodings, headerExtensions, rtcp, mid } = consumer.rtpParameters;
    const encoding = encodings?.[0];
    if (!encoding?.ssrc) throw new Error('consumer has no ssrc');
    sdp.push(
      `m=${consumer.kind} 7 UDP/TLS/RTP/SAVPF ${codecs.map((c) => c.payloadType).join(' ')}`,
      'c=IN IP4 127.0.0.1',
      `a=mid:${mid}`,
      'a=sendonly',
      `a=ice-ufrag:${transport.iceParameters.usernameFragment}`,
      `a=ice-pwd:${transport.iceParameters.password}`,
      'a=setup:actpass',
      'a=rtcp-mux',
      'a=rtcp-rsize',
    );
    for (const codec of codecs) sdp.push(...codecLines(codec));
    for (const ext of headerExtensions ?? []) sdp.push(`a=extmap:${ext.id} ${ext.uri}`);
    const cname = rtcp?.cname ?? 'diemcau';
    const ssrcs = [encoding.ssrc, ...(encoding.rtx?.ssrc ? [encoding.rtx.ssrc] : [])];
    if (ssrcs.length > 1) sdp.push(`a=ssrc-group:FID ${ssrcs.join(' ')}`);
    for (const ssrc of ssrcs) sdp.push(`a=ssrc:${ssrc} cname:${cname}`, `a=ssrc:${ssrc} msid:diemcau ${consumer.id}`);
    for (const c of transport.iceCandidates) {
      const tcp = c.protocol === 'tcp' ? ` tcptype ${c.tcpType ?? 'passive'}` : '';
      sdp.push(`a=candidate:${c.foundation} 1 ${c.protocol} ${c.priority} ${c.address} ${c.port} typ host${tcp}`);
    }
    sdp.push('a=end-of-candidates');
  }
  return `${sdp.join('\r\n')}\r\n`;
}

export interface WeriftReceiver {
  readonly pc: RTCPeerConnection;
  /** Packets received so far, by track kind. */
  readonly packets: Record<'audio' | 'video', RtpPacket[]>;
  /** Resolves when werift's ICE and DTLS are connected. */
  connected(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A werift peer that receives Opus and VP8 (with NACK, PLI and FIR) over loopback IPv4. */
export function receivingPeer(): RTCPeerConnection {
  return new RTCPeerConnection({
    codecs: {
      audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 })],
      video: [
        new RTCRtpCodecParameters({
          mimeType: 'video/VP8',
          clockRate: 90000,
          rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
        }),
      ],
    },
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
  });
}

/** Negotiates a werift peer that receives `consumers` from `transport`, and connects the transport. */
export async function connectWeriftReceiver(transport: types.WebRtcTransport, consumers: types.Consumer[]): Promise<WeriftReceiver> {
  const pc = receivingPeer();
  const packets: WeriftReceiver['packets'] = { audio: [], video: [] };
  pc.onTrack.subscribe((track: MediaStreamTrack) => {
    track.onReceiveRtp.subscribe((rtp) => {
      packets[track.kind as 'audio' | 'video'].push(rtp);
    });
  });

  await pc.setRemoteDescription({ type: 'offer', sdp: consumerOffer(transport, consumers) });
  const answer = await pc.createAnswer();
  await pc.setLocalDescription(answer);

  const sdp = pc.localDescription?.sdp ?? '';
  const fingerprint = /a=fingerprint:sha-256 ([0-9A-Fa-f:]+)/.exec(sdp)?.[1];
  const setup = /a=setup:(active|passive)/.exec(sdp)?.[1];
  if (!fingerprint || !setup) throw new Error(`werift answer without fingerprint or setup:\n${sdp}`);
  // The role named is the remote (werift) side's: setup:active means werift is the DTLS client.
  await transport.connect({
    dtlsParameters: {
      role: setup === 'active' ? 'client' : 'server',
      fingerprints: [{ algorithm: 'sha-256', value: fingerprint.toUpperCase() }],
    },
  });

  return {
    pc,
    packets,
    connected: (timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        if (pc.connectionState === 'connected') return resolve();
        const timer = setTimeout(
          () => reject(new Error(`werift not connected after ${timeoutMs} ms (state ${pc.connectionState})`)),
          timeoutMs,
        );
        const sub = pc.connectionStateChange.subscribe((state) => {
          if (state === 'connected') {
            clearTimeout(timer);
            sub.unSubscribe();
            resolve();
          } else if (state === 'failed' || state === 'closed') {
            clearTimeout(timer);
            reject(new Error(`werift connection ${state}`));
          }
        });
      }),
    close: () => pc.close(),
  };
}
