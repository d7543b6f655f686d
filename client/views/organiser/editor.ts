// The conference editor (DraftHost): the spec as saved and the draft every tab changes, the tabs (general,
// points, agenda, and once saved documents, codes and readiness), and the save bar. Saving sends the whole
// draft (POST for a new conference, PUT for a stored one) after the browser's own checks with the hub's
// schemas; a refusal is put in words in the bar and next to the field it names, and the draft stays as
// typed. A conference in use says what may still change and greys out the rest; an ended one is read-only.
import { z } from 'zod';
import { editMode, editProblem, type EditMode } from '../../../shared/conference-edit.ts';
import { ConferenceSpec, ConferenceStatus } from '../../../shared/domain.ts';
import { onLanguage, t, timeOfDay, type Key } from '../../i18n.ts';
import { describeError, reasonCode, reasonText } from '../../i18n/describe.ts';
import { RequestError } from '../../net/signal.ts';
import { button, fill, h, setText, tr } from '../../ui/dom.ts';
import { agendaTab, fillAgendaIds } from './agenda.ts';
import { api } from './api.ts';
import { codesTab } from './codes.ts';
import { documentsTab } from './documents.ts';
import type { DraftHost, EditorTab } from './draft.ts';
import { markField } from './fields.ts';
import { fieldName, refusalField, specProblems, tabOfField, type TabName } from './form.ts';
import { generalTab } from './general.ts';
import { pointsTab } from './points.ts';
import { readinessTab } from './readiness.ts';

/** GET and PUT /conferences/:id(/spec): the stored spec, its status, how much may change now. */
export const StoredConference = z.object({
  spec: ConferenceSpec,
  status: ConferenceStatus,
  mode: z.enum(['full', 'in_use', 'closed']).optional(),
  connected: z.number().int().default(0),
});
export type StoredConference = z.infer<typeof StoredConference>;

export const loadConference = (id: string): Promise<StoredConference> =>
  api(StoredConference, `/conferences/${encodeURIComponent(id)}/spec`);

const TABS: { name: TabName; key: Key; saved: boolean }[] = [
  { name: 'general', key: 'org.tab.general', saved: false },
  { name: 'points', key: 'org.tab.points', saved: false },
  { name: 'agenda', key: 'org.tab.agenda', saved: false },
  { name: 'documents', key: 'org.tab.documents', saved: true },
  { name: 'codes', key: 'org.tab.codes', saved: true },
  { name: 'readiness', key: 'org.tab.readiness', saved: true },
];

const MAKERS: Record<TabName, (host: DraftHost) => EditorTab> = {
  general: generalTab,
  points: pointsTab,
  agenda: agendaTab,
  documents: documentsTab,
  codes: codesTab,
  readiness: readinessTab,
};

export interface EditorView {
  readonly el: HTMLElement;
  /** True when nothing is unsaved, or the person agreed to drop the changes. */
  canLeave(): boolean;
  unsaved(): boolean;
  close(): void;
}

