// What an operator hands in: a whole conference (ConferenceSpec, from the API or the CLI) and points to
// add (JSON array or CSV). zod checks each value; this file checks what zod cannot see, across values:
// duplicate ids, parents and the central point that must exist. Errors name the row or field.
import { CsvError, parse } from 'csv-parse/sync';
import { z } from 'zod';
import { PointSpec } from '../../shared/domain.ts';
import { describeIssue, issueField, refuse } from '../errors.ts';

/** At most this many points in one import (and in one conference, as ConferenceSpec says). */
export const MAX_POINTS = 2000;

export const POINT_CSV_COLUMNS = ['id', 'name', 'level', 'parentId', 'centralSide', 'venue', 'presiding', 'expectedAttendance'] as const;
type Column = (typeof POINT_CSV_COLUMNS)[number];
const REQUIRED: readonly Column[] = ['id', 'name', 'level'];

export const PointList = z.array(PointSpec).min(1).max(MAX_POINTS);

/** Points from a JSON body: an array of PointSpec. */
export function parsePointsJson(value: unknown): PointSpec[] {
  const result = PointList.safeParse(value);
  if (!result.success) throw refuse('spec.invalid', { field: issueField(result.error) }, describeIssue(result.error, 'points'));
  return result.data;
}

const TRUE = new Set(['true', '1', 'yes', 'x', 'có', 'co']);
const FALSE = new Set(['', 'false', '0', 'no', 'không', 'khong']);

/** Points from CSV with the header `id,name,level[,parentId,centralSide,venue,presiding,expectedAttendance]`. */
export function parsePointsCsv(text: string): PointSpec[] {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, trim: true, skip_empty_lines: true, max_record_size: 64 * 1024 }) as string[][];
  } catch (error) {
    if (error instanceof CsvError)
      throw refuse('csv.malformed', { line: typeof error.lines === 'number' ? error.lines : 0 }, `points CSV: ${error.message}`);
    throw error;
  }
  const [header, ...data] = rows;
  if (!header) throw refuse('csv.empty', {}, 'points CSV: empty');
  const columns = header.map((h) => h.trim());
  for (const c of columns) {
    if (!(POINT_CSV_COLUMNS as readonly string[]).includes(c)) {
      throw refuse('csv.unknown_column', { column: c.slice(0, 40) }, `points CSV: unknown column "${c.slice(0, 40)}"`);
    }
  }
  if (new Set(columns).size !== columns.length) throw refuse('csv.duplicate_column', {}, 'points CSV: a column appears twice');
  for (const c of REQUIRED) if (!columns.includes(c)) throw refuse('csv.missing_column', { column: c }, `points CSV: missing column ${c}`);
  if (data.length === 0) throw refuse('csv.no_rows', {}, 'points CSV: no rows');
  if (data.length > MAX_POINTS) throw refuse('csv.too_many_rows', { max: MAX_POINTS }, `points CSV: more than ${MAX_POINTS} rows`);

  return data.map((cells, i) => {
    const row = i + 1;
    const value: Record<string, unknown> = {};
    columns.forEach((column, c) => {
      const cell = cells[c] ?? '';
      switch (column as Column) {
        case 'parentId':
          value.parentId = cell === '' ? null : cell;
          break;
        case 'centralSide': {
          const v = cell.toLowerCase();
          if (TRUE.has(v)) value.centralSide = true;
          else if (FALSE.has(v)) value.centralSide = false;
          else throw refuse('csv.not_boolean', { row, column }, `points CSV row ${row}: centralSide must be true or false`);
          break;
        }
        case 'expectedAttendance':
          if (cell === '') break;
          if (!/^\d{1,9}$/.test(cell)) {
            throw refuse('csv.not_number', { row, column }, `points CSV row ${row}: expectedAttendance must be a whole number`);
          }
          value.expectedAttendance = Number(cell);
          break;
        default:
          if (cell !== '' || REQUIRED.includes(column as Column)) value[column] = cell;
      }
    });
    const result = PointSpec.safeParse(value);
    if (!result.success) {
      throw refuse('csv.row_invalid', { row, field: issueField(result.error) }, describeIssue(result.error, `points CSV row ${row}`));
    }
    return result.data;
  });
}
