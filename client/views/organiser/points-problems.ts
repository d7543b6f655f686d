// An imported row's problem in the clerk's words (no DOM): "Dòng 4, cột Cấp: phải là Trung tâm, Tỉnh, Huyện
// hoặc Xã". The column is named as the points table names it; the reasons a row check gives have short
// words of their own here, any other reason is put in words by i18n/describe.ts.
import type { RowProblem } from '../../../shared/organiser.ts';
import { t, type Key } from '../../i18n.ts';
import { reasonText } from '../../i18n/describe.ts';

const COLUMNS: Record<string, Key> = {
  id: 'orgp.col.id',
  name: 'orgp.col.name',
  level: 'orgp.col.level',
  parentId: 'orgp.col.parentId',
  centralSide: 'orgp.col.centralSide',
  venue: 'orgp.col.venue',
  presiding: 'orgp.col.presiding',
  expectedAttendance: 'orgp.col.expectedAttendance',
};

/** What is wrong with a value of `field` that PointSpec refused. */
const INVALID: Record<string, Key> = {
  id: 'orgp.why.id',
  name: 'orgp.why.name',
  level: 'orgp.why.level',
  parentId: 'orgp.why.id',
  venue: 'orgp.why.text',
  presiding: 'orgp.why.text',
  expectedAttendance: 'orgp.why.number',
  centralSide: 'orgp.why.boolean',
};

/** The column a problem names, in the table's words (a field path such as "points.3.level" by its last part). */
export function columnName(field: string): string | null {
  const last = field.split('.').at(-1) ?? '';
  const key = COLUMNS[last] ?? COLUMNS[field];
  if (key) return t(key);
  return field === '' ? null : field;
}

/** What is wrong, without the row and column. */
export function problemWhat(problem: RowProblem): string {
  const field = problem.field.split('.').at(-1) ?? '';
  const param = (name: string): string => String(problem.params[name] ?? '');
  switch (problem.reason) {
    case 'csv.row_invalid':
    case 'spec.invalid':
    case 'request.malformed':
      return t(INVALID[field] ?? 'orgp.why.invalid');
    case 'csv.not_number':
      return t('orgp.why.number');
    case 'csv.not_boolean':
      return t('orgp.why.boolean');
    case 'point.exists':
    case 'spec.duplicate_point':
      return t('orgp.why.duplicate', { pointId: param('pointId') });
    case 'point.unknown_parent':
      return t('orgp.why.parent', { parentId: param('parentId') });
    default:
      return reasonText(problem.reason, problem.params);
  }
}

/** The whole sentence: "Dòng 4, cột Cấp: …" ("Dòng 4: …" when no column is named). */
export function problemText(problem: RowProblem): string {
  // Row 0: the file as a whole (an unknown column), whose reason's own sentence says it all.
  if (problem.row < 1) return reasonText(problem.reason, problem.params);
  const named = problem.field || String(problem.params['column'] ?? problem.params['field'] ?? '');
  const column = columnName(named);
  const what = problemWhat({ ...problem, field: named });
  return column === null ? t('orgp.imp.problemRow', { row: problem.row, what }) : t('orgp.imp.problem', { row: problem.row, column, what });
}
