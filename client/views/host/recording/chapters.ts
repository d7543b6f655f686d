// The chapters of the programme parts in the recording tab: every speaking turn, agenda item and question
// answered live, as the hub places them in each part (`recording.chapters`). They are asked for again when
// the files change (a part opens, closes or is measured) and, while a part is being written, when the floor,
// the agenda or the questions move (a chapter starts or ends). Under each part's row in the files table, a
// fold with its chapters (kind, title, time in the part, "đang diễn ra" while open), each with "Cắt đoạn"
// for the host once the part is closed, and the range form (clip-form.ts). A refusal from the hub is said
// in the fold, with the reason's words. The fold is kept across re-draws of the table (open or not, typed text).
import type { Chapter, ClipRequest, RecordingFileView, RecordingView } from '../../../../shared/recording.ts';
import type { AppContext } from '../../../app.ts';
import { describeError, reasonCode } from '../../../i18n/describe.ts';
import { t } from '../../../i18n.ts';
import { button, h, setText } from '../../../ui/dom.ts';
import { toast } from '../../../ui/toast.ts';
import { ClipForm } from './clip-form.ts';
import { hms } from './format.ts';

/** Sends a clip request; resolves with the new view (applied by the caller) or throws the hub's refusal. */
export type Clip = (request: ClipRequest) => Promise<RecordingView>;

/** The chapters of every part, as last asked; `changed` runs when they differ from before. */
export class ChapterSource {
  readonly #ctx: AppContext;
  readonly #changed: () => void;
  #byFile = new Map<string, Chapter[]>();
  #shown = '';
  #loading = false;
  #again = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(ctx: AppContext, changed: () => void) {
    this.#ctx = ctx;
    this.#changed = changed;
  }

  of(fileId: string): readonly Chapter[] {
    return this.#byFile.get(fileId) ?? [];
  }

  /** Asks the hub again (one request at a time; a call during one asks once more after it). */
  async refresh(): Promise<void> {
    if (this.#loading) {
      this.#again = true;
      return;
    }
    this.#loading = true;
    try {
      const { chapters } = await this.#ctx.signal.request('recording.chapters', {});
      const byFile = new Map<string, Chapter[]>();
      for (const c of chapters) byFile.set(c.fileId, [...(byFile.get(c.fileId) ?? []), c]);
      const shown = JSON.stringify(chapters);
      this.#byFile = byFile;
      if (shown !== this.#shown) {
        this.#shown = shown;
        this.#changed();
      }
    } catch (error) {
      // Not fatal: the list stays as it was and the next change asks again.
      console.warn('recording.chapters failed', error);
    } finally {
      this.#loading = false;
    }
    if (this.#again) {
      this.#again = false;
      await this.refresh();
    }
  }

  /** Asks again shortly (the floor, agenda or questions moved while a part is written). */
  soon(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.refresh(), 300);
  }
}

const chapterTime = (c: Chapter): string => `${hms(c.startMs)} – ${c.endMs === null ? t('rec.chapter.ongoing') : hms(c.endMs)}`;

/** The fold under one programme part's row: its chapters, and the range form once it is closed. */
export class PartTools {
  readonly el: HTMLTableRowElement;
  readonly #fileId: string;
  readonly #clip: Clip;
  readonly #details = h('details', { class: 'rec-chapters' });
  readonly #summary = h('summary', { data: { action: 'chapters' } });
  readonly #list = h('ol', { class: 'rec-chapter-list' });
  readonly #none = h('p', { class: 'muted rec-chapters-none' });
  readonly #note = h('p', { class: 'muted rec-chapters-note' });
  readonly #error = h('p', { class: 'error rec-clip-error', attrs: { role: 'alert' } });
  readonly #form: ClipForm;
  #refusal: unknown = null;
  #signature = '';

  constructor(file: RecordingFileView, clip: Clip, open: boolean) {
    this.#fileId = file.id;
    this.#clip = clip;
    this.#form = new ClipForm(file.id, (request) => this.send(request));
    this.#details.open = open;
    this.#error.hidden = true;
    this.#details.append(this.#summary, this.#none, this.#list, this.#note, this.#error, this.#form.el);
    this.el = h('tr', { class: 'rec-part-tools', data: { fileId: file.id } }, h('td', { attrs: { colspan: 4 } }, this.#details));
  }

  update(file: RecordingFileView, chapters: readonly Chapter[], host: boolean): void {
    const ready = !file.open && file.durationMs !== null;
    this.#details.dataset['ready'] = String(ready);
    setText(this.#summary, t('rec.chapters.summary', { n: chapters.length }));
    this.#none.hidden = chapters.length > 0;
    setText(this.#none, t('rec.chapters.none'));
    this.#note.hidden = !host || ready;
    setText(this.#note, file.open ? t('rec.chapters.openNote') : t('rec.chapters.measuring'));
    const signature = JSON.stringify([host, ready, t('rec.chapter.turn'), chapters]);
    if (signature !== this.#signature) {
      this.#signature = signature;
      this.#list.replaceChildren(...chapters.map((c) => this.#item(c, host, ready)));
    }
    this.#form.update(host && ready ? file.durationMs : null);
    this.#showRefusal(this.#refusal);
  }

  #item(c: Chapter, host: boolean, ready: boolean): HTMLElement {
    const cut = host
      ? button('rec.chapter.cut', () => void this.send({ chapterId: c.id }, cut), {
          class: 'small',
          data: { action: 'clip-chapter' },
          ariaLabel: t('rec.chapter.cutOf', { title: c.title }),
          attrs: { disabled: !ready },
        })
      : null;
    return h(
      'li',
      { class: 'rec-chapter', data: { chapterId: c.id, kind: c.kind, open: String(c.endMs === null) } },
      h(
        'div',
        { class: 'rec-chapter-head' },
        h('span', { class: 'rec-chapter-kind' }, t(`rec.chapter.${c.kind}`)),
        h('span', { class: 'rec-chapter-time' }, chapterTime(c)),
      ),
      h('div', { class: 'rec-chapter-body' }, h('span', { class: 'rec-chapter-title' }, c.title), cut),
    );
  }

  /** Sends a clip of this part; true when the hub took it. A refusal is said in the fold. */
  async send(request: ClipRequest, busy?: HTMLButtonElement | null): Promise<boolean> {
    if (busy) busy.disabled = true;
    try {
      await this.#clip(request);
      this.#showRefusal(null);
      toast(t('rec.clip.sent'));
      return true;
    } catch (error) {
      console.error('recording.clip refused', error);
      this.#showRefusal(error);
      return false;
    } finally {
      if (busy?.isConnected) busy.disabled = false;
    }
  }

  #showRefusal(error: unknown): void {
    this.#refusal = error;
    this.#error.hidden = error === null;
    setText(this.#error, error === null ? '' : t('error.action', { message: describeError(error) }));
    if (error === null) delete this.#error.dataset['reason'];
    else this.#error.dataset['reason'] = reasonCode(error);
  }

  get fileId(): string {
    return this.#fileId;
  }
}
