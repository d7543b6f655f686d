// The printable sheet of the day's join codes: the conference's title and date, then each point on its own
// A4 page (to hand to that point) with its name and level and, per role, the code, the link and its QR code.
// An overlay over the console; printing shows the sheet alone (print-sheet.css, @media print).
import type { PointLevel, Role } from '../../shared/domain.ts';
import { t, timeOfDay } from '../i18n.ts';
import { button, h, tr } from '../ui/dom.ts';
import { joinLink, qrCanvas } from './host/codes/qr.ts';
import './print-sheet.css';

export interface SheetPoint {
  pointId: string;
  name: string;
  level: PointLevel;
  codes: Array<{ role: Role; code: string; expiresAt: number }>;
}

const dateOf = (epochMs: number): string => new Date(epochMs).toLocaleDateString('vi-VN');
const stamp = (epochMs: number): string => `${timeOfDay(epochMs)} ${dateOf(epochMs)}`;

/** Opens the sheet over the page (replacing an open one) and returns it. */
export function openPrintSheet(title: string, startsAt: string, points: SheetPoint[]): HTMLElement {
  document.getElementById('print')?.remove();
  const started = Date.parse(startsAt);
  const until = Math.min(...points.flatMap((p) => p.codes.map((c) => c.expiresAt)));
  const sheet: HTMLElement = h(
    'div',
    { id: 'print', class: 'print-sheet', attrs: { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'print-title' } },
    h(
      'div',
      { class: 'print-toolbar' },
      button('print.print', () => window.print(), { class: 'primary', data: { action: 'print' } }),
      button('print.close', () => sheet.remove(), { data: { action: 'close-print' } }),
    ),
    ...points.map((point) =>
      h(
        'section',
        { class: 'print-point', data: { pointId: point.pointId } },
        h(
          'header',
          { class: 'print-head' },
          tr('print.title', 'p', { class: 'print-kicker' }),
          h('h1', { id: point === points[0] ? 'print-title' : undefined }, title),
          h('p', {}, t('print.date', { date: dateOf(Number.isNaN(started) ? Date.now() : started) })),
        ),
        h('h2', { class: 'print-name' }, point.name, ' ', h('span', { class: 'print-level' }, `(${t(`level.${point.level}`)})`)),
        ...point.codes.map((c) =>
          h(
            'div',
            { class: 'print-code', data: { role: c.role, code: c.code } },
            h(
              'div',
              { class: 'print-text' },
              h('h3', {}, t(`role.${c.role}`)),
              h('p', { class: 'print-value' }, h('span', { class: 'print-label' }, `${t('codes.code')}: `), h('strong', {}, c.code)),
              h('p', { class: 'print-link' }, h('span', { class: 'print-label' }, `${t('codes.link')}: `), joinLink(c.code)),
              h('p', { class: 'print-use' }, t(c.role === 'viewer' ? 'codes.reusable' : 'codes.singleUse')),
            ),
            qrCanvas(joinLink(c.code), 150),
          ),
        ),
        h('p', { class: 'print-note' }, t('print.note'), ' ', Number.isFinite(until) ? t('print.validUntil', { time: stamp(until) }) : ''),
      ),
    ),
  );
  document.body.append(sheet);
  sheet.querySelector<HTMLButtonElement>('[data-action="print"]')?.focus();
  return sheet;
}
