// Short names for the wall's compact tiles: the words every point of the same level starts with ("Ủy ban
// MTTQ Việt Nam …", "Điểm cầu …") say nothing on a wall of them, so the tile shows the rest; the full name
// stays in the tile's title and its accessible name.
import type { PointView } from '../../../../shared/domain.ts';

/** pointId → the name without the words its level's points all begin with (the full name when that leaves nothing). */
export function shortNames(points: readonly PointView[]): Map<string, string> {
  const byLevel = new Map<string, string[][]>();
  for (const p of points) byLevel.set(p.level, [...(byLevel.get(p.level) ?? []), p.name.split(/\s+/)]);
  const prefix = new Map<string, number>();
  for (const [level, names] of byLevel) {
    const first = names[0] ?? [];
    let n = 0;
    if (names.length > 1) while (n < first.length && names.every((w) => w.length > n + 1 && w[n] === first[n])) n++;
    prefix.set(level, n);
  }
  return new Map(
    points.map((p) => [
      p.id,
      p.name
        .split(/\s+/)
        .slice(prefix.get(p.level) ?? 0)
        .join(' '),
    ]),
  );
}
