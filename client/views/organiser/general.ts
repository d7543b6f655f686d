// The editor's "Thông tin chung" tab: title, content, organiser, start and rehearsal (date and time as written
// in the conference's own time), the banner text beside its live preview, the floor length in minutes, the
// question categories and the central point. Each field is checked as it is typed with the same schema the
// hub uses (ConferenceSpec.shape.*) and its problem shown under it. A conference in use keeps its central
// point and its saved categories; an ended one is read-only.
import { ConferenceSpec } from '../../../shared/domain.ts';
import { LIMITS } from '../../../shared/rules.ts';
import { lang, onLanguage, t, type Key } from '../../i18n.ts';
import { button, fill, h, option, setText, tr } from '../../ui/dom.ts';
import { bannerPreview } from './banner-preview.ts';
import type { DraftHost, EditorTab } from './draft.ts';
import { fieldBox, markField } from './fields.ts';
import { check, dayInWords, joinIso, splitIso } from './form.ts';

const S = ConferenceSpec.shape;
type TextField = 'title' | 'content' | 'organiser' | 'banner';
const MAX: Record<TextField, number | null> = {
  title: S.title.maxLength,
  content: S.content.unwrap().maxLength,
  organiser: S.organiser.unwrap().maxLength,
  banner: S.banner.unwrap().maxLength,
};

/** Sets an input's value unless the person is typing in it (their text wins). */
function sync(input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, value: string): void {
  if (document.activeElement !== input && input.value !== value) input.value = value;
}

function floorProblem(seconds: number): string | null {
  const ok = Number.isFinite(seconds) && seconds >= LIMITS.conferenceFloorSecondsMin && seconds <= LIMITS.floorSecondsMax;
  return ok ? null : t('org.err.floor', { min: LIMITS.conferenceFloorSecondsMin, max: LIMITS.floorSecondsMax / 60 });
}

