// Media requests: capabilities, transports, producing, consumers, ICE restarts and rebuilds, levels.
import { z } from 'zod';
import { MediaSource } from '../domain.ts';
import { DtlsParameters, IceParameters, MediaKind, RtpCapabilities, RtpParameters, SrtpParameters, TransportInfo } from '../media.ts';
import { ALL_ROLES, LEVEL_REPORTERS, PUBLISHERS, RECORDERS } from '../rules.ts';
import { type RequestTable, id, empty } from './common.ts';

export const mediaRequests = {
  'media.setCapabilities': {
    params: z.object({ rtpCapabilities: RtpCapabilities }).strict(),
    result: empty,
    roles: ALL_ROLES,
  },
  'media.createTransport': {
    params: z.object({ direction: z.enum(['send', 'recv']), type: z.enum(['webrtc', 'plain']).default('webrtc') }).strict(),
    result: TransportInfo,
    roles: ALL_ROLES,
  },
  'media.connectTransport': {
    params: z.union([
      z.object({ transportId: id, dtlsParameters: DtlsParameters }).strict(),
      z
        .object({
          transportId: id,
          /** Where the hub sends to (receiving plain transports); senders are learnt from their first packet. */
          ip: z.union([z.ipv4(), z.ipv6()]).optional(),
          port: z.number().int().min(1).max(65535).optional(),
          srtpParameters: SrtpParameters,
        })
        .strict(),
    ]),
    result: empty,
    roles: ALL_ROLES,
  },
  'media.produce': {
    params: z.object({ transportId: id, kind: MediaKind, source: MediaSource, rtpParameters: RtpParameters }).strict(),
    result: z.object({ producerId: z.string() }),
    roles: PUBLISHERS,
  },
  /** Stops this session's screen sharing (the browser's "stop sharing", the console's button, the tab closing). */
  'media.closeProducer': {
    params: z.object({ source: z.enum(['screen']) }).strict(),
    result: empty,
    roles: PUBLISHERS,
  },
  /** The microphone level a point hears itself (dBov), twice a second: the wall shows it while the hub pauses that point's audio. */
  'media.reportLevel': {
    params: z.object({ volume: z.number().min(-127).max(0) }).strict(),
    result: empty,
    roles: LEVEL_REPORTERS,
  },
  /** A key frame of one of this session's video consumers (the recorder, switching its mix to that picture). */
  'media.requestKeyFrame': {
    params: z.object({ consumerId: id }).strict(),
    result: empty,
    roles: RECORDERS,
  },
  'media.resumeConsumer': {
    params: z.object({ consumerId: id }).strict(),
    result: empty,
    roles: ALL_ROLES,
  },
  /** New ICE credentials for one of this session's own WebRTC transports, after its connection failed or stalled. */
  'media.restartIce': {
    params: z.object({ transportId: id }).strict(),
    result: z.object({ iceParameters: IceParameters }),
    roles: ALL_ROLES,
  },
  /** Drops this session's transports, producers and consumers at the hub; `media.restart` follows, to build them again. */
  'media.rebuild': { params: empty, result: empty, roles: ALL_ROLES },
} as const satisfies RequestTable;
