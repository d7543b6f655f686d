// The technician's side of the back-channel: the "the centre hears you" confirmation and the talkback state
// shown plainly at the top, then the thread with the centre and the line to write to it. The tab's name
// carries the unread count; opening the tab (or a new message while it is open) marks the thread read.
import type { AppContext } from '../../app.ts';
import { onLanguage, t } from '../../i18n.ts';
import { h } from '../../ui/dom.ts';
import { act } from '../../ui/toast.ts';
import { backchannelOf } from './model.ts';
import { startTalkbackAudio } from './talkback-audio.ts';
import { badgeTab, composer, drawThread } from './thread.ts';
import './backchannel.css';

export class PointBackchannel {
  readonly el: HTMLElement;

  constructor(ctx: AppContext) {
    const { signal, store } = ctx;
    const model = backchannelOf(ctx);
    const self = (): string => store.self?.pointId ?? '';
    const heard = h('p', { class: 'bc-heard', attrs: { role: 'status', 'aria-live': 'polite' }, data: { state: 'heard' } });
    const listening = h('p', { class: 'bc-talkback bc-listening', attrs: { role: 'status' }, data: { state: 'listening' } });
    const talking = h('p', { class: 'bc-talkback bc-talking', attrs: { role: 'status' }, data: { state: 'talking' } });
    const title = h('h2', { class: 'bc-title' });
    const hint = h('p', { class: 'bc-hint' });
    const list = h('ol', { class: 'bc-thread', attrs: { 'aria-live': 'polite' } });
    const form = composer((text) => act(signal.request('backchannel.send', { pointId: null, text })));
    this.el = h(
      'section',
      { class: 'bc-panel bc-point', data: { panel: 'backchannel' } },
      heard,
      listening,
      talking,
      title,
      list,
      form,
      hint,
    );
    startTalkbackAudio(ctx, this.el);

    const visible = (): boolean => this.el.offsetParent !== null;
    const markRead = (): void => {
      if (visible() && model.unread(self()) > 0) void act(signal.request('backchannel.markRead', { pointId: self() }));
    };
    const draw = (): void => {
      title.textContent = t('bc.title');
      hint.textContent = t('bc.hint');
      const last = model.lastHeard(self());
      heard.hidden = !last;
      heard.textContent = last ? t('bc.heardAt', { time: new Date(last.sentAt).toLocaleTimeString('vi-VN') }) : '';
      listening.hidden = model.talkback.listeningTo !== self();
      listening.textContent = t('tb.pointListening');
      talking.hidden = model.talkback.talkingTo !== self();
      talking.textContent = t('tb.pointTalking');
      drawThread(list, model.thread(self()), () => t('bc.fromPoint'));
    };
    model.on('messages', () => {
      draw();
      markRead();
    });
    model.on('talkback', draw);
    model.on('unread', () => {
      badgeTab(this.el, model.unread(self()));
      markRead();
    });
    new IntersectionObserver(markRead).observe(this.el);
    onLanguage(draw);
    draw();
  }
}
