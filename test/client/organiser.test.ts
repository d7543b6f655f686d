// The organiser page's pure parts without a browser: ids suggested from Vietnamese titles (marks gone, đ→d,
// dashes, at most 64, accepted by the hub's pattern), the field a refusal names and the tab that holds it,
// zod problems in Vietnamese (the page's first language; ui/dom.ts re-draws on a switch, so no switch here),
// and the start's date and time kept as written.
import { describe, expect, it } from 'vitest';

import {
  fieldName,
  joinIso,
  refusalField,
  specProblems,
  splitIso,
  suggestId,
  tabOfField,
  uniqueId,
  whenText,
} from '../../client/views/organiser/form.ts';
import { ConferenceSpec } from '../../shared/domain.ts';
import { LIMITS } from '../../shared/rules.ts';

const SPEC = ConferenceSpec.parse({
  id: 'tong-ket',
  title: 'Hội nghị tổng kết',
  startsAt: '2021-04-28T08:00:00+07:00',
  centralPointId: 'tw',
  points: [
    { id: 'tw', name: 'Điểm cầu Trung ương', level: 'central' },
    { id: 'dong-nai', name: 'Điểm cầu tỉnh Đồng Nai', level: 'province', parentId: 'tw' },
  ],
  agenda: [
    { id: 'khai-mac', title: 'Khai mạc', plannedMinutes: 10 },
    { id: 'bao-cao', title: 'Báo cáo', rapporteurPointId: 'dong-nai', plannedMinutes: 30 },
  ],
});

describe('suggestId', () => {
  it('strips Vietnamese marks, turns đ into d and joins words with dashes', () => {
    expect(suggestId('Hội nghị Tổng kết năm 2024 — Đồng Nai')).toBe('hoi-nghi-tong-ket-nam-2024-dong-nai');
    expect(suggestId('  Tập huấn: bầu cử ĐBQH & HĐND!  ')).toBe('tap-huan-bau-cu-dbqh-hdnd');
    expect(suggestId('Ứng dụng ỹ ữ ợ')).toBe('ung-dung-y-u-o');
  });

  it('keeps at most 64 characters, never ending on a dash, and matches the hub pattern', () => {
    const id = suggestId('Hội nghị trực tuyến toàn quốc triển khai nhiệm vụ công tác Mặt trận năm 2025 tại các điểm cầu');
    expect(id.length).toBeLessThanOrEqual(LIMITS.idMax);
    expect(id.endsWith('-')).toBe(false);
    expect(LIMITS.idPattern.test(id)).toBe(true);
  });

  it('gives nothing for a title without letters or digits, and a numbered id when taken', () => {
    expect(suggestId('— ! —')).toBe('');
    expect(uniqueId('khai-mac', new Set(['khai-mac', 'khai-mac-2']))).toBe('khai-mac-3');
    expect(uniqueId('', new Set())).toBe('muc');
    expect(uniqueId('a'.repeat(64), new Set(['a'.repeat(64)])).length).toBe(64);
  });
});

describe('the field a refusal names', () => {
  it('takes spec.invalid paths as they are and finds their tab', () => {
    expect(refusalField('spec.invalid', { field: 'title' }, SPEC)).toBe('title');
    expect(refusalField('spec.invalid', { field: 'agenda.2.plannedMinutes' }, SPEC)).toBe('agenda.2.plannedMinutes');
    expect(refusalField('spec.invalid', { field: 'points.5.name' }, SPEC)).toBe('points.5.name');
    expect(refusalField('spec.invalid', { field: '' }, SPEC)).toBeNull();
    expect(tabOfField('title')).toBe('general');
    expect(tabOfField('questionCategories.1')).toBe('general');
    expect(tabOfField('agenda.2.plannedMinutes')).toBe('agenda');
    expect(tabOfField('points.5.name')).toBe('points');
  });

  it('turns ids in other refusals into the row that holds them', () => {
    expect(refusalField('spec.duplicate_agenda_item', { itemId: 'bao-cao' }, SPEC)).toBe('agenda.1.id');
    const twice = { ...SPEC, agenda: [...SPEC.agenda, ...SPEC.agenda.slice(0, 1)] };
    expect(refusalField('spec.duplicate_agenda_item', { itemId: 'khai-mac' }, twice)).toBe('agenda.2.id');
    expect(refusalField('spec.agenda_unknown_point', { itemId: 'bao-cao', pointId: 'x' }, SPEC)).toBe('agenda.1.rapporteurPointId');
    expect(refusalField('spec.duplicate_point', { pointId: 'dong-nai' }, SPEC)).toBe('points.1.id');
    expect(refusalField('edit.in_use_point_moved', { pointId: 'dong-nai' }, SPEC)).toBe('points.1.parentId');
    expect(refusalField('edit.in_use_point_removed', { pointId: 'gone' }, SPEC)).toBe('points');
    expect(refusalField('edit.in_use_central', {}, SPEC)).toBe('centralPointId');
    expect(refusalField('edit.in_use_category_removed', { category: 'Khác' }, SPEC)).toBe('questionCategories');
    expect(refusalField('conference.exists', { conferenceId: 'tong-ket' }, SPEC)).toBe('id');
    expect(refusalField('organiser.locked', { minutes: 15 }, SPEC)).toBeNull();
  });

  it('names the field in words, with its row', () => {
    expect(fieldName('title')).toBe('Tên hội nghị');
    expect(fieldName('agenda.2.plannedMinutes')).toBe('Số phút (mục 3 của chương trình)');
    expect(fieldName('points.5.name')).toBe('Tên điểm cầu (điểm cầu thứ 6)');
    expect(fieldName('agenda.0.title')).toBe('Tên mục (mục 1 của chương trình)');
  });
});

describe('checks in the browser', () => {
  it('finds every problem of a draft with the hub schema, in Vietnamese, by field', () => {
    const draft = structuredClone(SPEC) as ConferenceSpec;
    draft.title = '';
    for (const item of draft.agenda.slice(1)) item.plannedMinutes = 0;
    const problems = specProblems(ConferenceSpec, draft);
    expect(problems.get('title')).toBe('Không được để trống.');
    expect(problems.get('agenda.1.plannedMinutes')).toBe('Nhỏ nhất là 1.');
    expect(specProblems(ConferenceSpec, SPEC).size).toBe(0);
  });

  it('keeps the start as written in the conference’s own time', () => {
    expect(splitIso('2021-04-28T08:05:00+07:00')).toEqual({ date: '2021-04-28', time: '08:05', offset: '+07:00' });
    expect(joinIso('2021-04-28', '14:30')).toBe('2021-04-28T14:30:00+07:00');
    expect(ConferenceSpec.shape.startsAt.safeParse(joinIso('2021-04-28', '14:30')).success).toBe(true);
    expect(whenText('2021-04-28T08:05:00+07:00')).toBe('08:05, 28/04/2021');
    expect(whenText(null)).toBe('');
  });
});
