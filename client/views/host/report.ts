// The conference report from the host console, with the console's own session (its token as the bearer, no
// header to type): the printable page, the JSON and the questions as CSV, each fetched and opened from a blob.
// The page's inline style is not allowed in a blob (it inherits the console's policy), so it takes the hub's
// /api/report.css instead. Under the buttons, the connection tests counted by level, as in the report.
import type { PointLevel } from '../../../shared/domain.ts';
import { isModerator } from '../../../shared/rules.ts';
import type { AppContext } from '../../app.ts';
import { onLanguage, t } from '../../i18n.ts';
import { button, h, tr } from '../../ui/dom.ts';
import { toast } from '../../ui/toast.ts';
import './report.css';

const LEVELS: PointLevel[] = ['central', 'province', 'district', 'commune'];

type Kind = 'page' | 'json' | 'csv';

export class ReportMenu {
  readonly el: HTMLDetailsElement;
  readonly #ctx: AppContext;
  readonly #table = h('table', { class: 'report-levels' });

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
    const open = (kind: Kind): void => void this.#open(kind);
    this.el = h(
      'details',
      { class: 'report-menu', data: { menu: 'report' } },
      h('summary', { class: 'button' }, tr('flows.report')),
      h(
        'div',
        { class: 'report-pop' },
        button('flows.reportPage', () => open('page'), { class: 'primary small', data: { report: 'page' } }),
        button('flows.reportJson', () => open('json'), { class: 'small', data: { report: 'json' } }),
        button('flows.reportCsv', () => open('csv'), { class: 'small', data: { report: 'csv' } }),
        tr('flows.readinessByLevel', 'h3'),
        this.#table,
      ),
    );
    const { store } = ctx;
    for (const event of ['welcome', 'status', 'readiness', 'points'] as const) store.on(event, () => this.render());
    onLanguage(() => this.render());
  }

  render(): void {
    const { store } = this.#ctx;
    this.el.hidden = !store.may(isModerator);
    this.el.dataset['status'] = store.status;
    // The conference over, the report is what the host wants next: it opens by itself once.
    if (store.status === 'ended' && this.el.dataset['shown'] !== 'true') {
      this.el.dataset['shown'] = 'true';
      this.el.open = true;
    }
    const rows = store.remotePoints().map((p) => ({ level: p.level, state: store.readiness.get(p.id)?.state ?? 'not_tested' }));
    const count = (level: PointLevel | null): HTMLElement | null => {
      const at = rows.filter((r) => level === null || r.level === level);
      if (at.length === 0) return null;
      const n = (state: string): string => String(at.filter((r) => r.state === state).length);
      const name = level === null ? t('flows.total') : t(`level.${level}`);
      return h(
        'tr',
        { data: { level: level ?? 'total' } },
        h('th', {}, name),
        ...[String(at.length), n('ready'), n('not_ready'), n('not_tested')].map((v) => h('td', {}, v)),
      );
    };
    const head = ['flows.level', 'flows.points', 'ready.ready', 'ready.not_ready', 'ready.not_tested'] as const;
    this.#table.replaceChildren(
      h('thead', {}, h('tr', {}, ...head.map((key) => h('th', { attrs: { scope: 'col' } }, t(key))))),
      h('tbody', {}, ...LEVELS.map((level) => count(level)), count(null)),
    );
  }

  /** Fetches the report with this console's session and opens it in a new tab (the CSV downloads). */
  async #open(kind: Kind): Promise<void> {
    const self = this.#ctx.store.self;
    if (!self) return;
    const base = `/api/conferences/${encodeURIComponent(self.conferenceId)}`;
    const path = kind === 'page' ? '/report.html' : kind === 'json' ? '/report' : '/questions?format=csv';
    const tab = kind === 'csv' ? null : window.open('', '_blank');
    try {
      const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${self.token}` } });
      if (!response.ok) throw new Error(`report ${response.status}`);
      let body = await response.text();
      if (kind === 'page')
        body = body.replace(/<style>[\s\S]*?<\/style>/, `<link rel="stylesheet" href="${location.origin}/api/report.css">`);
      const type = kind === 'page' ? 'text/html' : kind === 'json' ? 'application/json' : 'text/csv';
      const url = URL.createObjectURL(new Blob([body], { type: `${type}; charset=utf-8` }));
      if (tab) tab.location.href = url;
      else {
        const link = h('a', { attrs: { href: url, download: `cau-hoi-${self.conferenceId}.csv` } });
        link.click();
      }
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch {
      tab?.close();
      toast(t('error.network'), 'error');
    }
  }
}
