// Applying an organiser's edit of a conference (issue #15), once the route has checked it against
// shared/conference-edit.ts. Before anyone uses the conference the whole spec is replaced in the store and
// the registry opens the conference again from it; once it is in use the same store write is made and the
// open conference is changed in place, through the narrow EditHost below, so no session is dropped. Either
// way one transaction holds the stored spec and the edit's event-log row, and only then is anyone told.
import type { ConferenceHeader, ConferenceSpec, ConferenceStatus, PointSpec, PointView } from '../../shared/domain.ts';
import type { Actor } from '../../shared/event-log.ts';
import type { EventName, EventPayload } from '../../shared/protocol.ts';
import type { AgendaView } from '../../shared/records.ts';
import type { ConferenceStore } from '../store/conferences.ts';
import type { RecordStore } from '../store/records.ts';
import type { Session } from './session.ts';

/** What changed: top-level field names, and the points and agenda items added or removed. */
export interface EditSummary {
  fields: string[];
  pointsAdded: string[];
  pointsRemoved: string[];
  agendaAdded: number;
  agendaRemoved: number;
}

/** What an edit in use needs from its open conference (a Conference fits it). */
export interface EditHost {
  readonly spec: ConferenceSpec;
  readonly status: ConferenceStatus;
  sessions(): readonly Session[];
  pointView(pointId: string): PointView;
  readonly records: { agenda(): AgendaView };
  /** Takes in a point already stored and already in `spec.points`. */
  openPoint(spec: PointSpec): void;
}

export interface EditStores {
  conferences: ConferenceStore;
  records: RecordStore;
}

/** Done inside the edit's transaction (the organisers' audit row). */
export type WithinEdit = (summary: EditSummary) => void;

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The spec as it stands now: the open conference's, with its current status. */
export const currentSpec = (host: Pick<EditHost, 'spec' | 'status'>): ConferenceSpec => ({ ...host.spec, status: host.status });

export function summariseEdit(before: ConferenceSpec, after: ConferenceSpec): EditSummary {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof ConferenceSpec>;
  const fields = [...keys].filter((key) => !same(before[key], after[key]));
  const had = new Set(before.points.map((p) => p.id));
  const has = new Set(after.points.map((p) => p.id));
  const items = new Set(before.agenda.map((i) => i.id));
  const nextItems = new Set(after.agenda.map((i) => i.id));
  return {
    fields,
    pointsAdded: [...has].filter((id) => !had.has(id)),
    pointsRemoved: [...had].filter((id) => !has.has(id)),
    agendaAdded: [...nextItems].filter((id) => !items.has(id)).length,
    agendaRemoved: [...items].filter((id) => !nextItems.has(id)).length,
  };
}

/** The store's half of any edit: the spec replaced and the edit's event-log row (and `within`), in one transaction. */
export function storeEdit(
  stores: EditStores,
  before: ConferenceSpec,
  next: ConferenceSpec,
  actor: Actor,
  within?: WithinEdit,
): EditSummary {
  const summary = summariseEdit(before, next);
  const { fields, pointsAdded, pointsRemoved } = summary;
  stores.records.transaction(() => {
    stores.conferences.replace(next);
    stores.records.log(next.id, actor, 'conference.edited', { fields, pointsAdded, pointsRemoved });
    within?.(summary);
  });
  return summary;
}

/** The header every session shows (conference.updated). */
export function headerOf(spec: ConferenceSpec): ConferenceHeader {
  const { title, organiser, startsAt, banner, floorSeconds, questionCategories } = spec;
  return { title, organiser, startsAt, banner, floorSeconds, questionCategories: [...questionCategories] };
}

/** Replaces the contents of `target` with `items`, keeping the array (the conference's parts hold it). */
function refill<T>(target: T[], items: readonly T[]): void {
  target.splice(0, target.length, ...items);
}

/**
 * An edit of a conference in use, already checked (no point removed or moved, no agenda item or category
 * removed, same central point and status): stored, then the open conference's spec changed in place (its
 * parts read it through their hosts), new points taken in, then every session told.
 */
export function applyInUse(host: EditHost, stores: EditStores, next: ConferenceSpec, actor: Actor, within?: WithinEdit): EditSummary {
  const summary = storeEdit(stores, currentSpec(host), next, actor, within);
  const spec = host.spec;
  const { points, agenda, questionCategories, ...scalars } = next;
  Object.assign(spec, scalars);
  refill(spec.questionCategories, questionCategories);
  refill(spec.agenda, agenda);
  const old = new Map(spec.points.map((p) => [p.id, p]));
  const changed: string[] = [];
  const added: PointSpec[] = [];
  const ordered = points.map((p) => {
    const kept = old.get(p.id);
    if (!kept) {
      added.push(p);
      return p;
    }
    if (!same(kept, p)) {
      Object.assign(kept, p);
      changed.push(p.id);
    }
    return kept;
  });
  refill(spec.points, ordered);
  for (const p of added) host.openPoint(p);

  const tell = <K extends EventName>(event: K, payload: EventPayload<K>): void => {
    for (const session of host.sessions()) session.sink.emit(event, payload);
  };
  if (summary.fields.includes('agenda')) tell('agenda.updated', host.records.agenda());
  for (const id of [...changed, ...added.map((p) => p.id)]) tell('point.updated', host.pointView(id));
  tell('conference.updated', headerOf(spec));
  return summary;
}
