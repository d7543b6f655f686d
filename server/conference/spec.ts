// A conference spec as an operator hands it in (API, CLI, the demo files): zod checks each value, this
// checks what zod cannot see across values — duplicate ids, parents, the central point, agenda and
// categories. Errors are `invalid` and name the field.
import { ConferenceSpec } from '../../shared/domain.ts';
import { describeIssue, invalid } from '../errors.ts';

/** Parses and checks a conference spec; throws `invalid` naming the field or the inconsistency. */
export function parseConferenceSpec(value: unknown): ConferenceSpec {
  const result = ConferenceSpec.safeParse(value);
  if (!result.success) throw invalid(describeIssue(result.error, 'conference'));
  const spec = result.data;
  const ids = new Set<string>();
  for (const p of spec.points) {
    if (ids.has(p.id)) throw invalid(`conference: duplicate point id ${p.id}`);
    ids.add(p.id);
  }
  if (!ids.has(spec.centralPointId)) throw invalid(`conference: centralPointId ${spec.centralPointId} is not one of the points`);
  for (const p of spec.points) {
    if (p.parentId === p.id) throw invalid(`conference: point ${p.id} is its own parent`);
    if (p.parentId !== null && !ids.has(p.parentId)) throw invalid(`conference: point ${p.id} has unknown parent ${p.parentId}`);
  }
  const items = new Set<string>();
  for (const item of spec.agenda) {
    if (items.has(item.id)) throw invalid(`conference: duplicate agenda item ${item.id}`);
    items.add(item.id);
    if (item.rapporteurPointId !== null && !ids.has(item.rapporteurPointId)) {
      throw invalid(`conference: agenda item ${item.id} names unknown point ${item.rapporteurPointId}`);
    }
  }
  if (new Set(spec.questionCategories).size !== spec.questionCategories.length) throw invalid('conference: duplicate question category');
  return spec;
}

