// What the points tab adds to the draft from elsewhere (pure, no DOM): a points file's type and the file's
// row of each good point of its preview, an import merged into the draft's list, and the directory points to
// add for a choice (with the parents the draft lacks).
import { z } from 'zod';
import type { PointSpec } from '../../../shared/domain.ts';
import { DirectoryPoint, type PointsPreview } from '../../../shared/organiser.ts';
import { ancestors, buildTree } from './points-tree.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The Content-Type the hub reads a file as, from its name (null: not a points file). */
export function importType(fileName: string): string | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv')) return 'text/csv';
  if (lower.endsWith('.xlsx')) return XLSX;
  return null;
}

/** The file's row number of each good point: rows without a problem, in order (null when they do not add up). */
export function goodRows(preview: PointsPreview): Array<number | null> {
  return preview.points.map((_, i) => preview.pointRows[i] ?? null);
}

/** Merges imported points into a draft's list: a known id is updated (keeping its place in the tree when `keepPlace`). */
export function mergePoints(current: PointSpec[], imported: readonly PointSpec[], keepPlace: (id: string) => boolean): PointSpec[] {
  const next = [...current];
  for (const point of imported) {
    const at = next.findIndex((p) => p.id === point.id);
    const old = next[at];
    if (!old) next.push(point);
    else next[at] = keepPlace(point.id) ? { ...point, level: old.level, parentId: old.parentId, centralSide: old.centralSide } : point;
  }
  return next;
}

export const DirectoryList = z.object({ points: z.array(DirectoryPoint) });

/** A directory entry as a point of a conference. */
const asPoint = ({ updatedAt: _at, updatedBy: _by, ...point }: DirectoryPoint): PointSpec => point;

/** The directory points to add for `chosen`: those not in the draft, with their missing parents, parents first. */
export function pointsToAdd(directory: readonly DirectoryPoint[], chosen: ReadonlySet<string>, inDraft: ReadonlySet<string>): PointSpec[] {
  const wanted = new Set<string>();
  for (const id of chosen) {
    if (inDraft.has(id)) continue;
    wanted.add(id);
    for (const up of ancestors(directory, id)) {
      if (inDraft.has(up)) break;
      wanted.add(up);
    }
  }
  return buildTree(directory)
    .map((row) => row.point)
    .filter((p) => wanted.has(p.id))
    .map(asPoint);
}
