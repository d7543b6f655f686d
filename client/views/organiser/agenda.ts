// The editor's "Chương trình" tab: the agenda's items (id, title, the rapporteur's point and name, planned
// minutes), added, removed and moved up or down, with the total planned time and when it would end. An
// item's id is made from its title while the person has not typed one. In use, saved items stay (their ids
// fixed, not removable) and new ones may be added; an ended conference is read-only.
import type { ConferenceSpec } from '../../../shared/domain.ts';
import { AgendaItem } from '../../../shared/records.ts';
import { onLanguage, t } from '../../i18n.ts';
import { button, fill, h, option, setText, tr } from '../../ui/dom.ts';
import type { DraftHost, EditorTab } from './draft.ts';
import { markField } from './fields.ts';
import { check, splitIso, suggestId, uniqueId } from './form.ts';

const A = AgendaItem.shape;

/** Gives every item without an id one made from its title (unique in the agenda). */
export function fillAgendaIds(spec: ConferenceSpec): void {
  const taken = new Set(spec.agenda.map((i) => i.id).filter((id) => id !== ''));
  for (const item of spec.agenda) {
    if (item.id !== '') continue;
    item.id = uniqueId(suggestId(item.title), taken);
    taken.add(item.id);
  }
}

function sync(input: HTMLInputElement | HTMLSelectElement, value: string): void {
  if (document.activeElement !== input && input.value !== value) input.value = value;
}

