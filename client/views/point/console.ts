// The point console. A technician sees the self preview, asks for the floor and sees when the point is
// on air, checks devices and sound and runs the connection test, reports attendance; technician and
// secretary both write questions and follow them, and download documents. The technician's tabs follow
// the day: devices and test before the start, the floor once live (and whenever the point goes on air);
// a tab the technician picks stays until the next of those. The programme plays muted here by default:
// the room hears it from the room display.
import type { Role } from '../../../shared/domain.ts';
import { POINT_OPERATORS } from '../../../shared/rules.ts';
import type { AppContext, View } from '../../app.ts';
import { onLanguage, t } from '../../i18n.ts';
import { h, tr } from '../../ui/dom.ts';
import { Header } from '../../ui/header.ts';
import { RemoteAudio, Stage } from '../../ui/stage.ts';
import { tabs, type Tab } from '../../ui/tabs.ts';
import { PointBackchannel } from '../backchannel/point-panel.ts';
import { CheckPanel } from '../check/panel.ts';
import { DocumentsPanel } from '../documents.ts';
import { AttendanceForm } from './attendance.ts';
import { SelfPreview } from './devices.ts';
import { PointFloor } from './floor.ts';
import { PointQuestions } from './questions.ts';

/** A point's operator (its technician): floor, devices, connection test, attendance; others write questions. */
const operatesPoint = (role: Role): boolean => (POINT_OPERATORS as readonly Role[]).includes(role);

export class PointConsole implements View {
  readonly el: HTMLElement;

  constructor(ctx: AppContext) {
    const { store, media } = ctx;
    const technician = store.may(operatesPoint);
    const header = new Header(store);
    const stage = new Stage(store, media, { lowerThird: true });
    const audio = new RemoteAudio(media, { muted: true, store });
    const listen = h('button', { class: 'small', attrs: { type: 'button', 'aria-pressed': 'false' }, data: { action: 'listen' } });
    const renderListen = (): void => {
      listen.textContent = audio.muted ? t('monitor.listen') : t('monitor.mute');
      listen.setAttribute('aria-pressed', String(!audio.muted));
    };
    listen.addEventListener('click', () => {
      audio.setMuted(!audio.muted);
      renderListen();
    });
    renderListen();
    onLanguage(renderListen);

    const agendaLine = h('p', { class: 'agenda-line', attrs: { 'aria-live': 'polite' } });
    const renderAgenda = (): void => {
      const item = store.agenda.items.find((i) => i.id === store.agenda.currentItemId);
      agendaLine.textContent = item ? `${t('agenda.current')}: ${item.title}` : '';
    };
    for (const event of ['welcome', 'agenda'] as const) store.on(event, renderAgenda);
    onLanguage(renderAgenda);

    const questions: Tab = { key: 'tab.questions', name: 'questions', panel: new PointQuestions(ctx).el };
    const panels: Tab[] = [questions];
    let left: HTMLElement[] = [];
    if (technician) {
      const preview = new SelfPreview(ctx);
      const attendance = new AttendanceForm(ctx);
      left = [attendance.rollPrompt, preview.el];
      // The data name "test" is kept from when the connection test had a tab of its own.
      panels.splice(
        0,
        1,
        { key: 'tab.floor', name: 'floor', panel: new PointFloor(ctx).el },
        { key: 'check.tab', name: 'test', panel: new CheckPanel(ctx).el },
        { key: 'check.attendanceTab', name: 'attendance', panel: attendance.el },
        questions,
      );
    }
    if (technician) panels.push({ key: 'tab.messages', name: 'messages', panel: new PointBackchannel(ctx).el });
    panels.push({ key: 'tab.documents', name: 'documents', panel: new DocumentsPanel(ctx, false).el });
    const side = tabs(panels, 'point-tabs');
    if (technician) followTheDay(ctx, side);

    this.el = h(
      'div',
      { class: `console point-console ${technician ? 'is-technician' : 'is-secretary'}`, data: { view: 'point' } },
      header.el,
      h(
        'main',
        { class: 'point-grid' },
        technician ? h('div', { class: 'point-left' }, ...left) : null,
        h(
          'section',
          { class: 'panel monitor', attrs: { 'aria-labelledby': 'monitor-title' } },
          h('div', { class: 'panel-head' }, tr('monitor.programme', 'h2', { id: 'monitor-title' }), listen),
          stage.el,
          agendaLine,
        ),
        h('div', { class: 'panel point-right' }, side),
      ),
      audio.el,
    );
  }
}

/**
 * Opens the technician's tabs on what the moment needs: devices and test before the start, the floor once
 * the conference is live and whenever this point goes on air. A tab the technician picks is kept until then.
 */
function followTheDay({ store }: AppContext, side: HTMLElement): void {
  const open = (name: string): void => side.querySelector<HTMLButtonElement>(`.tab[data-tab="${name}"]`)?.click();
  let phase: 'before' | 'live' | 'ended' | null = null;
  let onAir = false;
  const follow = (): void => {
    const now = store.status === 'live' ? 'live' : store.status === 'ended' ? 'ended' : 'before';
    if (now !== phase && now !== 'ended') open(now === 'live' ? 'floor' : 'test');
    phase = now;
    const speaking = store.self !== null && store.floor.pointId === store.self.pointId;
    if (speaking && !onAir) open('floor');
    onAir = speaking;
  };
  for (const event of ['welcome', 'status', 'floor'] as const) store.on(event, follow);
}