export function generalTab(host: DraftHost): EditorTab {
  const preview = bannerPreview(host);
  const form = h('fieldset', { class: 'org-form' });
  const el = h(
    'section',
    { class: 'org-tab org-general', data: { tabPanel: 'general' } },
    h('div', { class: 'org-general-grid' }, form, preview.el),
  );

  const text = (name: TextField, key: Key, long: boolean, hint?: Key): HTMLInputElement | HTMLTextAreaElement => {
    const input = long
      ? h('textarea', { attrs: { rows: name === 'content' ? 4 : 3, maxlength: MAX[name] ?? undefined } })
      : h('input', { attrs: { type: 'text', maxlength: MAX[name] ?? undefined } });
    input.addEventListener('input', () => {
      host.change((spec) => {
        spec[name] = input.value;
      });
      markField(el, name, check(S[name], input.value));
    });
    form.append(fieldBox(key, input, name, hint));
    return input;
  };

  const title = text('title', 'org.f.title', false);
  // A new conference's id may still change (a stored one's never does).
  const id = h('input', { attrs: { type: 'text', maxlength: 64, spellcheck: 'false' } });
  if (host.conferenceId === null) {
    id.addEventListener('input', () => {
      host.change((spec) => {
        spec.id = id.value;
      });
      markField(el, 'id', check(S.id, id.value));
    });
    form.append(fieldBox('org.f.id', id, 'id', 'org.f.idHint'));
  }
  const when = (field: 'startsAt' | 'rehearsalAt', key: Key, optional: boolean) => {
    const date = h('input', { attrs: { type: 'date', name: 'date' } });
    const time = h('input', { attrs: { type: 'time', name: 'time', step: 60 } });
    const clear = optional ? button('org.f.noRehearsal', () => write(true), { class: 'small', data: { action: 'clear-rehearsal' } }) : null;
    const words = h('span', { class: 'org-when-words', data: { whenWords: field } });
    const box = h('div', { class: 'org-datetime' }, date, time, clear, words);
    const write = (empty = false): void => {
      if (empty) {
        date.value = '';
        time.value = '';
      }
      const offset = splitIso(host.spec()[field] ?? host.spec().startsAt).offset;
      const value = date.value ? joinIso(date.value, time.value, offset) : null;
      if (optional || value !== null) {
        host.change((spec) => {
          if (field === 'rehearsalAt') spec.rehearsalAt = value;
          else if (value !== null) spec.startsAt = value;
        });
      }
      markField(el, field, !optional && value === null ? t('org.err.empty') : check(S[field], value));
    };
    date.addEventListener('input', () => write());
    time.addEventListener('input', () => write());
    form.append(fieldBox(key, box, field, optional ? 'org.f.rehearsalHint' : undefined));
    return { date, time, words };
  };
  const start = when('startsAt', 'org.f.start', false);
  const rehearsal = when('rehearsalAt', 'org.f.rehearsal', true);
  const organiser = text('organiser', 'org.f.organiser', false);
  const content = text('content', 'org.f.content', true);
  const banner = text('banner', 'org.f.banner', true, 'org.f.bannerHint');

  const floor = h('input', { attrs: { type: 'number', min: 0.5, max: LIMITS.floorSecondsMax / 60, step: 0.5, inputmode: 'decimal' } });
  floor.addEventListener('input', () => {
    const seconds = Math.round(Number(floor.value.replace(',', '.')) * 60);
    const problem = floor.value.trim() === '' ? t('org.err.empty') : floorProblem(seconds);
    if (!problem) {
      host.change((spec) => {
        spec.floorSeconds = seconds;
      });
    }
    markField(el, 'floorSeconds', problem);
  });
  form.append(fieldBox('org.f.floor', floor, 'floorSeconds', 'org.f.floorHint'));

  const central = h('select', {
    on: {
      change: () =>
        host.change((spec) => {
          spec.centralPointId = central.value;
        }),
    },
  });
  form.append(fieldBox('org.f.central', central, 'centralPointId', 'org.f.centralHint'));

  const categoryList = h('ol', { class: 'org-categories', data: { field: 'questionCategories' } });
  const addCategory = button(
    'org.f.addCategory',
    () => {
      host.change((spec) => {
        spec.questionCategories.push(t('org.f.newCategory', { n: spec.questionCategories.length + 1 }));
      });
      categoryList.querySelector<HTMLInputElement>('li:last-child input')?.select();
    },
    { class: 'small', data: { action: 'add-category' } },
  );
  const categoryError = h('span', { class: 'org-field-error', attrs: { role: 'alert', hidden: true } });
  form.append(h('div', { class: 'field org-field org-categories-box' }, tr('org.f.categories'), categoryList, addCategory, categoryError));

  const drawCategories = (): void => {
    const spec = host.spec();
    const saved = new Set(host.mode() === 'in_use' ? (host.saved()?.questionCategories ?? []) : []);
    const rows = [...categoryList.children] as HTMLLIElement[];
    if (rows.length !== spec.questionCategories.length) {
      fill(
        categoryList,
        ...spec.questionCategories.map((_, index) => {
          const input = h('input', {
            attrs: { type: 'text', maxlength: LIMITS.categoryMax },
            data: { field: `questionCategories.${index}` },
          });
          input.addEventListener('input', () => {
            host.change((s) => {
              s.questionCategories[index] = input.value;
            });
            const twice = host.spec().questionCategories.filter((c) => c === input.value).length > 1;
            markField(
              el,
              `questionCategories.${index}`,
              twice ? t('org.err.duplicate') : check(S.questionCategories.unwrap().element, input.value),
            );
          });
          const remove = button('org.remove', () => host.change((s) => void s.questionCategories.splice(index, 1)), {
            class: 'small',
            data: { action: 'remove-category' },
          });
          const error = h('span', { class: 'org-field-error', attrs: { role: 'alert', hidden: true } });
          return h('li', { class: 'org-cell' }, input, remove, error);
        }),
      );
    }
    spec.questionCategories.forEach((name, index) => {
      const row = categoryList.children[index];
      const input = row?.querySelector('input');
      const remove = row?.querySelector('button');
      if (!input || !remove) return;
      sync(input, name);
      // In use, a saved category stays (a question may be filed under it); new ones may change.
      const kept = saved.has(name);
      input.disabled = kept;
      remove.disabled = kept || spec.questionCategories.length <= 1;
      remove.title = kept ? t('org.inUse.keptCategory') : '';
    });
    addCategory.disabled = spec.questionCategories.length >= 50;
  };

  const draw = (): void => {
    const spec = host.spec();
    sync(title, spec.title);
    sync(id, spec.id);
    sync(content, spec.content);
    sync(organiser, spec.organiser);
    sync(banner, spec.banner);
    const s = splitIso(spec.startsAt);
    sync(start.date, s.date);
    sync(start.time, s.time);
    const r = splitIso(spec.rehearsalAt);
    sync(rehearsal.date, r.date);
    sync(rehearsal.time, r.time);
    setText(start.words, dayInWords(s.date, lang()));
    setText(rehearsal.words, dayInWords(r.date, lang()));
    if (document.activeElement !== floor && floorProblem(Math.round(Number(floor.value) * 60)) === null) {
      sync(floor, String(spec.floorSeconds / 60));
    } else if (floor.value === '') sync(floor, String(spec.floorSeconds / 60));
    fill(central, ...spec.points.map((p) => option(p.id, `${p.name} (${t(`level.${p.level}`)})`, p.id === spec.centralPointId)));
    if (!spec.points.some((p) => p.id === spec.centralPointId)) central.append(option(spec.centralPointId, spec.centralPointId, true));
    central.value = spec.centralPointId;
    const mode = host.mode();
    central.disabled = mode !== 'full';
    central.title = mode === 'in_use' ? t('org.inUse.keptCentral') : '';
    form.disabled = mode === 'closed';
    drawCategories();
    preview.draw();
  };

  host.onChange(draw);
  const offLanguage = onLanguage(() => (el.isConnected ? draw() : offLanguage()));
  draw();
  return { el };
}
