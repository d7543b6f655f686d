// What an organiser may change in a conference (shared/conference-edit.ts): everything before anyone uses it,
// only what cannot break a session once in use (rehearsal, live, or a point connected), nothing once ended.
import { describe, expect, it } from 'vitest';
import { editMode, editProblem } from '../../shared/conference-edit.ts';
import { ConferenceSpec } from '../../shared/domain.ts';

const base = ConferenceSpec.parse({
  id: 'hn',
  title: 'Hội nghị',
  startsAt: '2026-05-01T08:00:00+07:00',
  centralPointId: 'tw',
  questionCategories: ['Bầu cử', 'Khác'],
  points: [
    { id: 'tw', name: 'Trung ương', level: 'central' },
    { id: 'hn', name: 'Hà Nội', level: 'province', parentId: 'tw' },
  ],
  agenda: [{ id: 'mo', title: 'Khai mạc', plannedMinutes: 10 }],
});
const edit = (change: Partial<ConferenceSpec>): ConferenceSpec => ({ ...structuredClone(base), ...change });

describe('editMode', () => {
  it('is full before use, in use at rehearsal, live or with a point connected, closed once ended', () => {
    expect(editMode('draft', 0)).toBe('full');
    expect(editMode('scheduled', 0)).toBe('full');
    expect(editMode('scheduled', 1)).toBe('in_use');
    expect(editMode('rehearsal', 0)).toBe('in_use');
    expect(editMode('live', 0)).toBe('in_use');
    expect(editMode('ended', 0)).toBe('closed');
  });
});

describe('editProblem', () => {
  it('allows anything valid before use, except another id or a status past scheduled', () => {
    const bigger = edit({
      centralPointId: 'hn',
      points: [
        { id: 'hn', name: 'Hà Nội', level: 'central', parentId: null, centralSide: false, venue: '', presiding: '', expectedAttendance: 0 },
      ],
      agenda: [],
      questionCategories: ['Khác'],
      status: 'draft',
    });
    expect(editProblem(base, bigger, 'full')).toBeNull();
    expect(editProblem(base, edit({ id: 'khac' }), 'full')).toEqual({ reason: 'edit.id_changed', params: { conferenceId: 'hn' } });
    expect(editProblem(base, edit({ status: 'live' }), 'full')).toEqual({
      reason: 'edit.status',
      params: { from: 'scheduled', to: 'live' },
    });
  });

  it('refuses everything once ended', () => {
    expect(editProblem(base, edit({ title: 'Khác' }), 'closed')).toEqual({ reason: 'conference.ended', params: {} });
  });

  it('in use: texts, times, new points, new items and categories pass', () => {
    const next = edit({ title: 'Mới', banner: 'B', floorSeconds: 120, questionCategories: ['Bầu cử', 'Khác', 'Mới'] });
    next.points.push({ ...structuredClone(base.points[1] as ConferenceSpec['points'][number]), id: 'hue', name: 'Huế' });
    (next.points[1] as { name: string }).name = 'Thành phố Hà Nội';
    next.agenda.push({ id: 'be', title: 'Bế mạc', plannedMinutes: 5, rapporteur: '', rapporteurPointId: null });
    expect(editProblem(base, next, 'in_use')).toBeNull();
  });

  it('in use: no status change, central point, removed or moved point, removed item or category', () => {
    const expectReason = (next: ConferenceSpec, reason: string, params: Record<string, string | number> = {}): void =>
      expect(editProblem(base, next, 'in_use')).toEqual({ reason, params });
    expectReason(edit({ status: 'draft' }), 'edit.status', { from: 'scheduled', to: 'draft' });
    expectReason(edit({ centralPointId: 'hn' }), 'edit.in_use_central');
    expectReason(edit({ points: base.points.slice(0, 1) }), 'edit.in_use_point_removed', { pointId: 'hn' });
    const moved = edit({});
    (moved.points[1] as { level: string }).level = 'district';
    expectReason(moved, 'edit.in_use_point_moved', { pointId: 'hn' });
    const side = edit({});
    (side.points[1] as { centralSide: boolean }).centralSide = true;
    expectReason(side, 'edit.in_use_point_moved', { pointId: 'hn' });
    expectReason(edit({ agenda: [] }), 'edit.in_use_agenda_removed', { itemId: 'mo' });
    expectReason(edit({ questionCategories: ['Khác'] }), 'edit.in_use_category_removed', { category: 'Bầu cử' });
  });
});
