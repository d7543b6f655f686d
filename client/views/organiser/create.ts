// "Tạo hội nghị": start from scratch (one central point), from a previous conference (its spec copied) or
// from a shipped template, then give the new conference its title, id (suggested from the title: no marks,
// đ→d, dashes, at most 64) and start. Nothing is stored here: the editor opens on the new draft and only its
// "Lưu" sends it to the hub.
import { z } from 'zod';
import { ConferenceSpec } from '../../../shared/domain.ts';
import { ConferenceListItem, TemplateSummary } from '../../../shared/organiser.ts';
import { t, type Key } from '../../i18n.ts';
import { describeError, reasonCode } from '../../i18n/describe.ts';
import { button, fill, h, option, tr } from '../../ui/dom.ts';
import { api } from './api.ts';
import { loadConference } from './editor.ts';
import { fieldBox, heading, markField } from './fields.ts';
import { check, joinIso, splitIso, suggestId, uniqueId, whenText } from './form.ts';

type Source = 'blank' | 'previous' | 'template';
const S = ConferenceSpec.shape;

/** The smallest conference the hub takes: one central point, the default category, no agenda. */
export function blankSpec(id: string, title: string, startsAt: string): ConferenceSpec {
  return ConferenceSpec.parse({
    id,
    title,
    startsAt,
    centralPointId: 'trung-tam',
    points: [{ id: 'trung-tam', name: t('org.create.centralName'), level: 'central' }],
  });
}

/** The create page; `ready` opens the editor on the new draft. */
export function createView(ready: (spec: ConferenceSpec) => void): HTMLElement {
  let source: Source = 'blank';
  const previous = h('select', { data: { field: 'previous' } });
  const template = h('select', { data: { field: 'template' } });
  const choice = (value: Source, key: Key, hint: Key, extra?: HTMLElement): HTMLElement => {
    const radio = h('input', {
      attrs: { type: 'radio', name: 'source', value, checked: value === source },
      on: {
        change: () => {
          source = value;
          for (const card of sources.querySelectorAll<HTMLElement>('.org-source'))
            card.dataset['on'] = String(card.dataset['source'] === value);
        },
      },
    });
    return h(
      'label',
      { class: 'org-source', data: { source: value, on: String(value === source) } },
      h('span', { class: 'org-source-head' }, radio, tr(key, 'strong')),
      tr(hint, 'span', { class: 'muted small-text' }),
      extra ?? null,
    );
  };
  const sources = h(
    'fieldset',
    { class: 'org-sources' },
    tr('org.create.from', 'legend'),
    choice('blank', 'org.create.blank', 'org.create.blankHint'),
    choice('previous', 'org.create.previous', 'org.create.previousHint', previous),
    choice('template', 'org.create.template', 'org.create.templateHint', template),
  );
  for (const select of [previous, template]) {
    select.addEventListener('focus', () => {
      const radio = select.closest('.org-source')?.querySelector('input');
      if (radio && !radio.checked) radio.click();
    });
  }

  const title = h('input', { attrs: { type: 'text', maxlength: S.title.maxLength ?? undefined, autocomplete: 'off' } });
  const id = h('input', { attrs: { type: 'text', maxlength: 64, spellcheck: 'false', autocomplete: 'off' } });
  const date = h('input', { attrs: { type: 'date', name: 'date' } });
  const time = h('input', { attrs: { type: 'time', name: 'time', step: 60 }, on: {} });
  time.value = '08:00';
  let idTyped = false;
  /** Ids of the stored conferences: a new one may not take one of them. */
  const taken = new Set<string>();
  const idProblem = (): string | null => (taken.has(id.value) ? t('org.create.idTaken') : check(S.id, id.value));
  title.addEventListener('input', () => {
    if (!idTyped) id.value = uniqueId(suggestId(title.value), taken, 'hoi-nghi');
    markField(el, 'title', check(S.title, title.value));
    if (!idTyped) markField(el, 'id', null);
  });
  id.addEventListener('input', () => {
    idTyped = id.value !== '';
    markField(el, 'id', idProblem());
  });
  const problem = h('p', { class: 'org-save-error', attrs: { role: 'alert', hidden: true } });
  const go = button('org.create.continue', () => void start(), { class: 'primary big', data: { action: 'continue' } });

  const el = h(
    'section',
    { class: 'org-create' },
    h('a', { class: 'org-back', attrs: { href: '#/' } }, tr('org.back')),
    heading('org.create.heading'),
    sources,
    h(
      'fieldset',
      { class: 'org-create-form' },
      tr('org.create.about', 'legend'),
      fieldBox('org.f.title', title, 'title'),
      fieldBox('org.f.id', id, 'id', 'org.f.idHint'),
      fieldBox('org.f.start', h('div', { class: 'org-datetime' }, date, time), 'startsAt'),
    ),
    tr('org.create.nothingStored', 'p', { class: 'muted' }),
    h('div', { class: 'row' }, go),
    problem,
  );

  const say = (error: unknown): void => {
    problem.hidden = false;
    problem.textContent = describeError(error);
    problem.dataset['reason'] = reasonCode(error);
  };

  void api(z.object({ conferences: z.array(ConferenceListItem) }), '/conferences')
    .then(({ conferences }) => {
      for (const c of conferences) taken.add(c.id);
      fill(previous, ...conferences.map((c) => option(c.id, `${c.title} — ${whenText(c.startsAt)}`)));
    })
    .catch(say);
  void api(z.object({ templates: z.array(TemplateSummary) }), '/templates')
    .then(({ templates }) =>
      fill(
        template,
        ...templates.map((x) => option(x.id, `${x.title} — ${t('org.create.templateSize', { points: x.points, items: x.agendaItems })}`)),
      ),
    )
    .catch(say);

  async function start(): Promise<void> {
    problem.hidden = true;
    const titleProblem = check(S.title, title.value.trim());
    const idWrong = idProblem();
    markField(el, 'title', titleProblem);
    markField(el, 'id', idWrong);
    markField(el, 'startsAt', date.value ? null : t('org.err.empty'));
    const choiceProblem = (source === 'previous' && !previous.value) || (source === 'template' && !template.value);
    if (choiceProblem) {
      problem.hidden = false;
      problem.textContent = t('org.create.pick');
    }
    if (titleProblem || idWrong || !date.value || choiceProblem) return;
    go.disabled = true;
    try {
      let base: ConferenceSpec | null = null;
      if (source === 'previous') base = (await loadConference(previous.value)).spec;
      if (source === 'template') {
        base = (await api(z.object({ spec: ConferenceSpec }), `/templates/${encodeURIComponent(template.value)}`)).spec;
      }
      const startsAt = joinIso(date.value, time.value, base ? splitIso(base.startsAt).offset : '+07:00');
      const spec = base
        ? { ...structuredClone(base), id: id.value, title: title.value.trim(), startsAt, rehearsalAt: null, status: 'scheduled' as const }
        : blankSpec(id.value, title.value.trim(), startsAt);
      ready(spec);
    } catch (error) {
      say(error);
    } finally {
      go.disabled = false;
    }
  }

  return el;
}
