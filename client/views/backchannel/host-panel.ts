// The centre's side of the back-channel: pick a point (or every technician), read and write its thread,
// confirm "the centre hears you" after its test, and talk back: listen to it privately, talk to its technician
// privately (the host only; one point each). Points with unread messages are marked in the picker; the wall
// shows the same counts from the model.
import { controls } from '../../../shared/rules.ts';
import type { AppContext } from '../../app.ts';
import { onLanguage, t } from '../../i18n.ts';
import { h, option } from '../../ui/dom.ts';
import { act } from '../../ui/toast.ts';
import { backchannelOf } from './model.ts';
import { startTalkbackAudio } from './talkback-audio.ts';
import { badgeTab, composer, drawThread } from './thread.ts';
import './backchannel.css';

const ALL = '*';

export class HostBackchannel {
  readonly el: HTMLElement;

  constructor(ctx: AppContext) {
    const { signal, store } = ctx;
    const model = backchannelOf(ctx);
    const isHost = (): boolean => store.may(controls);
    const picker = h('select', { class: 'bc-picker', data: { field: 'point' } });
    const list = h('ol', { class: 'bc-thread', attrs: { 'aria-live': 'polite' } });
    const title = h('h2', { class: 'bc-title' });
    const hint = h('p', { class: 'bc-hint' });
    const state = h('p', { class: 'bc-talkback-state', attrs: { role: 'status' }, data: { state: 'talkback' } });
    const heard = h('button', { attrs: { type: 'button' }, data: { action: 'confirm-heard' } });
    const listen = h('button', { attrs: { type: 'button', 'aria-pressed': 'false' }, data: { action: 'talkback-listen' } });
    const talk = h('button', { attrs: { type: 'button', 'aria-pressed': 'false' }, data: { action: 'talkback-talk' } });
    const selected = (): string | null => (picker.value === ALL || picker.value === '' ? null : picker.value);
    const form = composer((text) => act(signal.request('backchannel.send', { pointId: selected(), text })));
    const actions = h('div', { class: 'bc-actions' }, heard, listen, talk);
    this.el = h('section', { class: 'bc-panel bc-host', data: { panel: 'backchannel' } }, title, picker, state, actions, list, form, hint);
    startTalkbackAudio(ctx, this.el);

    heard.addEventListener('click', () => {
      const pointId = selected();
      if (pointId) void act(signal.request('backchannel.confirmHeard', { pointId }));
    });
    listen.addEventListener('click', () => {
      const pointId = selected();
      const on = model.talkback.listeningTo === pointId;
      void act(signal.request('talkback.listen', { pointId: on ? null : pointId }));
    });
    talk.addEventListener('click', () => {
      const pointId = selected();
      const on = model.talkback.talkingTo === pointId;
      void act(signal.request('talkback.talk', { pointId: on ? null : pointId }));
    });

    const technicianPoints = () => [...store.points.values()].filter((p) => p.id !== store.conference?.centralPointId && !p.centralSide);
    const drawPicker = (): void => {
      const keep = picker.value || ALL;
      const unread = (id: string): string => (model.unread(id) > 0 ? ` (${model.unread(id)})` : '');
      picker.replaceChildren(
        option(ALL, t('bc.all'), keep === ALL),
        ...technicianPoints().map((p) => option(p.id, `${p.name}${unread(p.id)}`, keep === p.id)),
      );
    };
    const markRead = (): void => {
      const pointId = selected();
      if (pointId && this.el.offsetParent !== null && model.unread(pointId) > 0)
        void act(signal.request('backchannel.markRead', { pointId }));
    };
    const draw = (): void => {
      title.textContent = t('bc.hostTitle');
      hint.textContent = t('bc.hint');
      const pointId = selected();
      const { listeningTo, talkingTo } = model.talkback;
      const parts = [
        listeningTo ? t('tb.listening', { point: store.pointName(listeningTo) }) : '',
        talkingTo ? t('tb.talking', { point: store.pointName(talkingTo) }) : '',
      ].filter(Boolean);
      state.textContent = parts.length ? parts.join(' · ') : t('tb.idle');
      state.classList.toggle('is-on', parts.length > 0);
      heard.textContent = t('bc.confirmHeard');
      listen.textContent = listeningTo && listeningTo === pointId ? t('tb.stopListen') : t('tb.listen');
      talk.textContent = talkingTo && talkingTo === pointId ? t('tb.stopTalk') : t('tb.talk');
      listen.setAttribute('aria-pressed', String(listeningTo !== null && listeningTo === pointId));
      talk.setAttribute('aria-pressed', String(talkingTo !== null && talkingTo === pointId));
      actions.hidden = pointId === null;
      listen.hidden = talk.hidden = !isHost();
      drawThread(list, pointId === null ? model.thread(null).filter((m) => m.pointId === null) : model.thread(pointId), (id) =>
        store.pointName(id),
      );
    };
    picker.addEventListener('change', () => {
      draw();
      markRead();
    });
    store.on('welcome', () => {
      drawPicker();
      draw();
    });
    store.on('points', drawPicker);
    model.on('unread', () => {
      drawPicker();
      badgeTab(this.el, model.totalUnread());
    });
    model.on('messages', () => {
      draw();
      markRead();
    });
    model.on('talkback', draw);
    new IntersectionObserver(markRead).observe(this.el);
    onLanguage(() => {
      drawPicker();
      draw();
    });
    drawPicker();
    draw();
  }
}
