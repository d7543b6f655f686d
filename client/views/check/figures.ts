// A connection test's figures in words, each against its limit from READINESS_LIMITS, marked by the hub's
// verdict (its reasons name the figure and direction that failed), and what to do about each reason.
// Nothing here touches the DOM, so the wording is checked without a browser.
import type { ReadinessMeasurement, ReadinessReason } from '../../../shared/records.ts';
import { READINESS_LIMITS as L } from '../../../shared/rules.ts';
import { formatNumber, t, type Key } from '../../i18n.ts';

type Code = ReadinessReason['code'];
type Direction = NonNullable<ReadinessReason['direction']>;

export interface FigureRow {
  code: Code;
  direction: Direction | null;
  name: string;
  value: string;
  limit: string;
  /** true passed, false failed, null when no verdict judged these figures. */
  ok: boolean | null;
}

const limitText = (kind: 'max' | 'min', limit: number, unit: string): string =>
  t(kind === 'max' ? 'check.atMost' : 'check.atLeast', { limit, unit });

/** Every figure of `m` with its limit; `reasons` (the hub's verdict on `m`, null when none) marks each one. */
export function figureRows(m: ReadinessMeasurement, reasons: readonly ReadinessReason[] | null): FigureRow[] {
  const ok = (code: Code, direction: Direction | null): boolean | null =>
    reasons === null ? null : !reasons.some((r) => r.code === code && (r.direction ?? null) === direction);
  const number = (value: number, unit: string): string => `${formatNumber(value)} ${unit}`;
  const rows: FigureRow[] = [
    {
      code: 'signalling_slow',
      direction: null,
      name: t('check.fig.signalling'),
      value: number(m.signallingRoundTripMs, 'ms'),
      limit: limitText('max', L.signallingRoundTripMsMax, 'ms'),
      ok: ok('signalling_slow', null),
    },
  ];
  for (const [direction, link] of [
    ['send', m.send],
    ['receive', m.receive],
  ] as const) {
    const d = t(`direction.${direction}`);
    const figure = (code: Code, key: Key, value: number, unit: string, kind: 'max' | 'min', limit: number): FigureRow => ({
      code,
      direction,
      name: t(key, { direction: d }),
      value: number(value, unit),
      limit: limitText(kind, limit, unit),
      ok: ok(code, direction),
    });
    rows.push(
      figure('bitrate_low', 'check.fig.bitrate', Math.round(link.bitrateKbps), 'kbit/s', 'min', L.bitrateKbpsMin),
      figure('loss_high', 'check.fig.loss', link.lossPercent, '%', 'max', L.lossPercentMax),
      figure('round_trip_high', 'check.fig.roundTrip', Math.round(link.roundTripMs), 'ms', 'max', L.roundTripMsMax),
      figure('jitter_high', 'check.fig.jitter', link.jitterMs, 'ms', 'max', L.jitterMsMax),
    );
  }
  rows.push({
    code: 'microphone_silent',
    direction: null,
    name: t('check.fig.microphone'),
    value: number(m.microphoneLevelDb, 'dB'),
    limit: limitText('min', L.microphoneLevelDbMin, 'dB'),
    ok: ok('microphone_silent', null),
  });
  return rows;
}

/** What a technician does about a reason, in the interface's language. */
export const advice = (code: Code): string => t(`check.advice.${code}`);

/** The distinct reason codes of a verdict, in the order they came (one piece of advice each). */
export const adviceCodes = (reasons: readonly ReadinessReason[]): Code[] => [...new Set(reasons.map((r) => r.code))];
