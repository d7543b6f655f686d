// The points of a conference as a tree (pure, no DOM): rows in hierarchy order with their depth (the main
// central point first, then each point followed by its children, higher levels before lower ones), counts
// per level, a point's descendants, which points may be a parent, and an id suggested from a name
// ("Xã Phước Thiền" → "xa-phuoc-thien": Vietnamese marks stripped, đ → d, dashes between words).
import type { PointLevel, PointSpec } from '../../../shared/domain.ts';
import { LIMITS } from '../../../shared/rules.ts';

export const LEVELS: readonly PointLevel[] = ['central', 'province', 'district', 'commune'];
const rank = (level: PointLevel): number => LEVELS.indexOf(level);

/** A point of the tree and how deep it sits (0 for a point without a known parent). */
export interface TreeRow<P extends { id: string }> {
  point: P;
  depth: number;
  children: number;
}

type Node = Pick<PointSpec, 'id' | 'level' | 'parentId'>;

/**
 * The points in hierarchy order: roots (no parent, or a parent not in the list) with `firstId` first, then by
 * level; under each point its children by level, each level in the list's order. A cycle of parents cannot
 * hide a point: whatever the walk did not reach is added at depth 0.
 */
export function buildTree<P extends Node>(points: readonly P[], firstId: string | null = null): TreeRow<P>[] {
  const byId = new Map(points.map((p) => [p.id, p]));
  const children = new Map<string, P[]>();
  const roots: P[] = [];
  for (const point of points) {
    const parent = point.parentId !== null && point.parentId !== point.id ? byId.get(point.parentId) : undefined;
    if (parent) children.set(parent.id, [...(children.get(parent.id) ?? []), point]);
    else roots.push(point);
  }
  const order = (list: P[]): P[] =>
    list
      .map((p, i) => ({ p, i }))
      .sort((a, b) => Number(b.p.id === firstId) - Number(a.p.id === firstId) || rank(a.p.level) - rank(b.p.level) || a.i - b.i)
      .map(({ p }) => p);
  const rows: TreeRow<P>[] = [];
  const seen = new Set<string>();
  const walk = (point: P, depth: number): void => {
    if (seen.has(point.id)) return;
    seen.add(point.id);
    const below = order(children.get(point.id) ?? []);
    rows.push({ point, depth, children: below.length });
    for (const child of below) walk(child, depth + 1);
  };
  for (const root of order(roots)) walk(root, 0);
  for (const point of points) walk(point, 0);
  return rows;
}

/** How many points of each level. */
export function countByLevel(points: readonly Pick<PointSpec, 'level'>[]): Record<PointLevel, number> {
  const counts: Record<PointLevel, number> = { central: 0, province: 0, district: 0, commune: 0 };
  for (const p of points) counts[p.level] += 1;
  return counts;
}

/** The ids of every point below `id` (children, their children, ...), not `id` itself. */
export function descendants(points: readonly Node[], id: string): string[] {
  const found: string[] = [];
  const seen = new Set([id]);
  let frontier = [id];
  while (frontier.length > 0) {
    const next = points.filter((p) => p.parentId !== null && frontier.includes(p.parentId) && !seen.has(p.id));
    for (const p of next) {
      seen.add(p.id);
      found.push(p.id);
    }
    frontier = next.map((p) => p.id);
  }
  return found;
}

/** The ids from `id`'s parent up to its root (nearest first), stopping at a point not in the list. */
export function ancestors(points: readonly Node[], id: string): string[] {
  const byId = new Map(points.map((p) => [p.id, p]));
  const found: string[] = [];
  let parent = byId.get(id)?.parentId ?? null;
  while (parent !== null && byId.has(parent) && !found.includes(parent) && parent !== id) {
    found.push(parent);
    parent = byId.get(parent)?.parentId ?? null;
  }
  return found;
}

/** Points that may be the parent of a point of `level` (a higher level, never `self` or one below it). */
export function parentChoices<P extends Node>(points: readonly P[], level: PointLevel, self: string | null): P[] {
  const below = self === null ? new Set<string>() : new Set([self, ...descendants(points, self)]);
  return points.filter((p) => rank(p.level) < rank(level) && !below.has(p.id));
}

/** The usual level below `level` (what a point added under it is likely to be). */
export const levelBelow = (level: PointLevel): PointLevel => LEVELS[Math.min(rank(level) + 1, LEVELS.length - 1)] ?? 'commune';

/** Letters without their Vietnamese marks, lower case, words joined by dashes, within the id's limits. */
export function slug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, LIMITS.idMax)
    .replace(/-+$/, '');
}

/** An id for a point called `name`, not among `taken` ("-2", "-3" ... added when it is). */
export function suggestId(name: string, taken: ReadonlySet<string>): string {
  const base = slug(name) || 'diem-cau';
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const tail = `-${n}`;
    const id = `${base.slice(0, LIMITS.idMax - tail.length).replace(/-+$/, '')}${tail}`;
    if (!taken.has(id)) return id;
  }
}
