// A conference spec as an operator hands it in (API, CLI, the demo files): zod checks each value, this
// checks what zod cannot see across values — duplicate ids, parents, the central point, agenda and
// categories. Every refusal is `invalid` with a reason naming the field or the ids involved.
import { ConferenceSpec } from '../../shared/domain.ts';
import { describeIssue, issueField, refuse } from '../errors.ts';

/** Parses and checks a conference spec; refuses naming the field or the inconsistency. */
export function parseConferenceSpec(value: unknown): ConferenceSpec {
  const result = ConferenceSpec.safeParse(value);
  if (!result.success) throw refuse('spec.invalid', { field: issueField(result.error) }, describeIssue(result.error, 'conference'));
  const spec = result.data;
  const ids = new Set<string>();
  for (const p of spec.points) {
    if (ids.has(p.id)) throw refuse('spec.duplicate_point', { pointId: p.id }, `conference: duplicate point id ${p.id}`);
    ids.add(p.id);
  }
  if (!ids.has(spec.centralPointId)) {
    const pointId = spec.centralPointId;
    throw refuse('spec.central_unknown', { pointId }, `conference: centralPointId ${pointId} is not one of the points`);
  }
  for (const p of spec.points) {
    if (p.parentId === p.id) throw refuse('spec.own_parent', { pointId: p.id }, `conference: point ${p.id} is its own parent`);
    if (p.parentId !== null && !ids.has(p.parentId)) {
      const params = { pointId: p.id, parentId: p.parentId };
      throw refuse('point.unknown_parent', params, `conference: point ${p.id} has unknown parent ${p.parentId}`);
    }
  }
  const items = new Set<string>();
  for (const item of spec.agenda) {
    if (items.has(item.id)) throw refuse('spec.duplicate_agenda_item', { itemId: item.id }, `conference: duplicate agenda item ${item.id}`);
    items.add(item.id);
    const pointId = item.rapporteurPointId;
    if (pointId !== null && !ids.has(pointId)) {
      const message = `conference: agenda item ${item.id} names unknown point ${pointId}`;
      throw refuse('spec.agenda_unknown_point', { itemId: item.id, pointId }, message);
    }
  }
  if (new Set(spec.questionCategories).size !== spec.questionCategories.length) {
    throw refuse('spec.duplicate_category', {}, 'conference: duplicate question category');
  }
  return spec;
}
