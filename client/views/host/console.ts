// The host console (and the co-host's, without the host's controls): the stage as the rooms see it, floor
// control with the programme's layout and screen sharing under it, the monitoring wall, and tabs for
// questions, attendance with readiness, agenda, documents and the gain per point. The header carries the
// conference's start and end.
import type { ConferenceStatus } from '../../../shared/domain.ts';
import { controls } from '../../../shared/rules.ts';
import type { AppContext, View } from '../../app.ts';
import { t } from '../../i18n.ts';
import { button, h, tr } from '../../ui/dom.ts';
import { Header } from '../../ui/header.ts';
import { RemoteAudio, Stage } from '../../ui/stage.ts';
import { tabs } from '../../ui/tabs.ts';
import { act } from '../../ui/toast.ts';
import { HostBackchannel } from '../backchannel/host-panel.ts';
import { CheckPanel } from '../check/panel.ts';
import { DocumentsPanel } from '../documents.ts';
import { AgendaPanel } from './agenda.ts';
import { AttendancePanel } from './attendance.ts';
import { CodesPanel } from './codes.ts';
import { FloorPanel } from './floor.ts';
import { GainsPanel } from './programme/gains.ts';
import { ProgrammePanel } from './programme/panel.ts';
import { QuestionsPanel } from './questions.ts';
import { RecordingPanel } from './recording/panel.ts';
import { ReportMenu } from './report.ts';
import { Wall } from './wall.ts';
import { WallSummary } from './wall/summary.ts';
import './console.css';

export class HostConsole implements View {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #rehearse: HTMLButtonElement;
  readonly #start: HTMLButtonElement;
  readonly #end: HTMLButtonElement;

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
    const { store, media, signal } = ctx;
    const header = new Header(store);
    const setStatus = (status: ConferenceStatus): void => void act(signal.request('conference.setStatus', { status }));
    this.#rehearse = button('conf.rehearse', () => setStatus('rehearsal'), { data: { action: 'rehearse' } });
    this.#start = button('conf.start', () => setStatus('live'), { class: 'primary', data: { action: 'start' } });
    this.#end = button(
      'conf.end',
      () => {
        if (confirm(t('conf.endConfirm'))) setStatus('ended');
      },
      { class: 'danger', data: { action: 'end' } },
    );
    const summary = new WallSummary(store);
    header.actions.append(summary.el, this.#rehearse, this.#start, this.#end, new ReportMenu(ctx).el);

    // The host is the centre and sees its own camera there; a co-host receives the programme like the rooms.
    const isHost = store.may(controls);
    const stage = new Stage(store, media, { lowerThird: true, centreLocal: isHost ? () => media.localStream : undefined });
    const floor = new FloorPanel(ctx);
    const wall = new Wall(ctx, () => floor.seconds());
    const audio = new RemoteAudio(media, { store });
    const side = tabs(
      [
        { key: 'tab.questions', name: 'questions', panel: new QuestionsPanel(ctx).el },
        { key: 'check.attendanceTab', name: 'attendance', panel: new AttendancePanel(ctx).el },
        { key: 'tab.agenda', name: 'agenda', panel: new AgendaPanel(ctx).el },
        { key: 'tab.documents', name: 'documents', panel: new DocumentsPanel(ctx, isHost).el },
        { key: 'tab.messages', name: 'messages', panel: new HostBackchannel(ctx).el },
        ...(isHost ? [{ key: 'programme.gainsTab' as const, name: 'gains', panel: new GainsPanel(ctx).el }] : []),
        ...(isHost ? [{ key: 'codes.tab' as const, name: 'codes', panel: new CodesPanel(ctx).el }] : []),
        { key: 'rec.tab', name: 'recording', panel: new RecordingPanel(ctx).el },
        { key: 'check.tab', name: 'check', panel: new CheckPanel(ctx).el },
      ],
      'host-tabs',
    );
    this.el = h(
      'div',
      { class: 'console host-console', data: { view: 'host' } },
      header.el,
      h(
        'main',
        { class: 'host-grid' },
        h(
          'div',
          { class: 'host-left' },
          h(
            'section',
            { class: 'panel stage-panel', attrs: { 'aria-labelledby': 'stage-title' } },
            tr('stage.title', 'h2', { id: 'stage-title' }),
            stage.el,
          ),
          floor.el,
          isHost ? new ProgrammePanel(ctx).el : null,
        ),
        wall.el,
        h('div', { class: 'panel host-right' }, side),
      ),
      audio.el,
    );
    for (const event of ['welcome', 'status'] as const) store.on(event, () => this.#renderStatus());
  }

  #renderStatus(): void {
    const { store } = this.#ctx;
    const status = store.status;
    const host = store.may(controls);
    this.#rehearse.hidden = !host || !(status === 'draft' || status === 'scheduled');
    this.#start.hidden = !host || status === 'live' || status === 'ended';
    this.#end.hidden = !host || status === 'ended';
  }
}
