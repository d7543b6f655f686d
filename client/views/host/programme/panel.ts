// The host's programme controls under the floor panel: the layout every hall shows (with the banner's
// message), and screen sharing: this computer's screen, whether the speaking point may share, who shares
// now (with a thumbnail) and one stop for whatever is shared, this computer's screen included. Shown to the
// host only (co-hosts follow the stage preview).
import { BANNER_MESSAGE_MAX, LAYOUTS, type Layout } from '../../../../shared/programme.ts';
import type { AppContext } from '../../../app.ts';
import type { MediaClient, RemoteTrack } from '../../../net/media.ts';
import { onLanguage, t } from '../../../i18n.ts';
import { button, h, setText, tr } from '../../../ui/dom.ts';
import { attach, videoElement } from '../../../ui/playback.ts';
import { act } from '../../../ui/toast.ts';
import { canCapture, ShareButton } from '../../point/share.ts';
import './programme.css';

export class ProgrammePanel {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #screen: MediaClient;
  readonly #layouts = new Map<Layout, HTMLButtonElement>();
  readonly #message = h('input', {
    attrs: { type: 'text', name: 'banner-message', maxlength: BANNER_MESSAGE_MAX, autocomplete: 'off' },
    label: 'programme.message',
  });
  readonly #messageRow: HTMLElement;
  readonly #share: ShareButton;
  readonly #allow = h('input', { attrs: { type: 'checkbox', name: 'allow-sharing', role: 'switch' } });
  readonly #sharedText = h('p', { class: 'shared-text', attrs: { 'aria-live': 'polite' } });
  readonly #stop: HTMLButtonElement;
  readonly #thumb = videoElement('shared-thumb');

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
    const { store, signal, media } = ctx;
    this.#screen = media;
    const picker = h('div', { class: 'layout-picker', attrs: { role: 'group', 'aria-labelledby': 'layout-title' } });
    for (const layout of LAYOUTS) {
      const b = button(`layout.${layout}`, () => void this.#setLayout(layout), {
        class: 'layout-button',
        attrs: { 'aria-pressed': 'false' },
        data: { layout },
      });
      this.#layouts.set(layout, b);
      picker.append(b);
    }
    this.#message.setAttribute('placeholder', t('programme.messageHint'));
    this.#message.dataset['i18nPlaceholder'] = 'programme.messageHint';
    this.#message.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') void this.#setLayout('banner');
    });
    const show = button('programme.messageShow', () => void this.#setLayout('banner'), {
      class: 'small',
      data: { action: 'show-message' },
    });
    this.#messageRow = h(
      'div',
      { class: 'banner-message' },
      tr('programme.message', 'label', { attrs: { for: 'banner-message' } }),
      h('div', { class: 'banner-message-row' }, this.#message, show),
    );
    this.#message.id = 'banner-message';

    this.#share = new ShareButton(media, {
      unavailable: () => (!canCapture() ? { key: 'share.unsupported' } : store.status === 'ended' ? { key: 'flows.ended' } : null),
      noticeStopped: false,
      startKey: 'programme.shareHere',
    });
    this.#share.el.classList.add('small');
    this.#share.onChange(() => this.render());
    this.#allow.addEventListener('change', () => {
      const allowed = this.#allow.checked;
      void act(signal.request('programme.allowSharing', { allowed })).then((view) => {
        if (view) store.applyProgramme(view);
        else this.render();
      });
    });
    this.#stop = button('programme.stopAll', () => void this.#stopAll(), { class: 'danger small', data: { action: 'stop-all' } });
    this.#thumb.dataset['source'] = 'screen';
    this.el = h(
      'section',
      { class: 'panel programme-panel', attrs: { 'aria-labelledby': 'programme-title' } },
      tr('programme.title', 'h2', { id: 'programme-title' }),
      tr('programme.layout', 'h3', { id: 'layout-title' }),
      picker,
      this.#messageRow,
      tr('programme.sharing', 'h3'),
      h(
        'div',
        { class: 'share-controls' },
        this.#share.el,
        h('label', { class: 'check allow-sharing' }, this.#allow, tr('programme.allow')),
      ),
      h('div', { class: 'shared-now' }, this.#thumb, h('div', { class: 'shared-who' }, this.#sharedText, this.#stop)),
    );
    for (const event of ['welcome', 'programme', 'status', 'floor', 'points'] as const) store.on(event, () => this.render());
    media.on('added', (remote) => remote.source === 'screen' && this.render());
    media.on('removed', (remote) => remote.source === 'screen' && this.render());
    store.on('status', () => this.#share.render());
    onLanguage(() => this.render());
    this.render();
  }

  async #setLayout(layout: Layout): Promise<void> {
    const { store, signal } = this.#ctx;
    const message = layout === 'banner' ? { message: this.#message.value.trim() } : {};
    const view = await act(signal.request('programme.setLayout', { layout, ...message }));
    if (view) store.applyProgramme(view);
    if (layout === 'banner') this.#message.focus();
  }

  /** Stops this computer's screen here, and any point's at the hub. */
  async #stopAll(): Promise<void> {
    const { signal } = this.#ctx;
    if (this.#screen.sharing) await act(this.#screen.stopScreen());
    if (this.#remoteScreens().length > 0) await act(signal.request('programme.stopSharing', {}));
  }

  #remoteScreens(): RemoteTrack[] {
    return this.#ctx.media.remote().filter((r) => r.source === 'screen' && r.kind === 'video' && r.purpose !== 'standby');
  }

  render(): void {
    const { store } = this.#ctx;
    const { layout, message, pointSharing } = store.programme;
    const ended = store.status === 'ended';
    for (const [l, b] of this.#layouts) {
      b.setAttribute('aria-pressed', String(l === layout));
      b.disabled = ended;
    }
    this.el.dataset['layout'] = layout;
    this.#messageRow.hidden = layout !== 'banner';
    if (document.activeElement !== this.#message) this.#message.value = message;
    this.#message.disabled = ended;
    this.#allow.checked = pointSharing;
    this.#allow.disabled = ended;

    const remote = this.#remoteScreens();
    const local = this.#screen.sharing ? this.#screen.screenStream : null;
    const names = [
      ...(local ? [t('programme.thisComputer', { name: store.pointName(store.centralPointId) })] : []),
      ...new Set(remote.map((r) => store.pointName(r.pointId))),
    ];
    const shared = names.length > 0;
    // While this computer shares, the one stop below (for whatever is shared) stands for its own stop.
    this.#share.el.hidden = local !== null;
    this.el.dataset['shared'] = String(shared);
    setText(this.#sharedText, shared ? t('programme.sharedBy', { name: names.join(', ') }) : t('programme.nothingShared'));
    this.#stop.hidden = !shared;
    const first = remote[0];
    const thumb = first ? new MediaStream([first.track]) : local ? new MediaStream(local.getVideoTracks()) : null;
    attach(this.#thumb, thumb);
    this.#thumb.hidden = thumb === null;
    this.#thumb.dataset['pointId'] = first ? first.pointId : local ? store.centralPointId : '';
    this.#thumb.setAttribute('aria-label', shared ? t('programme.sharedBy', { name: names.join(', ') }) : t('programme.nothingShared'));
  }
}
