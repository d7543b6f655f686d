// The editor's codes tab: the day's join codes for every point in one action and the printable sheet of
// links and QR codes, through the same code board as the host's console (host/codes/board.ts) fed by the
// organiser's REST routes. The organiser also hands out the host's own code (nobody has one before the
// day), so every role is offered and ticked. Codes follow the saved conference, not the unsaved draft.
import type { PersonRole } from '../../../shared/requests/credentials.ts';
import { onLanguage, t, timeOfDay } from '../../i18n.ts';
import { h, tr } from '../../ui/dom.ts';
import { CodeBoard } from '../host/codes/board.ts';
import { restCodeSource } from './codes-source.ts';
import { codesUntil } from './codes-validity.ts';
import type { DraftHost, EditorTab } from './draft.ts';
import './organiser-tabs.css';

const ROLES: readonly PersonRole[] = ['host', 'cohost', 'technician', 'secretary', 'viewer'];

/** Whether the draft's points differ from the saved ones (codes are issued for the saved points). */
const pointsChanged = (host: DraftHost): boolean => JSON.stringify(host.spec().points) !== JSON.stringify(host.saved()?.points ?? []);

export function codesTab(host: DraftHost): EditorTab {
  const el = h('section', { class: 'org-tab orgp-codes', data: { orgTab: 'codes' } });
  const id = host.conferenceId;
  if (id === null) {
    el.append(tr('orgp.unsaved', 'p', { class: 'orgp-note warn' }));
    return { el };
  }
  const current = () => host.saved() ?? host.spec();
  const validity = h('p', { class: 'orgp-note', data: { note: 'validity' } });
  const changed = h('p', { class: 'orgp-note warn', data: { note: 'unsaved' } });
  const board = new CodeBoard(
    restCodeSource(id, () => current().startsAt),
    {
      points: () => current().points,
      centralPointId: () => current().centralPointId,
      title: () => current().title,
      startsAt: () => current().startsAt,
      now: () => Date.now(),
      roles: ROLES,
      dayRoles: ROLES,
    },
    [validity, changed],
  );
  const notes = (): void => {
    const until = codesUntil(current().startsAt, Date.now());
    const time = `${timeOfDay(until)} ${new Date(until).toLocaleDateString('vi-VN')}`;
    const started = Date.parse(current().startsAt) < Date.now();
    validity.textContent = `${t(started ? 'orgp.codes.validityToday' : 'orgp.codes.validity', { time })} ${t('orgp.codes.host')}`;
    changed.textContent = t('orgp.codes.changed');
    changed.hidden = !pointsChanged(host);
  };
  el.append(board.el);
  host.onChange(() => {
    notes();
    board.render();
  });
  // The editor makes its tabs anew each time it opens: a tab no longer on the page stops listening.
  const offLanguage = onLanguage(() => (el.isConnected ? notes() : offLanguage()));
  notes();
  board.render();
  return {
    el,
    show: () => {
      notes();
      void board.load();
    },
  };
}
