// "Devices and test": what a point's technician and the centre check before a conference, in one panel:
// device choice with the microphone meter, a speaker tone and a microphone playback, and the connection test.
import './check.css';
import type { AppContext } from '../../app.ts';
import { h, tr } from '../../ui/dom.ts';
import { MicMeter } from '../../ui/meter.ts';
import { DevicesPanel } from './devices.ts';
import { SoundChecks } from './sound.ts';
import { ConnectionTest } from './test.ts';

export class CheckPanel {
  readonly el: HTMLElement;
  readonly test: ConnectionTest;

  constructor(ctx: AppContext) {
    const meter = new MicMeter();
    const show = (): void => meter.attach(ctx.media.localStream);
    ctx.media.on('local', show);
    ctx.media.on('producing', show);
    show();
    this.test = new ConnectionTest(ctx, meter);
    this.el = h(
      'section',
      { class: 'check-panel', label: 'check.title' },
      h('div', { class: 'check-block' }, tr('tab.devices', 'h3'), new DevicesPanel(ctx, meter).el),
      h('div', { class: 'check-block' }, tr('check.sound', 'h3'), new SoundChecks(ctx).el),
      h('div', { class: 'check-block' }, tr('ready.connection', 'h3'), this.test.el),
    );
  }
}
