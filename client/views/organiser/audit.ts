// The audit log, for administrators: every change to accounts, conferences, the directory, codes and
// documents, and every sign-in, newest first: when (the browser's time), who, the action in words, what it
// acted on and its details (as plain text). "Xem cũ hơn" pages back by the oldest row's sequence number.
import { z } from 'zod';
import { AuditEntry } from '../../../shared/organiser.ts';
import { onLanguage, t, type Key } from '../../i18n.ts';
import { describeError, reasonCode } from '../../i18n/describe.ts';
import { button, fill, h, setText, tr } from '../../ui/dom.ts';
import { api } from './api.ts';
import { heading } from './fields.ts';
import { epochText } from './form.ts';

const Answer = z.object({ entries: z.array(AuditEntry) });

/** Who did it, in words for the two actors that are not organisers. */
function actorText(actor: string): string {
  if (actor === 'admin-key') return t('org.audit.adminKey');
  if (actor === 'cli') return t('org.audit.cli');
  return actor;
}

const DETAIL_NAMES: Record<string, Key> = {
  address: 'org.audit.d.address',
  reason: 'org.audit.d.reason',
  failures: 'org.audit.d.failures',
  minutes: 'org.audit.d.minutes',
  displayName: 'org.audit.d.displayName',
  admin: 'org.audit.d.admin',
  disabled: 'org.audit.d.disabled',
  changed: 'org.audit.d.changed',
  fields: 'org.audit.d.fields',
  points: 'org.audit.d.points',
  agendaItems: 'org.audit.d.agendaItems',
  name: 'org.audit.d.name',
  role: 'org.audit.d.role',
  count: 'org.audit.d.count',
};

function valueText(value: unknown): string {
  if (typeof value === 'boolean') return t(value ? 'org.audit.yes' : 'org.audit.no');
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The details as "name: value" pairs (common names in words, values that are objects as compact JSON), never as markup. */
export function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([name, value]) => `${DETAIL_NAMES[name] ? t(DETAIL_NAMES[name]) : name}: ${valueText(value)}`)
    .join(' · ');
}

export function auditView(): HTMLElement {
  const entries: AuditEntry[] = [];
  const body = h('tbody');
  const message = h('p', { class: 'org-message', attrs: { role: 'status' } });
  const more = button('org.audit.more', () => void load(), { data: { action: 'older' } });
  const table = h(
    'table',
    { class: 'org-table org-audit' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...(['org.audit.when', 'org.audit.who', 'org.audit.action', 'org.audit.target', 'org.audit.details'] as const).map((k) =>
          h('th', { attrs: { scope: 'col' } }, tr(k)),
        ),
      ),
    ),
    body,
  );
  const el = h(
    'section',
    { class: 'org-audit-view' },
    heading('org.audit.heading'),
    tr('org.audit.intro', 'p', { class: 'muted' }),
    table,
    message,
    more,
  );

  function draw(): void {
    fill(
      body,
      ...entries.map((e) =>
        h(
          'tr',
          { data: { action: e.action, seq: String(e.seq) } },
          h('td', { class: 'org-nowrap' }, epochText(e.at)),
          h('td', {}, actorText(e.actor)),
          h('td', { class: 'org-nowrap' }, t(`org.audit.${e.action}`)),
          h('td', { class: 'org-mono' }, e.target),
          h('td', { class: 'org-details' }, detailsText(e.details)),
        ),
      ),
    );
    table.hidden = entries.length === 0;
  }

  async function load(): Promise<void> {
    more.disabled = true;
    try {
      const oldest = entries.at(-1)?.seq;
      const answer = await api(Answer, oldest === undefined ? '/organiser/audit' : `/organiser/audit?before=${oldest}`);
      entries.push(...answer.entries);
      draw();
      more.hidden = answer.entries.length === 0;
      setText(message, entries.length === 0 ? t('org.audit.none') : answer.entries.length === 0 ? t('org.audit.end') : '');
      message.dataset['reason'] = '';
    } catch (error) {
      setText(message, describeError(error));
      message.dataset['reason'] = reasonCode(error);
    } finally {
      more.disabled = false;
    }
  }

  setText(message, t('org.loading'));
  const offLanguage = onLanguage(() => (el.isConnected ? draw() : offLanguage()));
  void load();
  return el;
}
