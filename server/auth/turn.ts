// TURN for points behind strict firewalls: short-lived credentials in coturn's shared-secret scheme
// ("TURN REST API": coturn started with use-auth-secret and static-auth-secret). The username is the
// expiry time in Unix seconds and the point, the password the base64 HMAC-SHA1 of the username under
// the shared secret, so coturn checks them without asking the hub and they stop working by themselves.
import { createHmac } from 'node:crypto';
import type { IceSettings } from '../../shared/media.ts';

export interface TurnSettings {
  /** turn:/turns: addresses given to clients; empty: no TURN. */
  urls: readonly string[];
  /** coturn's static-auth-secret. */
  secret: string;
  /** How long a credential given out with a transport stays valid. */
  ttlSeconds: number;
  /** Clients use relayed candidates only (tests, or networks where only the TURN server is reachable). */
  relayOnly: boolean;
}

/** What a client's WebRTC transports get for a point: nothing when TURN is not configured. */
export function iceSettingsFor(turn: TurnSettings, pointId: string, now = Date.now()): IceSettings {
  if (turn.urls.length === 0) return {};
  const username = `${Math.floor(now / 1000) + turn.ttlSeconds}:${pointId}`;
  const credential = createHmac('sha1', turn.secret).update(username).digest('base64');
  return {
    iceServers: [{ urls: [...turn.urls], username, credential }],
    iceTransportPolicy: turn.relayOnly ? 'relay' : 'all',
  };
}
