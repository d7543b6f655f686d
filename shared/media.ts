// Wire schemas for the WebRTC/RTP parameters that clients send (mediasoup-client produces the same
// shapes). Bounded in size and checked here; mediasoup checks the semantics again on use.
import { z } from 'zod';

const id = z.string().min(1).max(64);
const paramValue = z.union([z.string().max(256), z.number(), z.boolean()]);
const params = z.record(z.string().max(64), paramValue).refine((p) => Object.keys(p).length <= 32, 'too many parameters');

export const MediaKind = z.enum(['audio', 'video']);
export type MediaKind = z.infer<typeof MediaKind>;

export const RtcpFeedback = z.object({ type: z.string().max(32), parameter: z.string().max(32).optional() });

export const RtpCodecCapability = z.object({
  kind: MediaKind,
  mimeType: z.string().max(64),
  preferredPayloadType: z.number().int().min(0).max(127),
  clockRate: z.number().int().positive(),
  channels: z.number().int().min(1).max(8).optional(),
  parameters: params.optional(),
  rtcpFeedback: z.array(RtcpFeedback).max(16).optional(),
});

export const RtpHeaderExtension = z.object({
  kind: MediaKind,
  uri: z.string().max(256),
  preferredId: z.number().int().min(1).max(255),
  preferredEncrypt: z.boolean().optional(),
  direction: z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive']).optional(),
});

export const RtpCapabilities = z.object({
  codecs: z.array(RtpCodecCapability).max(64).optional(),
  headerExtensions: z.array(RtpHeaderExtension).max(32).optional(),
});
export type RtpCapabilities = z.infer<typeof RtpCapabilities>;

export const RtpParameters = z.object({
  mid: z.string().max(32).optional(),
  codecs: z
    .array(
      z.object({
        mimeType: z.string().max(64),
        payloadType: z.number().int().min(0).max(127),
        clockRate: z.number().int().positive(),
        channels: z.number().int().min(1).max(8).optional(),
        parameters: params.optional(),
        rtcpFeedback: z.array(RtcpFeedback).max(16).optional(),
      }),
    )
    .min(1)
    .max(16),
  headerExtensions: z
    .array(
      z.object({
        uri: z.string().max(256),
        id: z.number().int().min(1).max(255),
        encrypt: z.boolean().optional(),
        parameters: params.optional(),
      }),
    )
    .max(32)
    .optional(),
  encodings: z
    .array(
      z.object({
        ssrc: z.number().int().min(0).max(0xffffffff).optional(),
        rid: z.string().max(32).optional(),
        codecPayloadType: z.number().int().min(0).max(127).optional(),
        rtx: z.object({ ssrc: z.number().int().min(0).max(0xffffffff) }).optional(),
        dtx: z.boolean().optional(),
        scalabilityMode: z.string().max(16).optional(),
        maxBitrate: z.number().int().positive().optional(),
      }),
    )
    .max(4)
    .optional(),
  rtcp: z.object({ cname: z.string().max(256).optional(), reducedSize: z.boolean().optional() }).optional(),
  msid: z.string().max(256).optional(),
});
export type RtpParameters = z.infer<typeof RtpParameters>;

export const DtlsParameters = z.object({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z
    .array(
      z.object({
        algorithm: z.enum(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']),
        value: z.string().regex(/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){15,63}$/),
      }),
    )
    .min(1)
    .max(5),
});
export type DtlsParameters = z.infer<typeof DtlsParameters>;

export const SrtpCryptoSuite = z.enum(['AEAD_AES_256_GCM', 'AEAD_AES_128_GCM', 'AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32']);
export const SrtpParameters = z.object({ cryptoSuite: SrtpCryptoSuite, keyBase64: z.string().max(128) });
export type SrtpParameters = z.infer<typeof SrtpParameters>;

/** What the hub tells a client about a transport it created for it. */
/** A WebRTC transport's ICE username and password (new ones after an ICE restart). */
export const IceParameters = z.object({ usernameFragment: z.string(), password: z.string(), iceLite: z.boolean().optional() });

/** TURN servers for the client's side of a WebRTC transport (points behind strict firewalls), when the hub has them. */
export const IceSettings = z.object({
  iceServers: z
    .array(z.object({ urls: z.array(z.string().max(256)).min(1).max(8), username: z.string().max(256), credential: z.string().max(256) }))
    .max(4)
    .optional(),
  iceTransportPolicy: z.enum(['all', 'relay']).optional(),
});
export type IceSettings = z.infer<typeof IceSettings>;

export const WebRtcTransportInfo = z.object({
  type: z.literal('webrtc'),
  id,
  iceParameters: IceParameters,
  iceCandidates: z.array(
    z.object({
      foundation: z.string(),
      priority: z.number(),
      address: z.string(),
      protocol: z.enum(['udp', 'tcp']),
      port: z.number(),
      type: z.enum(['host', 'srflx', 'prflx', 'relay']),
      tcpType: z.enum(['active', 'passive', 'so']).optional(),
    }),
  ),
  dtlsParameters: DtlsParameters,
  ...IceSettings.shape,
});

/** Plain RTP transport, for hardware encoders, ffmpeg and load generators: SRTP always on. */
export const PlainTransportInfo = z.object({
  type: z.literal('plain'),
  id,
  ip: z.string(),
  port: z.number().int(),
  srtpParameters: SrtpParameters,
});

export const TransportInfo = z.discriminatedUnion('type', [WebRtcTransportInfo, PlainTransportInfo]);
export type TransportInfo = z.infer<typeof TransportInfo>;
