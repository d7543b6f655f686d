// The client's words for the hub's refusals, without a browser: every reason of shared/errors.ts has a
// Vietnamese and an English sentence, each placeholder in them is one of that reason's params, and the
// two languages differ. Then a few refusals and readiness reasons put in words with their params.
import { describe, expect, it } from 'vitest';

import { REASONS, type Reason } from '../../shared/errors.ts';
import { describeError, readinessText, reasonText } from '../../client/i18n/describe.ts';
import { enReasons } from '../../client/i18n/reasons-en.ts';
import { viReasons } from '../../client/i18n/reasons-vi.ts';
import { RequestError } from '../../client/net/signal.ts';

const reasons = Object.keys(REASONS) as Reason[];
const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);

describe('the words for every refusal reason', () => {
  it('every reason has a Vietnamese and an English sentence, and nothing else is there', () => {
    expect(Object.keys(viReasons).sort()).toEqual([...reasons].sort());
    expect(Object.keys(enReasons).sort()).toEqual([...reasons].sort());
    for (const reason of reasons) {
      expect(viReasons[reason].trim().length, reason).toBeGreaterThan(5);
      expect(enReasons[reason].trim().length, reason).toBeGreaterThan(5);
    }
  });

  it('every placeholder is one of the reason’s params', () => {
    for (const reason of reasons) {
      const params: readonly string[] = REASONS[reason].params;
      for (const [language, text] of [
        ['vi', viReasons[reason]],
        ['en', enReasons[reason]],
      ] as const) {
        for (const name of placeholders(text)) expect(params, `${reason} (${language}) uses {${name}}`).toContain(name);
      }
    }
  });

  it('Vietnamese differs from English, and reads as Vietnamese', () => {
    for (const reason of reasons) {
      expect(viReasons[reason], reason).not.toBe(enReasons[reason]);
      // Every Vietnamese sentence carries at least one letter with a diacritic.
      expect(viReasons[reason], reason).toMatch(/[àáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵđ]/i);
    }
  });
});

describe('refusals and readiness in Vietnamese', () => {
  it('writes params in, codes among them in their words', () => {
    expect(reasonText('join.code_used', {})).toBe('Mã tham gia này đã được dùng; vui lòng xin điểm cầu trung tâm cấp mã mới.');
    expect(reasonText('question.not_queued', { status: 'answered' })).toContain('“Đã trả lời”');
    expect(reasonText('conference.status_order', { from: 'ended', to: 'live' })).toBe(
      'Không chuyển được hội nghị từ “Đã kết thúc” sang “Đang diễn ra”.',
    );
    expect(reasonText('request.role', { request: 'floor.grant', role: 'technician' })).toBe(
      'Vai trò Kỹ thuật viên không được làm việc này.',
    );
    expect(reasonText('media.source_kind', { source: 'camera', kind: 'audio' })).toBe('Nguồn hình camera không đi với loại âm thanh.');
    expect(reasonText('rate.point_actions', { request: 'question.submit', perMinute: 2000 })).toContain('quá 2.000 yêu cầu');
    // A param the hub left out does not show as a raw placeholder.
    expect(reasonText('request.malformed', {})).not.toMatch(/\{|\}/);
  });

  it('readiness reasons carry their value and limit, written the Vietnamese way', () => {
    expect(readinessText({ code: 'loss_high', direction: 'send', value: 7.2, limit: 5 })).toBe('Mất gói gửi: 7,2 % (tối đa 5 %)');
    expect(readinessText({ code: 'bitrate_low', direction: 'receive', value: 120.5, limit: 150 })).toBe(
      'Tốc độ nhận thấp: 120,5 kbit/s (tối thiểu 150 kbit/s)',
    );
    expect(readinessText({ code: 'signalling_slow', direction: null, value: 612, limit: 500 })).toBe(
      'Báo hiệu chậm: 612 ms khứ hồi (tối đa 500 ms)',
    );
    expect(readinessText({ code: 'jitter_high', direction: null, value: 80, limit: 60 })).toBe('Dao động trễ: 80 ms (tối đa 60 ms)');
  });

  it('anything without a known reason gets a generic Vietnamese sentence, never the English it carries', () => {
    const english = 'this join code has already been used; ask the host for a new code';
    expect(describeError(new RequestError('unauthenticated', english))).toBe('Máy chủ không nhận mã hoặc phiên tham gia này.');
    expect(describeError(new RequestError('timeout', 'floor.request: no answer from the hub'))).toBe(
      'Máy chủ không trả lời kịp; vui lòng thử lại.',
    );
    expect(describeError(new Error('Failed to fetch'))).toBe('Đã có lỗi không rõ nguyên nhân; vui lòng thử lại.');
    expect(describeError(new RequestError('conflict', english, 'join.code_used'))).not.toContain(english);
  });
});
