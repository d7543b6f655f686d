// The editor's readiness tab (a saved conference only): GET /api/conferences/:id/readiness every 3 s while
// the tab is shown. A summary (connected N/M, ready, not ready, not tested), a table per point in hierarchy
// order (name, level, connection and since when, the last connection test's state, its reasons in words,
// when it was tested) and a filter that keeps only the points not ready.
import { ReadinessOverview, type ReadinessRow } from '../../../shared/organiser.ts';
import { onLanguage, t, timeOfDay } from '../../i18n.ts';
import { describeError, readinessText } from '../../i18n/describe.ts';
import { h, tr } from '../../ui/dom.ts';
import { api } from './api.ts';
import type { DraftHost, EditorTab } from './draft.ts';
import { buildTree } from './points-tree.ts';
import './organiser-tabs.css';

const EVERY_MS = 3000;

export interface ReadinessCounts {
  total: number;
  connected: number;
  ready: number;
  notReady: number;
  notTested: number;
}

export function readinessCounts(rows: readonly ReadinessRow[]): ReadinessCounts {
  return {
    total: rows.length,
    connected: rows.filter((r) => r.connection === 'connected').length,
    ready: rows.filter((r) => r.state === 'ready').length,
    notReady: rows.filter((r) => r.state === 'not_ready').length,
    notTested: rows.filter((r) => r.state === 'not_tested').length,
  };
}

export function readinessTab(host: DraftHost): EditorTab {
  const el = h('section', { class: 'org-tab orgp-readiness', data: { orgTab: 'readiness' } });
  const id = host.conferenceId;
  if (id === null) {
    el.append(tr('orgp.unsaved', 'p', { class: 'orgp-note warn' }));
    return { el };
  }
  const path = `/conferences/${encodeURIComponent(id)}/readiness`;
  const summary = h('p', { class: 'orgp-summary', data: { summary: 'readiness' } });
  const updated = h('p', { class: 'muted orgp-status' });
  const onlyNot = h('input', { attrs: { type: 'checkbox', name: 'only-not-ready' }, data: { filter: 'not-ready' } });
  const body = h('tbody', {});
  let overview: ReadinessOverview | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Each show starts one polling loop; a loop left from an earlier show stops at its next turn. */
  let loop = 0;

  const row = (r: ReadinessRow, depth: number): HTMLElement =>
    h(
      'tr',
      { class: `state-${r.state}`, data: { pointId: r.pointId, state: r.state, connection: r.connection } },
      h('td', { class: `orgp-name orgp-depth-${Math.min(depth, 4)}` }, r.name),
      h('td', {}, t(`orgp.level.${r.level}`)),
      h(
        'td',
        { class: `conn-${r.connection}` },
        t(`conn.${r.connection}`),
        r.connectionSince !== null && r.connection !== 'never'
          ? h('span', { class: 'muted' }, ` ${t('orgp.ready.since', { time: timeOfDay(r.connectionSince) })}`)
          : null,
      ),
      h('td', {}, h('span', { class: `orgp-state ${r.state}` }, t(`ready.${r.state}`))),
      h(
        'td',
        { class: 'orgp-reasons' },
        r.reasons.length > 0 ? h('ul', {}, ...r.reasons.map((reason) => h('li', {}, readinessText(reason)))) : '',
      ),
      h('td', {}, r.testedAt === null ? '' : timeOfDay(r.testedAt)),
    );

  const render = (): void => {
    if (!overview) return;
    const counts = readinessCounts(overview.points);
    summary.textContent = t('orgp.ready.summary', { ...counts });
    updated.textContent = t('orgp.ready.updated', { time: timeOfDay(overview.at) });
    const central = (host.saved() ?? host.spec()).centralPointId;
    const rows = buildTree(
      overview.points.map((p) => ({ ...p, id: p.pointId })),
      central,
    ).filter((r) => !onlyNot.checked || r.point.state !== 'ready');
    body.replaceChildren(
      ...(rows.length === 0
        ? [h('tr', {}, h('td', { class: 'orgp-empty muted', attrs: { colspan: 6 } }, t('orgp.ready.allReady')))]
        : rows.map((r) => row(r.point, r.depth))),
    );
  };

  const poll = async (mine: number): Promise<void> => {
    try {
      const answer = await api(ReadinessOverview, path);
      if (mine !== loop) return;
      overview = answer;
      updated.classList.remove('orgp-error');
      render();
    } catch (error) {
      if (mine !== loop) return;
      updated.classList.add('orgp-error');
      updated.textContent = t('orgp.failed', { why: describeError(error) });
    }
    timer = setTimeout(() => void poll(mine), EVERY_MS);
  };

  onlyNot.addEventListener('change', render);
  el.append(
    tr('orgp.ready.title', 'h3'),
    summary,
    h('label', { class: 'orgp-check' }, onlyNot, tr('orgp.ready.onlyNot')),
    updated,
    h(
      'div',
      { class: 'orgp-scroll' },
      h(
        'table',
        { class: 'orgp-table orgp-ready' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...(
              [
                'orgp.col.name',
                'orgp.col.level',
                'orgp.ready.connection',
                'orgp.ready.state',
                'orgp.ready.reasons',
                'orgp.ready.testedAt',
              ] as const
            ).map((key) => h('th', { attrs: { scope: 'col' }, data: { i18n: key } }, t(key))),
          ),
        ),
        body,
      ),
    ),
  );
  // The editor makes its tabs anew each time it opens: a tab no longer on the page stops listening.
  const offLanguage = onLanguage(() => (el.isConnected ? render() : offLanguage()));
  return {
    el,
    show: () => {
      clearTimeout(timer);
      loop += 1;
      void poll(loop);
    },
    hide: () => {
      clearTimeout(timer);
      loop += 1;
    },
  };
}
