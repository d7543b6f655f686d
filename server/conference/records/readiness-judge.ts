// The hub's one judge of a connection test: each measurement against READINESS_LIMITS, every failure a
// reason code with its direction, value and limit (the consoles and the report put them in words). Pure, so
// the store can judge rows older versions kept with their reasons in words.
import type { ReadinessMeasurement, ReadinessReason } from '../../../shared/records.ts';
import { READINESS_LIMITS as L } from '../../../shared/rules.ts';

/**
 * What keeps a point from being ready; empty when it is ready. The centre receives only what the points
 * send it (nothing before they connect), so its receive bitrate is not judged; its loss, delay and jitter are.
 */
export function readinessProblems(m: ReadinessMeasurement, who: { centre: boolean } = { centre: false }): ReadinessReason[] {
  const problems: ReadinessReason[] = [];
  const fail = (code: ReadinessReason['code'], direction: ReadinessReason['direction'], value: number, limit: number): void => {
    problems.push({ code, direction, value, limit });
  };
  if (m.signallingRoundTripMs > L.signallingRoundTripMsMax)
    fail('signalling_slow', null, m.signallingRoundTripMs, L.signallingRoundTripMsMax);
  for (const [direction, link] of [
    ['send', m.send],
    ['receive', m.receive],
  ] as const) {
    const judgeRate = !(who.centre && direction === 'receive');
    if (judgeRate && link.bitrateKbps < L.bitrateKbpsMin) fail('bitrate_low', direction, link.bitrateKbps, L.bitrateKbpsMin);
    if (link.lossPercent > L.lossPercentMax) fail('loss_high', direction, link.lossPercent, L.lossPercentMax);
    if (link.roundTripMs > L.roundTripMsMax) fail('round_trip_high', direction, link.roundTripMs, L.roundTripMsMax);
    if (link.jitterMs > L.jitterMsMax) fail('jitter_high', direction, link.jitterMs, L.jitterMsMax);
  }
  if (m.microphoneLevelDb < L.microphoneLevelDbMin) fail('microphone_silent', null, m.microphoneLevelDb, L.microphoneLevelDbMin);
  return problems;
}