const clone = (spec: ConferenceSpec): ConferenceSpec => structuredClone(spec);
const same = (a: ConferenceSpec, b: ConferenceSpec): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The editor of a stored conference (`stored`) or of a new one (`stored` null, `start` its first draft). */
export function editorView(start: ConferenceSpec, stored: StoredConference | null, firstTab: string | undefined): EditorView {
  let saved: ConferenceSpec | null = stored ? clone(stored.spec) : null;
  let base = clone(stored?.spec ?? start);
  let draft = clone(base);
  let status: ConferenceStatus = stored?.status ?? start.status;
  let connected = stored?.connected ?? 0;
  let mode: EditMode = stored ? (stored.mode ?? editMode(stored.status, connected)) : 'full';
  let busy = false;
  const listeners = new Set<() => void>();
  /** Fields a refusal of the hub marked: cleared when the person touches them. */
  const refused = new Set<string>();

  const host: DraftHost = {
    conferenceId: stored ? stored.spec.id : null,
    spec: () => draft,
    saved: () => saved,
    status: () => status,
    mode: () => mode,
    change(mutate) {
      mutate(draft);
      notify();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };

  const titleEl = h('h1', { class: 'org-editor-title' });
  const badge = h('span', { class: 'badge status', attrs: { role: 'status' } });
  const idLine = h('p', { class: 'muted small-text org-editor-id' });
  const notice = h('div', { class: 'org-notice', attrs: { role: 'note', hidden: true } });
  const state = h('span', { class: 'org-save-state', attrs: { role: 'status', 'aria-live': 'polite' } });
  const problem = h('p', { class: 'org-save-error', attrs: { role: 'alert', hidden: true } });
  const discard = button('org.discard', () => drop(), { data: { action: 'discard' } });
  const save = button('org.save', () => void store(), { class: 'primary', data: { action: 'save' } });
  const bar = h('div', { class: 'org-save-bar' }, h('div', { class: 'org-save-text' }, state, problem), discard, save);

  const tabList = h('div', { class: 'tab-list org-tabs', attrs: { role: 'tablist' } });
  const panels = h('div', { class: 'org-panels' });
  const tabs = new Map<TabName, { tab: EditorTab; button: HTMLButtonElement; panel: HTMLElement }>();
  let current: TabName = 'general';
  for (const spec of TABS) {
    if (spec.saved && !stored) continue;
    const tab = MAKERS[spec.name](host);
    const b = h('button', {
      class: 'tab',
      id: `org-tab-${spec.name}`,
      attrs: { type: 'button', role: 'tab', 'aria-controls': `org-panel-${spec.name}` },
      data: { tab: spec.name },
      on: { click: () => select(spec.name, false), keydown: (e) => arrow(e, spec.name) },
    });
    b.append(tr(spec.key));
    const panel = h(
      'div',
      {
        class: 'tab-panel',
        id: `org-panel-${spec.name}`,
        attrs: { role: 'tabpanel', 'aria-labelledby': b.id },
        data: { panel: spec.name },
      },
      tab.el,
    );
    tabList.append(b);
    panels.append(panel);
    tabs.set(spec.name, { tab, button: b, panel });
  }
  if (!stored) tabList.append(tr('org.tab.afterSave', 'span', { class: 'muted small-text org-tabs-note' }));

  const el = h(
    'div',
    { class: 'org-editor', data: { conference: stored?.spec.id ?? '', mode } },
    h('div', { class: 'org-editor-head' }, h('a', { class: 'org-back', attrs: { href: '#/' } }, tr('org.back')), titleEl, badge),
    idLine,
    notice,
    tabList,
    panels,
    bar,
  );

  function select(name: TabName, focus: boolean): void {
    const next = tabs.get(name) ? name : 'general';
    if (next !== current) tabs.get(current)?.tab.hide?.();
    for (const [tabName, { button: b, panel }] of tabs) {
      const on = tabName === next;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      panel.hidden = !on;
    }
    const changed = next !== current;
    current = next;
    if (focus) tabs.get(next)?.button.focus();
    if (changed || !shown) tabs.get(next)?.tab.show?.();
    shown = true;
    if (stored) history.replaceState(null, '', `#/c/${encodeURIComponent(stored.spec.id)}/${next}`);
  }
  let shown = false;

  function arrow(event: KeyboardEvent, name: TabName): void {
    const names = [...tabs.keys()];
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step) select(names[(names.indexOf(name) + step + names.length) % names.length] ?? 'general', true);
  }

  /** A new conference is unsaved until the hub stored it; a stored one when the draft differs. */
  let posted = false;
  const dirty = (): boolean => (saved === null ? !posted : !same(draft, base));

  function drawHead(): void {
    setText(titleEl, draft.title.trim() || t('org.untitled'));
    document.title = `${draft.title.trim() || t('org.title')} — diemcau`;
    setText(badge, stored ? t(`status.${status}`) : t('org.new'));
    badge.dataset['status'] = stored ? status : 'new';
    setText(idLine, t(stored ? 'org.idLine' : 'org.idLineNew', { id: draft.id, connected }));
    el.dataset['mode'] = mode;
    notice.hidden = mode === 'full';
    if (mode !== 'full') {
      const key: Key = mode === 'closed' ? 'org.closed.notice' : 'org.inUse.notice';
      fill(
        notice,
        h('strong', {}, t(mode === 'closed' ? 'org.closed.title' : 'org.inUse.title')),
        h('p', {}, t(key)),
        mode === 'in_use' ? h('p', { class: 'muted' }, t('org.inUse.fixed')) : null,
      );
    }
    const unsaved = dirty();
    el.dataset['dirty'] = String(unsaved);
    bar.hidden = mode === 'closed';
    save.disabled = busy || (!unsaved && saved !== null);
    discard.disabled = busy || !unsaved;
    if (busy) setText(state, t('org.saving'));
    else if (unsaved) setText(state, t(saved ? 'org.unsaved' : 'org.notStoredYet'));
    else setText(state, savedAt ? t('org.savedAt', { time: savedAt }) : t('org.noChanges'));
    state.dataset['state'] = busy ? 'saving' : unsaved ? 'unsaved' : 'saved';
  }
  let savedAt = '';

  function notify(): void {
    for (const listener of [...listeners]) listener();
    drawHead();
  }

  function showProblem(text: string | null, code = ''): void {
    problem.hidden = text === null;
    problem.textContent = text ?? '';
    problem.dataset['reason'] = code;
  }

  function clearRefused(): void {
    for (const path of refused) markField(el, path, null);
    refused.clear();
  }

  /** Marks the field at `path`, shows its tab and puts the cursor in it. */
  function point(path: string, message: string): void {
    select(tabOfField(path), false);
    markField(el, path, message);
    refused.add(path);
    const control = el.querySelector<HTMLElement>(`[data-field="${CSS.escape(path)}"]`);
    control?.scrollIntoView({ block: 'center' });
    (control?.matches('input, select, textarea') ? control : control?.querySelector<HTMLElement>('input, select, textarea'))?.focus();
  }

  function drop(): void {
    if (!dirty() || !confirm(t('org.discardConfirm'))) return;
    draft = clone(base);
    clearRefused();
    for (const error of el.querySelectorAll<HTMLElement>('.org-field-error')) error.hidden = true;
    for (const bad of el.querySelectorAll('[aria-invalid]')) bad.removeAttribute('aria-invalid');
    showProblem(null);
    notify();
  }

  async function store(): Promise<void> {
    if (busy) return;
    clearRefused();
    showProblem(null);
    if (draft.agenda.some((i) => i.id === '')) host.change(fillAgendaIds);
    const invalid = el.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (invalid) {
      showProblem(t('org.fixFirst'), 'browser');
      const path = invalid.dataset['field'] ?? '';
      select(tabOfField(path), false);
      invalid.focus();
      return;
    }
    const problems = specProblems(ConferenceSpec, draft);
    if (problems.size > 0) {
      const [first] = problems;
      for (const [path, message] of problems) {
        markField(el, path, message);
        refused.add(path);
      }
      if (first) {
        showProblem(t('org.invalidField', { field: fieldName(first[0]), problem: first[1] }), 'spec.invalid');
        point(first[0], first[1]);
      }
      return;
    }
    const spec = ConferenceSpec.parse(draft);
    const early = saved ? editProblem(saved, spec, mode) : null;
    if (early) {
      refuse(new RequestError('conflict', early.reason, early.reason, early.params));
      return;
    }
    busy = true;
    drawHead();
    try {
      if (!saved) {
        await api(z.unknown(), '/conferences', 'POST', spec);
        posted = true;
        location.hash = `#/c/${encodeURIComponent(spec.id)}/${current}`;
        return;
      }
      await api(z.unknown(), `/conferences/${encodeURIComponent(spec.id)}`, 'PUT', spec);
      const fresh = await loadConference(spec.id).catch(() => null);
      saved = clone(fresh?.spec ?? spec);
      base = clone(saved);
      // What was typed during the save stays in the draft; the rest is the stored spec.
      if (same(draft, spec)) draft = clone(saved);
      if (fresh) {
        status = fresh.status;
        connected = fresh.connected;
        mode = fresh.mode ?? editMode(fresh.status, fresh.connected);
      }
      savedAt = timeOfDay(Date.now());
    } catch (error) {
      refuse(error);
    } finally {
      busy = false;
      notify();
    }
  }

  function refuse(error: unknown): void {
    const reason = error instanceof RequestError ? error.reason : null;
    const params = error instanceof RequestError ? error.params : {};
    const path = refusalField(reason, params, draft);
    const words = reason === 'spec.invalid' && path ? t('org.invalidHub', { field: fieldName(path) }) : describeError(error);
    showProblem(words, reasonCode(error));
    if (path) point(path, reason === 'spec.invalid' ? t('org.err.hub') : reason ? reasonText(reason, params) : words);
    // The conference came into use (or ended) since it was opened: grey out what may no longer change.
    if (stored && (reason?.startsWith('edit.') || reason === 'conference.ended')) void refreshMode(stored.spec.id);
  }

  /** Reads the stored status and connections again; `quiet` re-draws the tabs only when the mode or status moved. */
  async function refreshMode(id: string, quiet = false): Promise<void> {
    const fresh = await loadConference(id).catch(() => null);
    if (!fresh) return;
    const next = fresh.mode ?? editMode(fresh.status, fresh.connected);
    const moved = next !== mode || fresh.status !== status;
    const counted = fresh.connected !== connected;
    status = fresh.status;
    connected = fresh.connected;
    mode = next;
    if (moved || !quiet) notify();
    else if (counted) drawHead();
  }
  // Points connect for their tests while the organiser works: the head's count and the mode follow.
  const watch = stored ? setInterval(() => void refreshMode(stored.spec.id, true), 10_000) : undefined;

  // A field the hub refused is cleared once it is touched (before its own check runs).
  for (const type of ['input', 'change'] as const) {
    el.addEventListener(
      type,
      (event) => {
        const path = (event.target as HTMLElement).dataset?.['field'];
        if (path && refused.delete(path)) markField(el, path, null);
      },
      { capture: true },
    );
  }

  const beforeUnload = (event: BeforeUnloadEvent): void => {
    if (!dirty()) return;
    event.preventDefault();
    event.returnValue = '';
  };
  addEventListener('beforeunload', beforeUnload);
  const offLanguage = onLanguage(drawHead);

  select(TABS.some((x) => x.name === firstTab) ? (firstTab as TabName) : 'general', false);
  drawHead();

  return {
    el,
    canLeave: () => !dirty() || confirm(t('org.leaveConfirm')),
    unsaved: dirty,
    close() {
      clearInterval(watch);
      removeEventListener('beforeunload', beforeUnload);
      offLanguage();
      for (const { tab } of tabs.values()) tab.hide?.();
      listeners.clear();
    },
  };
}
