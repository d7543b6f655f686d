// The self-check's words without a browser: every reason a connection test can fail on has advice in both
// languages (Vietnamese with its diacritics), and each figure is written against its limit from
// READINESS_LIMITS and marked by the hub's verdict on that figure and direction only.
import { afterEach, describe, expect, it } from 'vitest';

import { setLang } from '../../client/i18n.ts';
import { check } from '../../client/i18n/check.ts';
import { advice, adviceCodes, figureRows } from '../../client/views/check/figures.ts';
import { ReadinessReason, type ReadinessMeasurement } from '../../shared/records.ts';
import { READINESS_LIMITS } from '../../shared/rules.ts';

const CODES = ReadinessReason.shape.code.options;
const M: ReadinessMeasurement = {
  signallingRoundTripMs: 40,
  send: { bitrateKbps: 900.4, lossPercent: 7.25, jitterMs: 10, roundTripMs: 60 },
  receive: { bitrateKbps: 120, lossPercent: 0, jitterMs: 8, roundTripMs: 60 },
  microphoneLevelDb: -80,
};

afterEach(() => setLang('vi'));

describe('what to do about a failed test', () => {
  it('every reason code has advice in Vietnamese and in English, and they differ', () => {
    for (const code of CODES) {
      const vi = check.vi[`check.advice.${code}`];
      const en = check.en[`check.advice.${code}`];
      expect(vi, code).toMatch(/[ăâđêôơưạảấầẩậắằẳặẹẻẽếềểễệỉịọỏốồổỗộớờởợụủứừửữự]/i);
      expect(en, code).not.toBe(vi);
      expect(advice(code)).toBe(vi);
    }
    setLang('en');
    expect(advice('microphone_silent')).toBe(check.en['check.advice.microphone_silent']);
  });

  it('one piece of advice per code, however many directions failed', () => {
    const loss = { code: 'loss_high', value: 9, limit: 5 } as const;
    expect(
      adviceCodes([
        { ...loss, direction: 'send' },
        { ...loss, direction: 'receive' },
      ]),
    ).toEqual(['loss_high']);
  });
});

describe('figures against their limits', () => {
  it('each figure is written with its limit, the Vietnamese way', () => {
    const rows = figureRows(M, null);
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.ok === null)).toBe(true);
    expect(rows.find((r) => r.code === 'loss_high' && r.direction === 'send')).toMatchObject({
      name: 'Mất gói gửi',
      value: '7,3 %',
      limit: `tối đa ${READINESS_LIMITS.lossPercentMax} %`,
    });
    expect(rows.find((r) => r.code === 'bitrate_low' && r.direction === 'receive')).toMatchObject({
      name: 'Tốc độ nhận',
      value: '120 kbit/s',
      limit: `tối thiểu ${READINESS_LIMITS.bitrateKbpsMin} kbit/s`,
    });
    expect(rows.at(-1)).toMatchObject({ name: 'Mức micro', value: '-80 dB', limit: 'tối thiểu -60 dB' });
    // No figure is named as its own value.
    for (const row of rows) expect(row.name).not.toBe(row.value);
  });

  it('the verdict marks only the figure and direction it names', () => {
    const rows = figureRows(M, [{ code: 'loss_high', direction: 'send', value: 7.25, limit: 5 }]);
    const failed = rows.filter((r) => r.ok === false).map((r) => `${r.code}/${r.direction}`);
    expect(failed).toEqual(['loss_high/send']);
  });
});
