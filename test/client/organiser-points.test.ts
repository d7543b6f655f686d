// The organiser page's points tab without a browser: the tree built from parents (central point first, each
// point followed by its children, orphans and cycles never lost), counts per level, ids suggested from
// Vietnamese names, import rows' problems in words ("Dòng 4, cột Cấp: …"), merging an import into the draft,
// what the directory adds, and the codes' validity from the conference's start.
import { afterEach, describe, expect, it } from 'vitest';

import { setLang } from '../../client/i18n.ts';
import { codesTtlSeconds, codesUntil } from '../../client/views/organiser/codes-validity.ts';
import { goodRows, importType, mergePoints, pointsToAdd } from '../../client/views/organiser/points-merge.ts';
import { columnName, problemText } from '../../client/views/organiser/points-problems.ts';
import {
  ancestors,
  buildTree,
  countByLevel,
  descendants,
  parentChoices,
  slug,
  suggestId,
} from '../../client/views/organiser/points-tree.ts';
import type { PointLevel, PointSpec } from '../../shared/domain.ts';
import type { DirectoryPoint } from '../../shared/organiser.ts';
import { LIMITS } from '../../shared/rules.ts';

afterEach(() => setLang('vi'));

const point = (id: string, level: PointLevel, parentId: string | null = null, name = id): PointSpec => ({
  id,
  name,
  level,
  parentId,
  centralSide: false,
  venue: '',
  presiding: '',
  expectedAttendance: 0,
});

const POINTS: PointSpec[] = [
  point('xa-a', 'commune', 'huyen-1'),
  point('huyen-2', 'district', 'tinh'),
  point('tinh', 'province', 'tw'),
  point('huyen-1', 'district', 'tinh'),
  point('phu', 'central'),
  point('tw', 'central'),
  point('xa-b', 'commune', 'huyen-1'),
];

describe('the points tree', () => {
  it('puts the main central point first and each point before its children, in the list’s order per level', () => {
    const rows = buildTree(POINTS, 'tw');
    expect(rows.map((r) => [r.point.id, r.depth, r.children])).toEqual([
      ['tw', 0, 1],
      ['tinh', 1, 2],
      ['huyen-2', 2, 0],
      ['huyen-1', 2, 2],
      ['xa-a', 3, 0],
      ['xa-b', 3, 0],
      ['phu', 0, 0],
    ]);
  });

  it('keeps a point whose parent is missing (a root) and points caught in a cycle of parents', () => {
    const rows = buildTree([point('a', 'district', 'b'), point('b', 'district', 'a'), point('c', 'commune', 'gone')]);
    expect(rows.map((r) => r.point.id).sort()).toEqual(['a', 'b', 'c']);
    expect(rows.find((r) => r.point.id === 'c')?.depth).toBe(0);
  });

  it('counts per level and finds a point’s descendants and ancestors', () => {
    expect(countByLevel(POINTS)).toEqual({ central: 2, province: 1, district: 2, commune: 2 });
    expect(descendants(POINTS, 'tinh').sort()).toEqual(['huyen-1', 'huyen-2', 'xa-a', 'xa-b']);
    expect(descendants(POINTS, 'xa-a')).toEqual([]);
    expect(ancestors(POINTS, 'xa-b')).toEqual(['huyen-1', 'tinh', 'tw']);
  });

  it('offers parents of a higher level only, never the point itself or one below it', () => {
    expect(parentChoices(POINTS, 'commune', null).map((p) => p.id)).toEqual(['huyen-2', 'tinh', 'huyen-1', 'phu', 'tw']);
    expect(parentChoices(POINTS, 'district', 'huyen-1').map((p) => p.id)).toEqual(['tinh', 'phu', 'tw']);
  });
});

describe('ids suggested from names', () => {
  it('strips Vietnamese marks, writes đ as d and joins words with dashes', () => {
    expect(slug('Xã Phước Thiền')).toBe('xa-phuoc-thien');
    expect(slug('UBND tỉnh Đồng Nai')).toBe('ubnd-tinh-dong-nai');
    expect(slug('  Huyện Nhơn Trạch (điểm 2)  ')).toBe('huyen-nhon-trach-diem-2');
    expect(slug('Ủy ban MTTQ – Quận Ba Đình')).toBe('uy-ban-mttq-quan-ba-dinh');
  });

  it('gives an id the point schema takes, unique in the draft, within the length limit', () => {
    expect(suggestId('Xã Phước Thiền', new Set(['xa-phuoc-thien', 'xa-phuoc-thien-2']))).toBe('xa-phuoc-thien-3');
    expect(suggestId('!!!', new Set())).toBe('diem-cau');
    const long = suggestId('Điểm cầu '.repeat(20), new Set([slug('Điểm cầu '.repeat(20))]));
    expect(long.length).toBeLessThanOrEqual(LIMITS.idMax);
    expect(long).toMatch(LIMITS.idPattern);
    expect(long.endsWith('-2')).toBe(true);
  });
});

