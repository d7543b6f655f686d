// The conference list: phase chips (all, upcoming, rehearsal, live, ended, each with its count), a search
// box (title, organiser, id, asked of the hub), and one row per conference: title and organiser, start and
// rehearsal in the conference's own time, points and how many are connected now, status. Refreshed every
// 20 seconds while shown, so the connected counts move during a rehearsal.
import { z } from 'zod';
import { ConferenceListItem, type ConferencePhase } from '../../../shared/organiser.ts';
import { onLanguage, t, type Key } from '../../i18n.ts';
import { describeError, reasonCode } from '../../i18n/describe.ts';
import { fill, h, setText, tr } from '../../ui/dom.ts';
import { api } from './api.ts';
import { heading } from './fields.ts';
import { whenText } from './form.ts';

const Answer = z.object({ conferences: z.array(ConferenceListItem) });
const PHASES: (ConferencePhase | 'all')[] = ['all', 'upcoming', 'rehearsal', 'live', 'ended'];
const PHASE_KEYS: Record<ConferencePhase | 'all', Key> = {
  all: 'org.list.all',
  upcoming: 'org.phase.upcoming',
  rehearsal: 'org.phase.rehearsal',
  live: 'org.phase.live',
  ended: 'org.phase.ended',
};
const REFRESH_MS = 20_000;

let phase: ConferencePhase | 'all' = 'all';
let query = '';

export interface ListView {
  readonly el: HTMLElement;
  close(): void;
}

export function listView(): ListView {
  let items: ConferenceListItem[] | null = null;
  const chips = new Map<ConferencePhase | 'all', { button: HTMLButtonElement; count: HTMLElement }>();
  const chipRow = h('div', { class: 'org-chips', attrs: { role: 'group' }, label: 'org.list.phases' });
  for (const p of PHASES) {
    const count = h('span', { class: 'org-chip-count' });
    const b = h(
      'button',
      {
        class: 'org-chip',
        attrs: { type: 'button', 'aria-pressed': String(p === phase) },
        data: { phase: p },
        on: { click: () => pick(p) },
      },
      tr(PHASE_KEYS[p]),
      count,
    );
    chips.set(p, { button: b, count });
    chipRow.append(b);
  }
  const search = h('input', {
    class: 'org-search',
    attrs: { type: 'search', maxlength: 200, value: query, autocomplete: 'off' },
    data: { i18nPlaceholder: 'org.list.search' },
    label: 'org.list.search',
  });
  search.placeholder = t('org.list.search');
  let typing: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      query = search.value.trim();
      void load();
    }, 300);
  });
  const body = h('tbody');
  const table = h(
    'table',
    { class: 'org-table org-list' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...(
          [
            'org.list.conference',
            'org.list.start',
            'org.list.rehearsal',
            'org.list.points',
            'org.list.connected',
            'org.list.status',
          ] as const
        ).map((key) => h('th', { attrs: { scope: 'col' } }, tr(key))),
      ),
    ),
    body,
  );
  const message = h('p', { class: 'muted org-empty', attrs: { role: 'status' } });
  const el = h(
    'section',
    { class: 'org-list-view' },
    h(
      'div',
      { class: 'org-tab-head' },
      heading('org.list.heading'),
      h('a', { class: 'button primary org-create-link', attrs: { href: '#/new' }, data: { action: 'create' } }, tr('org.create.heading')),
    ),
    h('div', { class: 'org-list-tools' }, chipRow, search),
    table,
    message,
  );

  function pick(next: ConferencePhase | 'all'): void {
    phase = next;
    draw();
  }

  function row(c: ConferenceListItem): HTMLTableRowElement {
    const link = h('a', { class: 'org-list-title', attrs: { href: `#/c/${encodeURIComponent(c.id)}` } }, c.title);
    return h(
      'tr',
      { data: { conference: c.id, phase: c.phase } },
      h('td', {}, link, h('div', { class: 'muted small-text' }, c.organiser || c.id)),
      h('td', { class: 'org-nowrap' }, whenText(c.startsAt)),
      h('td', { class: 'org-nowrap' }, c.rehearsalAt ? whenText(c.rehearsalAt) : h('span', { class: 'muted' }, '—')),
      h('td', { class: 'org-num' }, String(c.points)),
      h(
        'td',
        { class: 'org-num', data: { connected: String(c.connected) } },
        c.connected > 0 ? String(c.connected) : h('span', { class: 'muted' }, '0'),
      ),
      h('td', {}, h('span', { class: 'badge status', data: { status: c.status } }, t(`status.${c.status}`))),
    );
  }

  function draw(): void {
    for (const [p, { button: b, count }] of chips) {
      b.setAttribute('aria-pressed', String(p === phase));
      const n = items ? (p === 'all' ? items.length : items.filter((c) => c.phase === p).length) : null;
      setText(count, n === null ? '' : String(n));
    }
    if (!items) return;
    const shown = items.filter((c) => phase === 'all' || c.phase === phase);
    fill(body, ...shown.map(row));
    table.hidden = shown.length === 0;
    message.hidden = shown.length > 0;
    message.dataset['reason'] = '';
    const none = items.length === 0 && query === '';
    setText(message, t(none ? 'org.list.none' : query === '' ? 'org.list.nonePhase' : 'org.list.noMatch'));
  }

  async function load(): Promise<void> {
    try {
      const path = query ? `/conferences?q=${encodeURIComponent(query)}` : '/conferences';
      items = (await api(Answer, path)).conferences;
      draw();
    } catch (error) {
      message.hidden = false;
      message.dataset['reason'] = reasonCode(error);
      setText(message, describeError(error));
    }
  }

  setText(message, t('org.loading'));
  const timer = setInterval(() => void load(), REFRESH_MS);
  const offLanguage = onLanguage(draw);
  void load();
  return {
    el,
    close() {
      clearInterval(timer);
      clearTimeout(typing);
      offLanguage();
    },
  };
}
