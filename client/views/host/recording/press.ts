// The press page's public link in the recording tab: a switch; while on, the link (the page /press.html with
// this conference and the key the hub drew) with a copy button and its QR code, and the note that switching it
// off and on again makes a new link. The QR code is drawn again only when the link changes.
import type { RecordingView } from '../../../../shared/recording.ts';
import type { AppContext } from '../../../app.ts';
import { t } from '../../../i18n.ts';
import { button, h, tr } from '../../../ui/dom.ts';
import { toast } from '../../../ui/toast.ts';
import { qrCanvas } from '../codes/qr.ts';

type Send = (work: Promise<RecordingView>) => Promise<RecordingView | undefined>;

/** The press page's address for a conference and its current key. */
export const pressLink = (conferenceId: string, key: string): string =>
  `${location.origin}/press.html?c=${encodeURIComponent(conferenceId)}&k=${encodeURIComponent(key)}`;

/** Copies `text`, saying whether it worked. */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    toast(t('rec.copied'));
  } catch {
    toast(t('rec.copyFailed'), 'error');
  }
}

export class PressSection {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #switch = h('input', { attrs: { type: 'checkbox', role: 'switch', name: 'press-enabled' } });
  readonly #off = tr('rec.pressOff', 'p', { class: 'muted' });
  readonly #card = h('div', { class: 'rec-press-card' });
  #link = '';

  constructor(ctx: AppContext, send: Send) {
    this.#ctx = ctx;
    this.#switch.addEventListener('change', () => {
      const enabled = this.#switch.checked;
      void send(ctx.signal.request('recording.setPress', { enabled }));
    });
    this.el = h(
      'section',
      { class: 'rec-section rec-press' },
      tr('rec.press', 'h3'),
      h('label', { class: 'check rec-press-switch' }, this.#switch, tr('rec.pressSwitch')),
      this.#off,
      this.#card,
    );
  }

  render(view: RecordingView, host: boolean, ended: boolean): void {
    const { enabled, key } = view.press;
    this.#switch.checked = enabled;
    // Switching off stays possible after the conference ended; switching on does not.
    this.#switch.disabled = !host || (ended && !enabled);
    this.#off.hidden = enabled;
    this.#card.hidden = !enabled || key === null;
    const conferenceId = this.#ctx.store.self?.conferenceId;
    const link = enabled && key && conferenceId ? pressLink(conferenceId, key) : '';
    if (link === this.#link) return;
    this.#link = link;
    if (!link) {
      this.#card.replaceChildren();
      return;
    }
    this.#card.replaceChildren(
      h(
        'div',
        { class: 'rec-press-text' },
        h(
          'p',
          { class: 'rec-press-link' },
          h('span', { class: 'muted' }, `${t('rec.pressLink')}: `),
          h('a', { attrs: { href: link, target: '_blank', rel: 'noopener' }, data: { press: 'link' } }, link),
        ),
        button('rec.copy', () => void copyText(link), { class: 'small', data: { action: 'copy-press' } }),
        tr('rec.pressNote', 'p', { class: 'muted small-text' }),
        tr('rec.pressDelay', 'p', { class: 'muted small-text' }),
      ),
      h('figure', { class: 'rec-press-qr', label: 'rec.pressQr' }, qrCanvas(link, 136)),
    );
  }
}
