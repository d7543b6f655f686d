// The organiser page's form helpers: ids suggested from Vietnamese titles, a field's path (`title`,
// `agenda.2.plannedMinutes`, `points.5.name`) and the tab that holds it, a hub refusal turned into the field
// it names, zod issues in the interface's words, the date and time inputs of an ISO start and dates in words.
// No DOM here (the node tests and the hub's type check read it); the controls are in fields.ts.
import type { z } from 'zod';
import type { ConferenceSpec } from '../../../shared/domain.ts';
import type { Reason } from '../../../shared/errors.ts';
import { LIMITS } from '../../../shared/rules.ts';
import { t, type Key } from '../../i18n.ts';

/** "Hội nghị Tổng kết năm 2024 — Đồng Nai" → "hoi-nghi-tong-ket-nam-2024-dong-nai" (at most 64, an id the hub takes). */
export function suggestId(title: string): string {
  const plain = title
    .toLowerCase()
    .replace(/đ/g, 'd')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return plain.slice(0, LIMITS.idMax).replace(/-+$/, '');
}

/** `base`, or `base-2`, `base-3`… when taken (still at most 64 characters). */
export function uniqueId(base: string, taken: ReadonlySet<string>, fallback = 'muc'): string {
  const root = base || fallback;
  if (!taken.has(root)) return root;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const id = `${root.slice(0, LIMITS.idMax - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!taken.has(id)) return id;
  }
}

export type TabName = 'general' | 'points' | 'agenda' | 'documents' | 'codes' | 'readiness';

/** The editor's tab holding the field at `path`. */
export function tabOfField(path: string): TabName {
  const head = path.split('.')[0];
  if (head === 'points') return 'points';
  if (head === 'agenda') return 'agenda';
  return 'general';
}

/** A zod issue's path as the editor's `data-field` ("agenda.2.plannedMinutes"). */
export function pathOf(path: readonly PropertyKey[]): string {
  return path.map((part) => String(part)).join('.');
}

/** The field a refusal of the hub names (a path for `data-field`), or null when it names none. */
export function refusalField(
  reason: Reason | null,
  params: Readonly<Record<string, string | number>>,
  spec: ConferenceSpec,
): string | null {
  // A duplicate is marked on its last row: the one most likely just added or typed.
  const pointIndex = (id: unknown): number => spec.points.findLastIndex((p) => p.id === id);
  const itemIndex = (id: unknown): number => spec.agenda.findLastIndex((i) => i.id === id);
  switch (reason) {
    case 'spec.invalid':
      return typeof params['field'] === 'string' && params['field'] !== '' ? params['field'] : null;
    case 'spec.central_unknown':
    case 'edit.in_use_central':
      return 'centralPointId';
    case 'spec.duplicate_point':
    case 'spec.own_parent':
    case 'edit.in_use_point_moved': {
      const i = pointIndex(params['pointId']);
      return i < 0 ? 'points' : `points.${i}.${reason === 'spec.duplicate_point' ? 'id' : 'parentId'}`;
    }
    case 'edit.in_use_point_removed':
      return 'points';
    case 'spec.duplicate_agenda_item':
    case 'spec.agenda_unknown_point': {
      const i = itemIndex(params['itemId']);
      return i < 0 ? 'agenda' : `agenda.${i}.${reason === 'spec.duplicate_agenda_item' ? 'id' : 'rapporteurPointId'}`;
    }
    case 'edit.in_use_agenda_removed':
      return 'agenda';
    case 'spec.duplicate_category':
    case 'edit.in_use_category_removed':
      return 'questionCategories';
    case 'edit.id_changed':
    case 'conference.exists':
      return 'id';
    default:
      return null;
  }
}

/** What a field is called, for a refusal that names it: "Thời lượng (mục 3 của chương trình)". */
export function fieldName(path: string): string {
  const [head, index, leaf] = path.split('.');
  const known = (key: string): string => (FIELD_KEYS[key] ? t(FIELD_KEYS[key]) : key);
  if ((head === 'agenda' || head === 'points') && index !== undefined && /^\d+$/.test(index)) {
    const where = t(head === 'agenda' ? 'org.field.inItem' : 'org.field.inPoint', { n: Number(index) + 1 });
    return leaf ? `${known(`${head}.${leaf}`)} (${where})` : where;
  }
  if (head === 'questionCategories') return known(head);
  return known(path);
}

const FIELD_KEYS: Record<string, Key> = {
  id: 'org.f.id',
  title: 'org.f.title',
  content: 'org.f.content',
  organiser: 'org.f.organiser',
  startsAt: 'org.f.start',
  rehearsalAt: 'org.f.rehearsal',
  banner: 'org.f.banner',
  floorSeconds: 'org.f.floor',
  centralPointId: 'org.f.central',
  questionCategories: 'org.f.categories',
  points: 'org.tab.points',
  agenda: 'org.tab.agenda',
  'agenda.id': 'org.a.id',
  'agenda.title': 'org.a.title',
  'agenda.rapporteurPointId': 'org.a.point',
  'agenda.rapporteur': 'org.a.rapporteur',
  'agenda.plannedMinutes': 'org.a.minutes',
  'points.id': 'org.field.pointId',
  'points.name': 'org.field.pointName',
  'points.parentId': 'org.field.pointParent',
};

/** A zod issue in words, for the line under its field. */
export function issueText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1 ? t('org.err.empty') : t('org.err.short', { n: Number(issue.minimum) });
      if (issue.origin === 'array') return t('org.err.fewItems', { n: Number(issue.minimum) });
      return t('org.err.min', { n: Number(issue.minimum) });
    case 'too_big':
      if (issue.origin === 'string') return t('org.err.long', { n: Number(issue.maximum) });
      if (issue.origin === 'array') return t('org.err.manyItems', { n: Number(issue.maximum) });
      return t('org.err.max', { n: Number(issue.maximum) });
    case 'invalid_format':
      return issue.format === 'regex' ? t('org.err.id') : issue.format === 'datetime' ? t('org.err.datetime') : t('org.err.format');
    case 'invalid_type':
      return issue.expected === 'number' || issue.expected === 'int' ? t('org.err.number') : t('org.err.empty');
    default:
      return t('org.err.format');
  }
}

/** The first problem of `value` against `schema` in words, or null when it is good. */
export function check(schema: z.ZodType, value: unknown): string | null {
  const result = schema.safeParse(value);
  return result.success ? null : result.error.issues[0] ? issueText(result.error.issues[0]) : t('org.err.format');
}

/** Every problem of a whole spec, by field path (the first of each field). */
export function specProblems(schema: z.ZodType, spec: unknown): Map<string, string> {
  const problems = new Map<string, string>();
  const result = schema.safeParse(spec);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = pathOf(issue.path);
      if (!problems.has(path)) problems.set(path, issueText(issue));
    }
  }
  return problems;
}

/** "2021-04-28T08:00:00+07:00" → its own day and time of day, as written (the conference's local time). */
export function splitIso(iso: string | null): { date: string; time: string; offset: string } {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(iso ?? '');
  return match ? { date: match[1] ?? '', time: match[2] ?? '', offset: match[3] ?? '+07:00' } : { date: '', time: '', offset: '+07:00' };
}

/** The date and time inputs back into ISO with the conference's offset (Vietnam's +07:00 by default). */
export function joinIso(date: string, time: string, offset = '+07:00'): string {
  return `${date}T${time || '00:00'}:00${offset}`;
}

/** "08:00, 28/04/2021" in Vietnamese, "08:00, 28 Apr 2021" in English: the time as written in the spec. */
export function whenText(iso: string | null): string {
  const { date, time } = splitIso(iso);
  if (!date) return '';
  const [year, month, day] = date.split('-');
  return t('org.when', { time, day: day ?? '', month: month ?? '', year: year ?? '' });
}

/** An instant (epoch ms) in the browser's time: "08:05, 28/04/2021". */
export function epochText(ms: number): string {
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, '0');
  return t('org.when', {
    time: `${two(d.getHours())}:${two(d.getMinutes())}`,
    day: two(d.getDate()),
    month: two(d.getMonth() + 1),
    year: String(d.getFullYear()),
  });
}

/** "Thứ Tư, 28 tháng 4, 2021" for the date as written: what the date input means, whatever its own format. */
export function dayInWords(date: string, language: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return '';
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  const options: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'vi-VN', options).format(day);
}
