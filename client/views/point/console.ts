// The point console. A technician sees the self preview, asks for the floor and sees when the point is
// on air, picks devices, runs the connection test, reports attendance; technician and secretary both
// write questions and follow them, and download documents. The programme plays muted here by default:
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
import { DocumentsPanel } from '../documents.ts';
import { AttendanceForm } from './attendance.ts';
import { DevicesPanel, SelfPreview } from './devices.ts';
import { PointFloor } from './floor.ts';
import { PointQuestions } from './questions.ts';
import { ConnectionTest } from './test.ts';

/** A point's operator (its technician): floor, devices, connection test, attendance; others write questions. */
const operatesPoint = (role: Role): boolean => (POINT_OPERATORS as readonly Role[]).includes(role);

export class PointConsole implements View {
  readonly el: HTMLElement;

  constructor(ctx: AppContext) {
    const { store, media } = ctx;
    const technician = store.may(operatesPoint);
    const header = new Header(store);
    const stage = new Stage(store, media, { lowerThird: true });
    const audio = new RemoteAudio(media, true);
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

    const panels: Tab[] = [{ key: 'tab.questions', name: 'questions', panel: new PointQuestions(ctx).el }];
    let left: HTMLElement[] = [];
    if (technician) {
      const preview = new SelfPreview(ctx);
      const attendance = new AttendanceForm(ctx);
      const floor = new PointFloor(ctx);
      left = [attendance.rollPrompt, floor.el, preview.el];
      panels.push(
        { key: 'tab.attendance', name: 'attendance', panel: attendance.el },
        { key: 'tab.devices', name: 'devices', panel: new DevicesPanel(ctx).el },
        { key: 'tab.test', name: 'test', panel: new ConnectionTest(ctx, preview.meter).el },
      );
    }
    if (technician) panels.push({ key: 'tab.messages', name: 'messages', panel: new PointBackchannel(ctx).el });
    panels.push({ key: 'tab.documents', name: 'documents', panel: new DocumentsPanel(ctx, false).el });

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
        h('div', { class: 'panel point-right' }, tabs(panels, 'point-tabs')),
      ),
      audio.el,
    );
  }
}
