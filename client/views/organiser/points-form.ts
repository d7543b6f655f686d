// The form that adds a point to the draft or edits one: id (suggested from the name until the clerk types
// one), name, level, parent (points of a higher level), central side, venue, presiding, expected attendance.
// Each value is checked with PointSpec's own field schema and a refusal is written next to its field; in a
// conference in use a saved point keeps its level, parent and side (shared/conference-edit.ts).
import type { PointLevel, PointSpec } from '../../../shared/domain.ts';
import { PointSpec as PointSchema } from '../../../shared/domain.ts';
import { LIMITS } from '../../../shared/rules.ts';
import { t, type Key } from '../../i18n.ts';
import { button, h, option, tr } from '../../ui/dom.ts';
import { toast } from '../../ui/toast.ts';
import type { DraftHost } from './draft.ts';
import { LEVELS, levelBelow, parentChoices, suggestId } from './points-tree.ts';

export interface PointFormOptions {
  host: DraftHost;
  /** The point being edited, or null to add one (under `parentId` when given). */
  editing: PointSpec | null;
  parentId?: string | null;
  onClose(): void;
}

type Field = 'id' | 'name' | 'venue' | 'presiding' | 'expectedAttendance';

export function pointForm({ host, editing, parentId = null, onClose }: PointFormOptions): HTMLElement {
  const spec = host.spec();
  const taken = new Set(spec.points.map((p) => p.id));
  const parent = spec.points.find((p) => p.id === parentId);
  const locked = editing !== null && host.mode() === 'in_use' && (host.saved()?.points.some((p) => p.id === editing.id) ?? false);
  const errors = new Map<Field, HTMLElement>();
  const text = (name: Field, value: string, attrs: Record<string, string | number | boolean> = {}): HTMLInputElement => {
    const input = h('input', { attrs: { type: 'text', name, autocomplete: 'off', ...attrs } });
    input.value = value;
    return input;
  };
  const name = text('name', editing?.name ?? '', { required: true, maxlength: 200 });
  const id = text('id', editing?.id ?? '', { readonly: editing !== null, spellcheck: false, maxlength: LIMITS.idMax });
  let idTyped = editing !== null;
  const level = h('select', { attrs: { name: 'level', disabled: locked } });
  const initialLevel: PointLevel =
    editing?.level ?? (parent ? levelBelow(parent.level) : spec.points.length === 0 ? 'central' : 'province');
  for (const l of LEVELS) level.append(option(l, t(`orgp.level.${l}`), l === initialLevel));
  const parentSelect = h('select', { attrs: { name: 'parentId', disabled: locked } });
  const fillParents = (chosen: string | null): void => {
    const choices = parentChoices(spec.points, level.value as PointLevel, editing?.id ?? null);
    parentSelect.replaceChildren(
      option('', t('orgp.form.noParent'), chosen === null),
      ...choices.map((p) => option(p.id, `${p.name} (${t(`orgp.level.${p.level}`)})`, p.id === chosen)),
    );
    if (!choices.some((p) => p.id === chosen)) parentSelect.value = '';
  };
  fillParents(editing ? editing.parentId : (parent?.id ?? spec.centralPointId));
  const centralSide = h('input', { attrs: { type: 'checkbox', name: 'centralSide', disabled: locked } });
  centralSide.checked = editing?.centralSide ?? false;
  const venue = text('venue', editing?.venue ?? '', { maxlength: 300 });
  const presiding = text('presiding', editing?.presiding ?? '', { maxlength: 200 });
  const attendance = h('input', {
    attrs: { type: 'number', name: 'expectedAttendance', min: 0, max: LIMITS.attendanceMax, step: 1, inputmode: 'numeric' },
  });
  attendance.value = String(editing?.expectedAttendance ?? 0);

  name.addEventListener('input', () => {
    if (!idTyped) id.value = suggestId(name.value, taken);
  });
  id.addEventListener('input', () => {
    idTyped = id.value !== '';
  });
  level.addEventListener('change', () => fillParents(parentSelect.value || null));

  const row = (field: Field | null, key: Key, control: HTMLElement, hint?: Key): HTMLElement => {
    const error = h('span', { class: 'orgp-error', attrs: { role: 'alert' }, data: field ? { errorFor: field } : {} });
    if (field) errors.set(field, error);
    return h('label', { class: 'field orgp-field' }, tr(key), control, hint ? tr(hint, 'span', { class: 'muted orgp-hint' }) : null, error);
  };

  /** Checks every field; writes each refusal next to its field and returns the point, or null. */
  const check = (): PointSpec | null => {
    const problems = new Map<Field, string>();
    const idValue = id.value.trim();
    if (!PointSchema.shape.id.safeParse(idValue).success) problems.set('id', t('orgp.err.id'));
    else if (editing === null && taken.has(idValue)) problems.set('id', t('orgp.err.idTaken'));
    if (!PointSchema.shape.name.safeParse(name.value.trim()).success) problems.set('name', t('orgp.err.name'));
    if (!PointSchema.shape.venue.safeParse(venue.value.trim()).success) problems.set('venue', t('orgp.err.venue'));
    if (!PointSchema.shape.presiding.safeParse(presiding.value.trim()).success) problems.set('presiding', t('orgp.err.presiding'));
    const count = attendance.value.trim() === '' ? 0 : Number(attendance.value);
    if (!PointSchema.shape.expectedAttendance.safeParse(count).success) {
      problems.set('expectedAttendance', t('orgp.err.attendance', { max: LIMITS.attendanceMax }));
    }
    for (const [field, el] of errors) {
      el.textContent = problems.get(field) ?? '';
      el.closest('.orgp-field')?.classList.toggle('invalid', problems.has(field));
    }
    if (problems.size > 0) return null;
    return {
      id: idValue,
      name: name.value.trim(),
      level: level.value as PointLevel,
      parentId: parentSelect.value || null,
      centralSide: centralSide.checked,
      venue: venue.value.trim(),
      presiding: presiding.value.trim(),
      expectedAttendance: count,
    };
  };

  const form: HTMLFormElement = h(
    'form',
    {
      class: 'orgp-form',
      data: { form: editing ? 'edit-point' : 'add-point' },
      attrs: { novalidate: true },
      on: {
        submit: (event) => {
          event.preventDefault();
          const point = check();
          if (!point) {
            toast(t('orgp.form.fix'), 'error');
            form.querySelector<HTMLElement>('.invalid input')?.focus();
            return;
          }
          host.change((draft) => {
            const at = draft.points.findIndex((p) => p.id === (editing?.id ?? point.id));
            if (at >= 0) draft.points[at] = point;
            else draft.points.push(point);
            // The first point of a new conference hosts it until the general tab says otherwise.
            if (!draft.points.some((p) => p.id === draft.centralPointId)) draft.centralPointId = point.id;
          });
          toast(editing ? t('orgp.updated', { name: point.name }) : t('orgp.added', { count: 1 }));
          onClose();
        },
      },
    },
    h('h3', {}, editing ? t('orgp.form.edit', { name: editing.name }) : t('orgp.form.add')),
    locked ? tr('orgp.form.locked', 'p', { class: 'muted' }) : null,
    h(
      'div',
      { class: 'orgp-form-grid' },
      row('name', 'orgp.col.name', name),
      row('id', 'orgp.col.id', id, editing ? undefined : 'orgp.form.idHint'),
      row(null, 'orgp.col.level', level),
      row(null, 'orgp.col.parentId', parentSelect),
      row('venue', 'orgp.col.venue', venue),
      row('presiding', 'orgp.col.presiding', presiding),
      row('expectedAttendance', 'orgp.col.expectedAttendance', attendance),
      h('label', { class: 'orgp-check' }, centralSide, tr('orgp.form.centralSide')),
    ),
    h(
      'div',
      { class: 'orgp-form-actions' },
      h(
        'button',
        { class: 'primary', attrs: { type: 'submit' }, data: { action: 'save-point' } },
        t(editing ? 'orgp.form.confirmEdit' : 'orgp.form.confirmAdd'),
      ),
      button('orgp.form.cancel', onClose, { data: { action: 'cancel-point' } }),
    ),
  );
  queueMicrotask(() => name.focus());
  return form;
}
