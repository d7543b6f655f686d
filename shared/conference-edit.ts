// What an organiser may change in a conference, written once for the hub (which refuses) and the organiser
// page (which greys out the fields). Before anyone connects and before the rehearsal, everything the spec
// checks allow. Once the conference is in use (rehearsal, live, or any point connected) only what cannot
// break a session in progress: titles, texts, times, the banner, the floor length, point names and venues,
// new points, new or edited agenda items, new question categories. An ended conference is a record.
import type { ConferenceSpec, ConferenceStatus } from './domain.ts';
import type { Reason } from './errors.ts';

export type EditMode = 'full' | 'in_use' | 'closed';

/** The mode of an edit: `connected` is how many points have a session now. */
export function editMode(status: ConferenceStatus, connected: number): EditMode {
  if (status === 'ended') return 'closed';
  if (status === 'rehearsal' || status === 'live' || connected > 0) return 'in_use';
  return 'full';
}

export interface EditProblem {
  reason: Reason;
  params: Record<string, string | number>;
}

const upcoming = (s: ConferenceStatus): boolean => s === 'draft' || s === 'scheduled';

/** Why `after` may not replace `before` in this mode, or null when it may. Both specs are already valid. */
export function editProblem(before: ConferenceSpec, after: ConferenceSpec, mode: EditMode): EditProblem | null {
  if (mode === 'closed') return { reason: 'conference.ended', params: {} };
  if (after.id !== before.id) return { reason: 'edit.id_changed', params: { conferenceId: before.id } };
  if (after.status !== before.status && !(upcoming(after.status) && upcoming(before.status))) {
    return { reason: 'edit.status', params: { from: before.status, to: after.status } };
  }
  if (mode === 'full') return null;
  if (after.status !== before.status) return { reason: 'edit.status', params: { from: before.status, to: after.status } };
  if (after.centralPointId !== before.centralPointId) return { reason: 'edit.in_use_central', params: {} };
  const next = new Map(after.points.map((p) => [p.id, p]));
  for (const p of before.points) {
    const q = next.get(p.id);
    if (!q) return { reason: 'edit.in_use_point_removed', params: { pointId: p.id } };
    if (q.level !== p.level || q.parentId !== p.parentId || q.centralSide !== p.centralSide) {
      return { reason: 'edit.in_use_point_moved', params: { pointId: p.id } };
    }
  }
  const items = new Set(after.agenda.map((i) => i.id));
  for (const item of before.agenda) {
    if (!items.has(item.id)) return { reason: 'edit.in_use_agenda_removed', params: { itemId: item.id } };
  }
  const categories = new Set(after.questionCategories);
  for (const category of before.questionCategories) {
    if (!categories.has(category)) return { reason: 'edit.in_use_category_removed', params: { category } };
  }
  return null;
}
