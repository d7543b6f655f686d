// One compact wall tile: the point's video (low simulcast layer) with its marks laid over it (raised hand,
// on stage, people present, readiness, audio meter), its name on one line with a connection dot, details
// that the list view shows (level, connection, readiness, network), and the host's direct controls, which
// the grid shows when the tile is hovered or has the keyboard focus.
import type { PointView } from '../../../../shared/domain.ts';
import type { AttendanceView, ReadinessView } from '../../../../shared/records.ts';
import { t } from '../../../i18n.ts';
import type { RemoteTrack } from '../../../net/media.ts';
import { quality, type LinkSample, type totals } from '../../../net/stats.ts';
import { h, setText } from '../../../ui/dom.ts';
import { videoElement } from '../../../ui/playback.ts';
import { Sparkline } from '../../../ui/sparkline.ts';

export interface TileActions {
  grant(): void;
  mute(kind: 'audio' | 'video'): void;
}

/** What a tile shows besides the point itself. */
export interface TileState {
  shortName: string;
  queuePosition: number;
  speaking: boolean;
  attendance: AttendanceView | undefined;
  readiness: ReadinessView | undefined;
}

const READY_MARK = { ready: '✓', not_ready: '✗', not_tested: '' } as const;

export class Tile {
  readonly el: HTMLElement;
  readonly pointId: string;
  readonly video = videoElement('tile-video');
  readonly chart = new Sparkline(140, 28);
  remote: RemoteTrack | undefined;
  last: ReturnType<typeof totals> | undefined;
  sample: LinkSample | undefined;
  readonly name = h('h3', { class: 'tile-name' });
  readonly dot = h('span', { class: 'conn-dot', attrs: { role: 'img' } });
  readonly detail = h('div', { class: 'tile-detail' });
  readonly hand = h('span', { class: 'tile-hand', attrs: { hidden: true } });
  readonly onStage = h('span', { class: 'tile-onstage', attrs: { hidden: true } });
  readonly people = h('span', { class: 'tile-people' });
  readonly ready = h('span', { class: 'tile-ready', attrs: { role: 'img' } });
  readonly meterBar = h('div', { class: 'meter-bar' });
  readonly meter = h(
    'div',
    { class: 'meter tile-meter', attrs: { role: 'meter', 'aria-valuemin': -127, 'aria-valuemax': 0 } },
    this.meterBar,
  );
  readonly net = h('span', { class: 'tile-net' });
  readonly grant: HTMLButtonElement;
  readonly muteAudio: HTMLButtonElement;
  readonly muteVideo: HTMLButtonElement;
  readonly actions: HTMLElement;

  constructor(pointId: string, actions: TileActions) {
    this.pointId = pointId;
    const small = (action: string, click: () => void): HTMLButtonElement =>
      h('button', { class: 'small', attrs: { type: 'button' }, data: { action }, on: { click } });
    this.grant = small('grant', () => actions.grant());
    this.muteAudio = small('mute-audio', () => actions.mute('audio'));
    this.muteVideo = small('mute-video', () => actions.mute('video'));
    this.actions = h('div', { class: 'tile-actions', attrs: { role: 'group' } }, this.grant, this.muteAudio, this.muteVideo);
    this.el = h(
      'article',
      { class: 'tile', data: { pointId }, attrs: { tabindex: 0 } },
      h('div', { class: 'tile-screen' }, this.video, this.hand, this.onStage, this.people, this.ready, this.meter),
      h('div', { class: 'tile-head' }, this.dot, this.name),
      h('div', { class: 'tile-more' }, this.detail, this.net, this.chart.el),
      this.actions,
    );
    this.chart.el.hidden = true;
  }

