// Link measurements from WebRTC statistics: receive and send rates, loss, jitter and round trip,
// computed from the difference between two getStats() reports.
export interface LinkSample {
  bitrateKbps: number;
  lossPercent: number;
  jitterMs: number;
  roundTripMs: number;
}

interface Totals {
  at: number;
  bytes: number;
  packets: number;
  lost: number;
  jitterMs: number;
  roundTripMs: number;
}

type StatsEntry = Record<string, unknown> & { type: string };

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

function entries(report: RTCStatsReport): StatsEntry[] {
  const list: StatsEntry[] = [];
  report.forEach((entry: StatsEntry) => {
    list.push(entry);
  });
  return list;
}

/** Sums what a report says about received (inbound-rtp) or sent (outbound-rtp) media of `kind` (all kinds when omitted). */
export function totals(report: RTCStatsReport, direction: 'in' | 'out', kind?: 'audio' | 'video'): Totals {
  const all = entries(report);
  const t: Totals = { at: performance.now(), bytes: 0, packets: 0, lost: 0, jitterMs: 0, roundTripMs: 0 };
  let rtts = 0;
  for (const e of all) {
    if (kind && e['kind'] !== kind) continue;
    // mediasoup's bandwidth probe arrives as a receiving stream of padding only: not media.
    if (e['mid'] === 'probator' || e['trackIdentifier'] === 'probator') continue;
    if (direction === 'in' && e.type === 'inbound-rtp') {
      t.bytes += num(e['bytesReceived']);
      t.packets += num(e['packetsReceived']);
      t.lost += num(e['packetsLost']);
      t.jitterMs = Math.max(t.jitterMs, num(e['jitter']) * 1000);
    } else if (direction === 'out' && e.type === 'outbound-rtp') {
      t.bytes += num(e['bytesSent']);
      t.packets += num(e['packetsSent']);
    } else if (direction === 'out' && e.type === 'remote-inbound-rtp') {
      // What the hub reported back about our sending: loss, jitter and round trip.
      t.lost += num(e['packetsLost']);
      t.jitterMs = Math.max(t.jitterMs, num(e['jitter']) * 1000);
      if (typeof e['roundTripTime'] === 'number') {
        t.roundTripMs += num(e['roundTripTime']) * 1000;
        rtts++;
      }
    }
  }
  for (const e of all) {
    if (e.type === 'candidate-pair' && e['nominated'] === true && typeof e['currentRoundTripTime'] === 'number' && rtts === 0) {
      t.roundTripMs = num(e['currentRoundTripTime']) * 1000;
      rtts = 1;
    }
  }
  if (rtts > 1) t.roundTripMs /= rtts;
  return t;
}

/** The rate and loss between two totals. */
export function between(before: Totals, after: Totals): LinkSample {
  const seconds = Math.max(0.001, (after.at - before.at) / 1000);
  const packets = Math.max(0, after.packets - before.packets);
  const lost = Math.max(0, after.lost - before.lost);
  return {
    bitrateKbps: Math.max(0, ((after.bytes - before.bytes) * 8) / seconds / 1000),
    lossPercent: packets + lost > 0 ? (lost / (packets + lost)) * 100 : 0,
    jitterMs: after.jitterMs,
    roundTripMs: after.roundTripMs,
  };
}

export type Quality = 'good' | 'fair' | 'poor' | 'none';

export function quality(sample: LinkSample | undefined): Quality {
  if (!sample) return 'none';
  // The wall receives the lowest simulcast layer (about 50-150 kbit/s): rate only matters when it collapses.
  if (sample.bitrateKbps < 15 || sample.lossPercent >= 8) return 'poor';
  if (sample.lossPercent >= 2 || sample.bitrateKbps < 30) return 'fair';
  return 'good';
}
