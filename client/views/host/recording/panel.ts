// The console's "Ghi hình" tab: the record button (a confirmation before stopping), the recorder's state
// with a red "● REC" and the time since the recording started, its part and frame rate, recording with the
// conference's start, the disk's free space against the hub's minimum; then the live pushes, the press link
// and the files (their own sections). The host acts; a co-host sees the same, every control disabled.
// The view comes from `recording.view` on every welcome and `recording.updated` after; the tab itself shows
// a red dot while the programme is recorded, whichever tab is open.
import type { ClipRequest, RecordingView } from '../../../../shared/recording.ts';
import { controls } from '../../../../shared/rules.ts';
import type { AppContext } from '../../../app.ts';
import { describeError, reasonCode } from '../../../i18n/describe.ts';
import { onLanguage, t } from '../../../i18n.ts';
import { button, h, setText, tr } from '../../../ui/dom.ts';
import { act } from '../../../ui/toast.ts';
import { FilesSection } from './files.ts';
import { hms, size } from './format.ts';
import { OutputsSection } from './outputs.ts';
import { PressSection } from './press.ts';
import './recording.css';

export class RecordingPanel {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #record: HTMLButtonElement;
  readonly #rec = h('p', { class: 'rec-live', attrs: { role: 'timer' } });
  readonly #elapsed = h('span', { class: 'rec-elapsed' });
  readonly #meta = h('p', { class: 'rec-meta' });
  readonly #recorder = h('p', { class: 'rec-recorder', attrs: { 'aria-live': 'polite' } });
  readonly #error = h('p', { class: 'error rec-error', attrs: { role: 'alert' } });
  readonly #auto = h('input', { attrs: { type: 'checkbox', name: 'auto-start', role: 'switch' } });
  readonly #disk = h('div', { class: 'rec-disk' });
  readonly #hostOnly = tr('rec.hostOnly', 'p', { class: 'muted rec-host-only' });
  readonly #outputs: OutputsSection;
  readonly #press: PressSection;
  readonly #files: FilesSection;
  #view: RecordingView | null = null;
  #busy = false;

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
    const { store, signal } = ctx;
    this.#record = button('rec.start', () => void this.#toggle(), { class: 'rec-button', data: { action: 'record' } });
    this.#auto.addEventListener('change', () => {
      const enabled = this.#auto.checked;
      void this.#send(signal.request('recording.setAutoStart', { enabled }));
    });
    this.#outputs = new OutputsSection(ctx, (work) => this.#send(work));
    this.#press = new PressSection(ctx, (work) => this.#send(work));
    // A clip's refusal is said by the part it was asked from (chapters.ts), not under the record button.
    const clip = async (request: ClipRequest): Promise<RecordingView> => {
      const view = await signal.request('recording.clip', request);
      this.apply(view);
      return view;
    };
    this.#files = new FilesSection(ctx, (work) => this.#send(work), clip);
    this.#error.hidden = true;
    this.#rec.hidden = true;
    this.#rec.append(h('span', { class: 'rec-dot', attrs: { 'aria-hidden': 'true' } }, '●'), ` ${t('rec.rec')} `, this.#elapsed);
    this.el = h(
      'section',
      { class: 'recording', label: 'rec.title', data: { panel: 'recording', recording: 'false' } },
      h(
        'div',
        { class: 'rec-status' },
        h('div', { class: 'rec-top' }, this.#record, h('div', { class: 'rec-now' }, this.#rec, this.#meta)),
        this.#recorder,
        this.#error,
        h('label', { class: 'check rec-auto' }, this.#auto, tr('rec.autoStart')),
        this.#disk,
        this.#hostOnly,
      ),
      this.#outputs.el,
      this.#press.el,
      this.#files.el,
    );
    store.on('welcome', () => void this.load());
    signal.on('recording.updated', (view) => this.apply(view));
    store.on('tick', () => this.#renderClock());
    onLanguage(() => this.render());
  }

  async load(): Promise<void> {
    const view = await act(this.#ctx.signal.request('recording.view', {}));
    if (view) this.apply(view);
  }

  apply(view: RecordingView): void {
    this.#view = view;
    this.render();
  }

  /** Runs one of the host's requests: its answer is the new view; a refusal is said under the record button. */
  async #send(work: Promise<RecordingView>): Promise<RecordingView | undefined> {
    try {
      const view = await work;
      this.#showError(null);
      this.apply(view);
      return view;
    } catch (error) {
      console.error('recording request refused', error);
      this.#showError(error);
      this.render();
      return undefined;
    }
  }

  #showError(error: unknown): void {
    this.#error.hidden = error === null;
    setText(this.#error, error === null ? '' : t('error.action', { message: describeError(error) }));
    if (error === null) delete this.#error.dataset['reason'];
    else this.#error.dataset['reason'] = reasonCode(error);
  }

  async #toggle(): Promise<void> {
    const view = this.#view;
    if (!view || this.#busy) return;
    const { signal } = this.#ctx;
    if (view.recording && !confirm(t('rec.stopConfirm'))) return;
    this.#busy = true;
    this.#record.disabled = true;
    await this.#send(view.recording ? signal.request('recording.stop', {}) : signal.request('recording.start', {}));
    this.#busy = false;
    this.render();
  }

  render(): void {
    const view = this.#view;
    const host = this.#ctx.store.may(controls);
    const ended = this.#ctx.store.status === 'ended';
    this.#hostOnly.hidden = host;
    this.#record.disabled = !host || !view || this.#busy || (ended && !view.recording);
    if (!view) return;
    this.el.dataset['recording'] = String(view.recording);
    this.el.dataset['recorder'] = view.recorder;
    this.#record.dataset['i18n'] = view.recording ? 'rec.stop' : 'rec.start';
    setText(this.#record, t(view.recording ? 'rec.stop' : 'rec.start'));
    this.#record.classList.toggle('recording', view.recording);
    this.#rec.hidden = !view.recording;
    const meta = view.recording
      ? [t('rec.segment', { n: Math.max(1, view.segment) }), ...(view.fps > 0 ? [t('rec.fps', { fps: view.fps })] : [])].join(' · ')
      : t('rec.notRecording');
    setText(this.#meta, meta);
    const state = view.recorder === 'restarting' ? t('rec.recorder.restarting', { n: view.segment }) : t(`rec.recorder.${view.recorder}`);
    setText(this.#recorder, t('rec.recorder', { state }));
    this.#recorder.dataset['state'] = view.recorder;
    this.#auto.checked = view.autoStart;
    this.#auto.disabled = !host;
    this.#renderDisk(view);
    this.#renderClock();
    this.#outputs.render(view, host && !ended);
    this.#press.render(view, host, ended);
    this.#files.render(view, host);
    // The tab's own button shows the red dot while recording (styled by recording.css).
    const tab = this.el.closest('.tabs')?.querySelector<HTMLElement>('[data-tab="recording"]');
    if (tab) tab.dataset['rec'] = String(view.recording);
  }

  #renderClock(): void {
    const startedAt = this.#view?.startedAt;
    if (!this.#view?.recording || startedAt === null || startedAt === undefined) return;
    setText(this.#elapsed, hms(this.#ctx.store.now() - startedAt));
  }

  #renderDisk({ disk }: RecordingView): void {
    const level = disk.freeBytes < disk.minFreeBytes ? 'out' : disk.freeBytes < 2 * disk.minFreeBytes ? 'low' : 'ok';
    const min = size(disk.minFreeBytes);
    this.#disk.dataset['level'] = level;
    const line = h('p', { class: 'rec-disk-line' }, h('strong', {}, t('rec.disk', { free: size(disk.freeBytes) })), ' ');
    line.append(h('span', { class: 'muted' }, t('rec.diskNeed', { min })));
    const warning =
      level === 'ok' ? null : h('p', { class: 'rec-disk-warning' }, level === 'out' ? t('rec.diskOut', { min }) : t('rec.diskLow'));
    const signature = `${level}|${disk.freeBytes}|${disk.minFreeBytes}|${t('rec.disk', { free: '' })}`;
    if (this.#disk.dataset['shown'] === signature) return;
    this.#disk.dataset['shown'] = signature;
    this.#disk.replaceChildren(line, ...(warning ? [warning] : []));
  }
}