  render(point: PointView, state: TileState, canControl: boolean): void {
    const { el } = this;
    const conn = t(`conn.${point.connection}`);
    setText(this.name, state.shortName);
    el.title = point.name;
    el.setAttribute('aria-label', `${point.name} · ${conn}`);
    this.video.setAttribute('aria-label', point.name);
    el.dataset['conn'] = point.connection;
    this.dot.dataset['conn'] = point.connection;
    this.dot.setAttribute('aria-label', conn);
    el.classList.toggle('raised', state.queuePosition > 0);
    el.classList.toggle('speaking', state.speaking);
    this.hand.hidden = state.queuePosition === 0;
    setText(this.hand, state.queuePosition > 0 ? t('wall.handShort', { position: state.queuePosition }) : '');
    this.hand.title = state.queuePosition > 0 ? t('wall.raised', { position: state.queuePosition }) : '';
    this.onStage.hidden = !state.speaking;
    setText(this.onStage, state.speaking ? `● ${t('wall.onStage')}` : '');

    const a = state.attendance;
    setText(this.people, a ? `${a.present}/${point.expectedAttendance}` : '');
    this.people.hidden = !a;
    this.people.title = a ? t('wall.people', { present: a.present, expected: point.expectedAttendance }) : t('wall.peopleNone');
    const readiness = state.readiness?.state ?? 'not_tested';
    el.dataset['ready'] = readiness;
    this.ready.dataset['state'] = readiness;
    setText(this.ready, READY_MARK[readiness]);
    this.ready.hidden = readiness === 'not_tested';
    this.ready.setAttribute('aria-label', `${t('ready.title')}: ${t(`ready.${readiness}`)}`);
    this.ready.title = this.ready.getAttribute('aria-label') ?? '';
    const level = t(`level.${point.level}`);
    const people = a ? t('wall.people', { present: a.present, expected: point.expectedAttendance }) : t('wall.peopleNone');
    setText(this.detail, `${level} · ${conn} · ${t(`ready.${readiness}`)} · ${people}`);

    for (const b of [this.grant, this.muteAudio, this.muteVideo]) b.hidden = !canControl;
    this.actions.hidden = !canControl;
    this.actions.setAttribute('aria-label', t('wall.actions', { name: point.name }));
    setText(this.grant, t('floor.grant'));
    this.grant.setAttribute('aria-label', t('wall.grant', { name: point.name }));
    this.grant.disabled = state.speaking || point.connection !== 'connected';
    const { audio, video } = point.mutedByHost;
    setText(this.muteAudio, t(audio ? 'wall.audioOn' : 'wall.audioOff'));
    this.muteAudio.setAttribute('aria-label', t(audio ? 'wall.unmuteAudio' : 'wall.muteAudio', { name: point.name }));
    this.muteAudio.setAttribute('aria-pressed', String(audio));
    setText(this.muteVideo, t(video ? 'wall.videoOn' : 'wall.videoOff'));
    this.muteVideo.setAttribute('aria-label', t(video ? 'wall.unmuteVideo' : 'wall.muteVideo', { name: point.name }));
    this.muteVideo.setAttribute('aria-pressed', String(video));
    this.chart.el.setAttribute('aria-label', t('wall.chart', { name: point.name }));
    this.renderNet();
  }

  renderNet(): void {
    const q = quality(this.sample);
    this.net.dataset['quality'] = q;
    this.el.dataset['quality'] = q;
    const s = this.sample;
    setText(this.net, s ? `${t(`quality.${q}`)} · ${Math.round(s.bitrateKbps)} kbit/s · ${s.lossPercent.toFixed(1)}%` : t(`quality.${q}`));
  }

  renderLevel(volume: number): void {
    // Speech sits between about -60 and -10 dBov: show that span across the bar.
    const fraction = Math.min(1, Math.max(0, (volume + 60) / 55));
    this.meterBar.style.width = `${Math.round(fraction * 100)}%`;
    this.meter.setAttribute('aria-valuenow', String(Math.round(volume)));
    this.meter.setAttribute('aria-label', `${t('wall.level')}: ${Math.round(volume)} dB`);
  }
}
