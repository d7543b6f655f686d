// What an operator hands in: a whole conference (ConferenceSpec, from the API or the CLI) and points to
// add (JSON array or CSV). zod checks each value; this file checks what zod cannot see, across values:
// duplicate ids, parents and the central point that must exist. Errors name the row or field. CSV rows are
// read by points-sheet.ts (the organiser page's preview too); here the first problem refuses the import.
import { z } from 'zod';
import { PointSpec } from '../../shared/domain.ts';
import { describeIssue, HubError, issueField, refuse } from '../errors.ts';
import { csvTable, MAX_POINTS, POINT_CSV_COLUMNS, readPointRows } from './points-sheet.ts';

export { MAX_POINTS, POINT_CSV_COLUMNS };

export const PointList = z.array(PointSpec).min(1).max(MAX_POINTS);

/** Points from a JSON body: an array of PointSpec. */
export function parsePointsJson(value: unknown): PointSpec[] {
  const result = PointList.safeParse(value);
  if (!result.success) throw refuse('spec.invalid', { field: issueField(result.error) }, describeIssue(result.error, 'points'));
  return result.data;
}

/**
 * Points from CSV with the header `id,name,level[,parentId,centralSide,venue,presiding,expectedAttendance]`
 * (or the Vietnamese headers of an export): all or nothing, the first problem refuses the whole list.
 */
export function parsePointsCsv(text: string): PointSpec[] {
  const read = readPointRows(csvTable(text), 'points CSV');
  const first = read.problems[0];
  if (first) throw new HubError(first.reason, first.params, first.message);
  return read.points;
}
