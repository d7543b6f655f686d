// One reader for points lists as organisers hand them in, CSV or Excel (.xlsx): the CSV column names or
// Vietnamese headers (case- and accent-insensitive), levels in English or Vietnamese, ids made from names
// when missing, parents named by id or by name. It reads EVERY row and lists each row's problems instead of
// stopping at the first; the REST import (import.ts) throws the first of them. Problems of the whole file
// (no header, a required column missing, unreadable) are refusals.
import { CsvError, parse } from 'csv-parse/sync';
import readExcelFile from 'read-excel-file/node';
import { type PointLevel, PointSpec } from '../../shared/domain.ts';
import type { Reason } from '../../shared/errors.ts';
import type { RowProblem } from '../../shared/organiser.ts';
import { LIMITS } from '../../shared/rules.ts';
import { refuse } from '../errors.ts';

/** At most this many points in one import (and in one conference, as ConferenceSpec says). */
export const MAX_POINTS = 2000;

export const POINT_CSV_COLUMNS = ['id', 'name', 'level', 'parentId', 'centralSide', 'venue', 'presiding', 'expectedAttendance'] as const;
export type PointColumn = (typeof POINT_CSV_COLUMNS)[number];

/** The headers of an export (CSV and .xlsx), which the reader reads back. */
export const SHEET_HEADERS: Record<PointColumn, string> = {
  id: 'Mã điểm cầu',
  name: 'Tên điểm cầu',
  level: 'Cấp',
  parentId: 'Trực thuộc',
  centralSide: 'Phía trung tâm',
  venue: 'Địa điểm',
  presiding: 'Người chủ trì',
  expectedAttendance: 'Số đại biểu',
};

/** The levels as an export writes them. */
export const LEVEL_WORDS: Record<PointLevel, string> = { central: 'Trung ương', province: 'Tỉnh', district: 'Huyện', commune: 'Xã' };

/** A cell as read from CSV (text) or Excel (text, number, boolean, date). */
export type Cell = string | number | boolean | Date | null | undefined;

/** A problem with its English line for logs (the preview drops the line; the REST import throws it). */
export interface SheetProblem extends RowProblem {
  message: string;
}

export interface SheetRead {
  /** Data rows read (empty rows skipped). */
  rows: number;
  points: PointSpec[];
  /** The row of each point in `points`. */
  pointRows: number[];
  problems: SheetProblem[];
}

/** Lower case, no Vietnamese marks (đ → d), anything else than letters and digits as one space. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** An id from a name: "UBND huyện Vĩnh Cửu" → "ubnd-huyen-vinh-cuu" ("" when nothing is left). */
export function idFromName(name: string): string {
  return fold(name).replace(/ /g, '-').slice(0, LIMITS.idMax).replace(/-+$/, '');
}

const HEADERS: Record<PointColumn, string[]> = {
  id: ['id', 'ma', 'ma diem cau', 'ma diem', 'ma dc'],
  name: ['name', 'ten', 'ten diem cau', 'diem cau', 'ten don vi'],
  level: ['level', 'cap', 'cap diem cau', 'cap hanh chinh'],
  parentId: ['parentid', 'parent id', 'parent', 'truc thuoc', 'don vi cap tren', 'cap tren', 'diem cau cap tren', 'ma cap tren'],
  centralSide: ['centralside', 'central side', 'phia trung tam', 'thuoc phia trung tam'],
  venue: ['venue', 'dia diem', 'dia diem to chuc'],
  presiding: ['presiding', 'chu tri', 'nguoi chu tri', 'lanh dao chu tri'],
  expectedAttendance: ['expectedattendance', 'expected attendance', 'so dai bieu', 'so nguoi du', 'so nguoi tham du', 'so luong dai bieu'],
};
/** Columns a spreadsheet often has that say nothing about a point: read past them. */
const IGNORED = new Set(['stt', 'tt', 'so tt', 'so thu tu', 'ghi chu', 'note', 'notes']);
const HEADER_OF = new Map<string, PointColumn>(
  Object.entries(HEADERS).flatMap(([column, names]) => names.map((n) => [n, column as PointColumn])),
);

const LEVELS = new Map<string, PointLevel>([
  ...(['central', 'trung uong', 'trung tam', 'cap trung uong'].map((w) => [w, 'central']) as Array<[string, PointLevel]>),
  ...(['province', 'tinh', 'thanh pho', 'cap tinh', 'tinh thanh pho', 'thanh pho truc thuoc trung uong'].map((w) => [
    w,
    'province',
  ]) as Array<[string, PointLevel]>),
  ...(['district', 'huyen', 'quan', 'thi xa', 'thanh pho thuoc tinh', 'cap huyen'].map((w) => [w, 'district']) as Array<
    [string, PointLevel]
  >),
  ...(['commune', 'xa', 'phuong', 'thi tran', 'cap xa'].map((w) => [w, 'commune']) as Array<[string, PointLevel]>),
]);