export function agendaTab(host: DraftHost): EditorTab {
  const body = h('tbody');
  const total = h('p', { class: 'org-agenda-total', attrs: { role: 'status' } });
  const add = button(
    'org.a.add',
    () => {
      host.change((spec) => {
        spec.agenda.push({ id: '', title: '', rapporteurPointId: null, rapporteur: '', plannedMinutes: 10 });
      });
      body.querySelector<HTMLInputElement>('tr:last-child [data-part="title"]')?.focus();
    },
    { class: 'primary', data: { action: 'add-item' } },
  );
  const head = h(
    'tr',
    {},
    h('th', { attrs: { scope: 'col' } }, '#'),
    ...(['org.a.title', 'org.a.id', 'org.a.point', 'org.a.rapporteur', 'org.a.minutes', 'org.actions'] as const).map((key) =>
      h('th', { attrs: { scope: 'col' } }, tr(key)),
    ),
  );
  const empty = tr('org.a.empty', 'p', { class: 'muted org-empty' });
  const fieldset = h('fieldset', { class: 'org-form' }, h('table', { class: 'org-table org-agenda' }, h('thead', {}, head), body), empty);
  const el = h(
    'section',
    { class: 'org-tab org-agenda-tab', data: { tabPanel: 'agenda' } },
    h('div', { class: 'org-tab-head' }, tr('org.a.heading', 'h2'), add),
    tr('org.a.intro', 'p', { class: 'muted' }),
    fieldset,
    total,
  );
  // Ids made from titles: they follow the title until the person types an id of their own.
  const autoIds = new Set<string>();
  let rows = -1;

  const cell = (control: HTMLElement, path: string, part: string): HTMLTableCellElement => {
    control.dataset['field'] = path;
    control.dataset['part'] = part;
    return h('td', { class: 'org-cell' }, control, h('span', { class: 'org-field-error', attrs: { role: 'alert', hidden: true } }));
  };

  const row = (index: number): HTMLTableRowElement => {
    const p = `agenda.${index}`;
    const title = h('input', { attrs: { type: 'text', maxlength: A.title.maxLength ?? undefined }, label: 'org.a.title' });
    title.addEventListener('input', () => {
      host.change((spec) => {
        const item = spec.agenda[index];
        if (!item) return;
        item.title = title.value;
        if (item.id === '' || autoIds.has(item.id)) {
          autoIds.delete(item.id);
          const taken = new Set(spec.agenda.filter((i) => i !== item).map((i) => i.id));
          item.id = title.value.trim() ? uniqueId(suggestId(title.value), taken) : '';
          if (item.id) autoIds.add(item.id);
        }
      });
      markField(el, `${p}.title`, check(A.title, title.value));
      markField(el, `${p}.id`, null);
    });
    const id = h('input', { attrs: { type: 'text', maxlength: 64, spellcheck: 'false' }, label: 'org.a.id' });
    id.addEventListener('input', () => {
      host.change((spec) => {
        const item = spec.agenda[index];
        if (!item) return;
        autoIds.delete(item.id);
        item.id = id.value.trim();
      });
      const value = id.value.trim();
      const twice = host.spec().agenda.some((other, j) => j !== index && other.id === value);
      markField(el, `${p}.id`, value === '' ? null : twice ? t('org.err.duplicate') : check(A.id, value));
    });
    const point = h('select', { label: 'org.a.point' });
    point.addEventListener('change', () =>
      host.change((spec) => {
        const item = spec.agenda[index];
        if (item) item.rapporteurPointId = point.value || null;
      }),
    );
    const rapporteur = h('input', { attrs: { type: 'text', maxlength: 300 }, label: 'org.a.rapporteur' });
    rapporteur.addEventListener('input', () =>
      host.change((spec) => {
        const item = spec.agenda[index];
        if (item) item.rapporteur = rapporteur.value;
      }),
    );
    const minutes = h('input', { attrs: { type: 'number', min: 1, max: 600, step: 1, inputmode: 'numeric' }, label: 'org.a.minutes' });
    minutes.addEventListener('input', () => {
      const value = Number(minutes.value);
      const problem = minutes.value.trim() === '' ? t('org.err.empty') : check(A.plannedMinutes, value);
      if (!problem) {
        host.change((spec) => {
          const item = spec.agenda[index];
          if (item) item.plannedMinutes = value;
        });
      }
      markField(el, `${p}.plannedMinutes`, problem);
    });
    const move = (step: number) => () =>
      host.change((spec) => {
        const [item] = spec.agenda.splice(index, 1);
        if (item) spec.agenda.splice(index + step, 0, item);
        rows = -1;
      });
    const up = button('org.up', move(-1), { class: 'small', data: { action: 'up' } });
    const down = button('org.down', move(1), { class: 'small', data: { action: 'down' } });
    const remove = button(
      'org.remove',
      () =>
        host.change((spec) => {
          spec.agenda.splice(index, 1);
          rows = -1;
        }),
      { class: 'small', data: { action: 'remove-item' } },
    );
    return h(
      'tr',
      { data: { index: String(index) } },
      h('td', { class: 'org-num' }, String(index + 1)),
      cell(title, `${p}.title`, 'title'),
      cell(id, `${p}.id`, 'id'),
      cell(point, `${p}.rapporteurPointId`, 'point'),
      cell(rapporteur, `${p}.rapporteur`, 'rapporteur'),
      cell(minutes, `${p}.plannedMinutes`, 'minutes'),
      h('td', {}, h('div', { class: 'org-row-actions' }, up, down, remove)),
    );
  };

  const draw = (): void => {
    const spec = host.spec();
    const mode = host.mode();
    const saved = new Set(mode === 'in_use' ? (host.saved()?.agenda.map((i) => i.id) ?? []) : []);
    if (rows !== spec.agenda.length) {
      fill(body, ...spec.agenda.map((_, index) => row(index)));
      rows = spec.agenda.length;
    }
    spec.agenda.forEach((item, index) => {
      const tr = body.children[index];
      if (!tr) return;
      const part = <T extends HTMLElement>(name: string): T => tr.querySelector(`[data-part="${name}"]`) as T;
      sync(part<HTMLInputElement>('title'), item.title);
      sync(part<HTMLInputElement>('id'), item.id);
      sync(part<HTMLInputElement>('rapporteur'), item.rapporteur);
      const minutes = part<HTMLInputElement>('minutes');
      if (minutes.getAttribute('aria-invalid') !== 'true') sync(minutes, String(item.plannedMinutes));
      const select = part<HTMLSelectElement>('point');
      fill(
        select,
        option('', t('org.a.noPoint'), item.rapporteurPointId === null),
        ...spec.points.map((pt) => option(pt.id, pt.name, pt.id === item.rapporteurPointId)),
      );
      select.value = item.rapporteurPointId ?? '';
      const kept = saved.has(item.id);
      part<HTMLInputElement>('id').disabled = kept;
      const [up, down, remove] = [...tr.querySelectorAll<HTMLButtonElement>('.org-row-actions button')];
      if (up) up.disabled = index === 0;
      if (down) down.disabled = index === spec.agenda.length - 1;
      if (remove) {
        remove.disabled = kept;
        remove.title = kept ? t('org.inUse.keptItem') : '';
      }
    });
    empty.hidden = spec.agenda.length > 0;
    fieldset.disabled = mode === 'closed';
    add.disabled = mode === 'closed' || spec.agenda.length >= 200;
    const minutes = spec.agenda.reduce((sum, item) => sum + item.plannedMinutes, 0);
    const start = splitIso(spec.startsAt).time;
    const [hh, mm] = start.split(':').map(Number);
    const end = (hh ?? 0) * 60 + (mm ?? 0) + minutes;
    const endText = start ? `${String(Math.floor(end / 60) % 24).padStart(2, '0')}:${String(end % 60).padStart(2, '0')}` : '';
    setText(total, t('org.a.total', { n: spec.agenda.length, minutes, hours: Math.floor(minutes / 60), rest: minutes % 60, end: endText }));
  };

  host.onChange(draw);
  const offLanguage = onLanguage(() => (el.isConnected ? draw() : offLanguage()));
  draw();
  return { el };
}