describe('import problems in words', () => {
  it('names the row and the column as the table does, in Vietnamese', () => {
    expect(problemText({ row: 4, field: 'level', reason: 'csv.row_invalid', params: { row: 4, field: 'level' } })).toBe(
      'Dòng 4, cột Cấp: phải là Trung tâm, Tỉnh, Huyện hoặc Xã',
    );
    expect(problemText({ row: 7, field: 'id', reason: 'spec.duplicate_point', params: { pointId: 'xa-a' } })).toBe(
      'Dòng 7, cột Mã điểm cầu: mã “xa-a” trùng với một dòng khác',
    );
    expect(
      problemText({ row: 2, field: 'expectedAttendance', reason: 'csv.not_number', params: { row: 2, column: 'expectedAttendance' } }),
    ).toBe('Dòng 2, cột Số đại biểu: phải là số nguyên');
    expect(problemText({ row: 3, field: '', reason: 'csv.malformed', params: { line: 4 } })).toBe(
      'Dòng 3: Tệp CSV sai định dạng (dòng 4).',
    );
    expect(problemText({ row: 0, field: 'Ghi chú', reason: 'csv.unknown_column', params: { column: 'Ghi chú' } })).toContain('Ghi chú');
    expect(columnName('points.3.parentId')).toBe('Trực thuộc');
  });

  it('in English on request', () => {
    setLang('en');
    expect(problemText({ row: 4, field: 'level', reason: 'csv.row_invalid', params: { row: 4, field: 'level' } })).toBe(
      'Row 4, column Level: must be Central, Province, District or Commune',
    );
  });
});

describe('merging an import and adding from the directory', () => {
  it('knows a points file by its name and the file’s row of each good point', () => {
    expect(importType('Danh sach.CSV')).toBe('text/csv');
    expect(importType('diem-cau.xlsx')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(importType('diem-cau.xls')).toBeNull();
    const problem = { row: 2, field: 'level', reason: 'csv.row_invalid' as const, params: {} };
    const points = [point('a', 'central'), point('b', 'province')];
    expect(goodRows({ rows: 3, points, pointRows: [2, 4], problems: [problem] })).toEqual([2, 4]);
    expect(goodRows({ rows: 5, points: [point('a', 'central')], pointRows: [], problems: [] })).toEqual([null]);
  });

  it('adds new ids, updates known ones, and keeps a saved point’s place when the conference is in use', () => {
    const moved = { ...point('huyen-1', 'district', 'phu', 'Huyện Một'), venue: 'Hội trường' };
    const merged = mergePoints(POINTS, [moved, point('xa-c', 'commune', 'huyen-2')], () => false);
    expect(merged).toHaveLength(POINTS.length + 1);
    expect(merged.find((p) => p.id === 'huyen-1')).toEqual(moved);
    const kept = mergePoints(POINTS, [moved], (id) => id === 'huyen-1').find((p) => p.id === 'huyen-1');
    expect(kept).toMatchObject({ name: 'Huyện Một', venue: 'Hội trường', parentId: 'tinh', level: 'district' });
  });

  it('adds the chosen directory points with the parents the draft lacks, parents first', () => {
    const dir = (p: PointSpec): DirectoryPoint => ({ ...p, updatedAt: 1, updatedBy: 'clerk' });
    const directory = [dir(point('xa-a', 'commune', 'huyen-1')), dir(point('huyen-1', 'district', 'tinh')), dir(point('tinh', 'province'))];
    const added = pointsToAdd(directory, new Set(['xa-a']), new Set(['tw']));
    expect(added.map((p) => p.id)).toEqual(['tinh', 'huyen-1', 'xa-a']);
    expect(added[0]).not.toHaveProperty('updatedAt');
    expect(pointsToAdd(directory, new Set(['xa-a']), new Set(['huyen-1'])).map((p) => p.id)).toEqual(['xa-a']);
  });
});

describe('the codes’ validity', () => {
  it('runs to the end of the day after the conference’s start, within the hub’s limits', () => {
    const now = new Date(2026, 10, 20, 9, 0).getTime();
    const until = new Date(codesUntil(new Date(2026, 10, 25, 8, 0).toISOString(), now));
    expect([until.getDate(), until.getHours(), until.getMinutes()]).toEqual([26, 23, 59]);
    expect(codesTtlSeconds(new Date(2026, 10, 25, 8, 0).toISOString(), now)).toBe(Math.ceil((until.getTime() - now) / 1000));
    // A conference already started: from today; one far ahead: at most the hub's maximum.
    expect(new Date(codesUntil(new Date(2026, 10, 1).toISOString(), now)).getDate()).toBe(21);
    expect(codesTtlSeconds(new Date(2027, 5, 1).toISOString(), now)).toBe(LIMITS.tokenTtlSecondsMax);
  });
});