const TRUE = new Set(['true', '1', 'yes', 'x', 'co', 'dung']);
const FALSE = new Set(['', 'false', '0', 'no', 'khong', 'sai']);

/** A header cell's column, `ignored`, or undefined when unknown (parenthesised notes are left out). */
function columnOf(header: string): PointColumn | 'ignored' | undefined {
  const key = fold(header.replace(/\([^)]*\)/g, ''));
  if (IGNORED.has(key)) return 'ignored';
  return HEADER_OF.get(key);
}

function text(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : cell.toISOString();
  return String(cell).trim();
}

const isEmpty = (row: readonly Cell[]): boolean => row.every((c) => text(c) === '');

/** The header is the first row naming the `name` column among the first ten rows with data (titles may sit above it). */
function findHeader(table: readonly Cell[][]): number {
  let seen = 0;
  for (let i = 0; i < table.length && seen < 10; i++) {
    const row = table[i] as Cell[];
    if (isEmpty(row)) continue;
    seen++;
    if (row.some((c) => columnOf(text(c)) === 'name')) return i;
  }
  return table.findIndex((row) => !isEmpty(row));
}

interface Draft {
  row: number;
  value: Record<string, unknown>;
  /** The id cell as given (lower case), or '' to make one from the name. */
  id: string;
  parent: string;
  problems: SheetProblem[];
}

const problem = (row: number, field: string, reason: Reason, params: RowProblem['params'], message: string): SheetProblem => ({
  row,
  field,
  reason,
  params,
  message,
});

/** Reads the rows of one sheet (its cells as CSV or Excel gave them): the good points and every row's problems. */
export function readPointRows(table: readonly Cell[][], what = 'points sheet', numbering: 'data' | 'sheet' = 'data'): SheetRead {
  const at = findHeader(table);
  if (at < 0) throw refuse('csv.empty', {}, `${what}: empty`);
  const problems: SheetProblem[] = [];
  const columns = (table[at] as Cell[]).map((cell) => {
    const header = text(cell);
    const column = columnOf(header);
    if (column === undefined && header !== '') {
      const name = header.slice(0, 40);
      problems.push(problem(0, name, 'csv.unknown_column', { column: name }, `${what}: unknown column "${name}"`));
    }
    return column;
  });
  const known = columns.filter((c): c is PointColumn => c !== undefined && c !== 'ignored');
  if (new Set(known).size !== known.length) throw refuse('csv.duplicate_column', {}, `${what}: a column appears twice`);
  for (const c of ['name', 'level'] as const) {
    if (!known.includes(c)) throw refuse('csv.missing_column', { column: c }, `${what}: missing column ${c}`);
  }
  // 'data' counts from the first row under the header (the REST import); 'sheet' is the row as Excel labels it.
  const data = table.slice(at + 1).map((cells, i) => ({ cells, row: numbering === 'sheet' ? at + 2 + i : i + 1 }));
  const filled = data.filter((d) => !isEmpty(d.cells));
  if (filled.length === 0) throw refuse('csv.no_rows', {}, `${what}: no rows`);
  if (filled.length > MAX_POINTS) throw refuse('csv.too_many_rows', { max: MAX_POINTS }, `${what}: more than ${MAX_POINTS} rows`);

  const drafts = filled.map(({ cells, row }) => readRow(cells, row, columns, at, what));
  assignIds(drafts, what);
  resolveParents(drafts);
  const points: PointSpec[] = [];
  const pointRows: number[] = [];
  for (const d of drafts) {
    const result = PointSpec.safeParse(d.value);
    if (!result.success) {
      const fields = [...new Set(result.error.issues.map((i) => String(i.path[0] ?? '')))];
      for (const field of fields) {
        if (d.problems.some((p) => p.field === field)) continue;
        // An id to be made from an empty name: the name's problem says it.
        if (field === 'id' && d.id === '' && fields.includes('name')) continue;
        const issue = result.error.issues.find((i) => String(i.path[0] ?? '') === field);
        d.problems.push(
          problem(d.row, field, 'csv.row_invalid', { row: d.row, field }, `${what} row ${d.row}: ${field}: ${issue?.message}`),
        );
      }
    } else if (d.problems.length === 0) {
      if (result.data.parentId === result.data.id) {
        d.problems.push(
          problem(d.row, 'parentId', 'spec.own_parent', { pointId: d.id }, `${what} row ${d.row}: ${d.id} is its own parent`),
        );
      } else {
        points.push(result.data);
        pointRows.push(d.row);
      }
    }
    problems.push(...d.problems);
  }
  return { rows: filled.length, points, pointRows, problems };
}

function readRow(
  cells: readonly Cell[],
  row: number,
  columns: Array<PointColumn | 'ignored' | undefined>,
  at: number,
  what: string,
): Draft {
  const draft: Draft = { row, value: {}, id: '', parent: '', problems: [] };
  const add = (field: string, reason: Reason, params: RowProblem['params'], message: string) =>
    draft.problems.push(problem(row, field, reason, params, `${what} row ${row}: ${message}`));
  if (cells.slice(columns.length).some((c) => text(c) !== '')) {
    add('', 'csv.malformed', { line: at + 1 + row }, `more cells than columns (CSV line ${at + 1 + row})`);
  }
  columns.forEach((column, c) => {
    if (column === undefined || column === 'ignored') return;
    const cell = cells[c];
    const value = text(cell);
    switch (column) {
      case 'id':
        draft.id = value.toLowerCase();
        break;
      case 'parentId':
        draft.parent = value;
        break;
      case 'level':
        draft.value.level = LEVELS.get(fold(value)) ?? value;
        break;
      case 'centralSide': {
        const flag = typeof cell === 'boolean' ? cell : TRUE.has(fold(value)) ? true : FALSE.has(fold(value)) ? false : undefined;
        if (flag === undefined) add(column, 'csv.not_boolean', { row, column }, `${column} must be true or false`);
        else draft.value.centralSide = flag;
        break;
      }
      case 'expectedAttendance': {
        if (value === '') break;
        const n =
          typeof cell === 'number' ? cell : /^\d{1,3}([.,\s]\d{3})+$|^\d{1,9}$/.test(value) ? Number(value.replace(/\D/g, '')) : NaN;
        if (!Number.isInteger(n) || n < 0) add(column, 'csv.not_number', { row, column }, `${column} must be a whole number`);
        else draft.value.expectedAttendance = n;
        break;
      }
      default:
        draft.value[column] = value;
    }
  });
  return draft;
}

/** Ids as given first; then one made from the name for every row without one, unique within the file. */
function assignIds(drafts: Draft[], what: string): void {
  const taken = new Set<string>();
  for (const d of drafts) {
    if (d.id === '') continue;
    if (taken.has(d.id)) {
      d.problems.push(problem(d.row, 'id', 'spec.duplicate_point', { pointId: d.id }, `${what} row ${d.row}: point ${d.id} appears twice`));
    }
    taken.add(d.id);
    d.value.id = d.id;
  }
  for (const d of drafts) {
    if (d.id !== '') continue;
    const base = idFromName(typeof d.value.name === 'string' ? d.value.name : '');
    if (base === '') continue;
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base.slice(0, LIMITS.idMax - String(n).length - 1)}-${n}`;
    taken.add(id);
    d.id = id;
    d.value.id = id;
  }
}

/** A parent named by an id of the file, or by a name of the file (exactly), is that point; else kept as given. */
function resolveParents(drafts: Draft[]): void {
  const ids = new Set(drafts.map((d) => d.id).filter((id) => id !== ''));
  const byName = new Map<string, string>();
  for (const d of drafts) if (typeof d.value.name === 'string' && d.id !== '' && !byName.has(d.value.name)) byName.set(d.value.name, d.id);
  for (const d of drafts) {
    const given = d.parent;
    if (given === '') d.value.parentId = null;
    else if (ids.has(given.toLowerCase())) d.value.parentId = given.toLowerCase();
    else d.value.parentId = byName.get(given) ?? given;
  }
}

/** CSV text as rows of cells (quoting per RFC 4180, a BOM allowed, rows of any length). */
export function csvTable(body: string): Cell[][] {
  try {
    return parse(body, { bom: true, trim: true, relax_column_count: true, max_record_size: 64 * 1024 }) as string[][];
  } catch (error) {
    if (error instanceof CsvError)
      throw refuse('csv.malformed', { line: typeof error.lines === 'number' ? error.lines : 0 }, `points CSV: ${error.message}`);
    throw error;
  }
}

/** The first sheet of an .xlsx workbook that holds data. */
export async function xlsxTable(body: Buffer): Promise<Cell[][]> {
  let sheets: Array<{ data: unknown[][] }>;
  try {
    sheets = await readExcelFile(body);
  } catch (error) {
    throw refuse('import.xlsx_unreadable', {}, `points workbook: ${error instanceof Error ? error.message : 'unreadable'}`);
  }
  const sheet = sheets.find((s) => s.data.some((row) => !isEmpty(row as Cell[])));
  if (!sheet) throw refuse('import.xlsx_no_sheet', {}, 'points workbook: no sheet holds data');
  return sheet.data as Cell[][];
}

/** A point as a row of an export, under SHEET_HEADERS (CSV text or Excel cells). */
export function exportRow(p: PointSpec): Array<string | number> {
  return [p.id, p.name, LEVEL_WORDS[p.level], p.parentId ?? '', p.centralSide ? 'Có' : 'Không', p.venue, p.presiding, p.expectedAttendance];
}

export const exportHeader = (): string[] => POINT_CSV_COLUMNS.map((c) => SHEET_HEADERS[c]);
