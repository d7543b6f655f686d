// The recording tab's files: the programme's parts grouped by recording (a recording's first part starts a
// group), then the clips, then the points' original streams; each with its start, its length (h:mm:ss, or
// "đang ghi" while written), size, SHA-256 (shortened, the full value in its title and copied by a click), a
// download and, for the host, a delete once the file is closed. A download asks the hub for a short ticket
// with the console's session and lets the browser fetch the file itself (no gigabytes held in the page).
// The table is rebuilt only when its files change; the open part's length and size are updated in place.
// Under each programme part, its chapters and the range form (chapters.ts, kept across re-draws); a clip says
// the part and range it was cut from (read from its start and name: the view has no source fields) and
// "đang cắt…" until the hub has cut and measured it.
import type { RecordingFileView, RecordingView } from '../../../../shared/recording.ts';
import type { AppContext } from '../../../app.ts';
import { t } from '../../../i18n.ts';
import { rest } from '../../../net/rest.ts';
import { button, h, setText, tr } from '../../../ui/dom.ts';
import { toastError } from '../../../ui/toast.ts';
import { ChapterSource, type Clip, PartTools } from './chapters.ts';
import { hms, shortSha, size, startTime } from './format.ts';
import { copyText } from './press.ts';

type Send = (work: Promise<RecordingView>) => Promise<RecordingView | undefined>;

interface Group {
  title: string;
  files: RecordingFileView[];
}

/** The programme part a clip was cut from and its range there: from the clip's start (the part's start + from) and name. */
export function clipSource(
  clip: RecordingFileView,
  files: readonly RecordingFileView[],
): { part: RecordingFileView; fromMs: number; toMs: number | null } | null {
  const parts = files.filter((f) => f.kind === 'programme' && f.startedAt <= clip.startedAt);
  const part = parts
    .filter((f) => f.durationMs === null || clip.startedAt < f.startedAt + f.durationMs)
    .sort((a, b) => b.startedAt - a.startedAt)[0];
  if (!part) return null;
  const fromMs = clip.startedAt - part.startedAt;
  // The hub names a clip "<name>-HHMMSS-HHMMSS.mp4" (from, to).
  const to = /-(\d{2})(\d{2})(\d{2})\.mp4$/.exec(clip.name);
  const named = to ? ((Number(to[1]) * 60 + Number(to[2])) * 60 + Number(to[3])) * 1000 : null;
  const toMs = named !== null && named > fromMs - 1000 ? named : clip.durationMs !== null ? fromMs + clip.durationMs : null;
  return { part, fromMs, toMs };
}

export class FilesSection {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #send: Send;
  readonly #none = tr('rec.filesNone', 'p', { class: 'muted' });
  readonly #table = h('table', { class: 'rec-files' });
  readonly #updates = new Map<string, (f: RecordingFileView) => void>();
  readonly #chapters: ChapterSource;
  readonly #clip: Clip;
  /** The fold under each programme part, by file id. */
  readonly #tools = new Map<string, PartTools>();
  #signature = '';
  #filesShown = '';
  #last: { view: RecordingView; host: boolean } | null = null;

  constructor(ctx: AppContext, send: Send, clip: Clip) {
    this.#ctx = ctx;
    this.#send = send;
    this.#clip = clip;
    this.#chapters = new ChapterSource(ctx, () => this.#last && this.render(this.#last.view, this.#last.host));
    this.el = h('section', { class: 'rec-section rec-files-section' }, tr('rec.files', 'h3'), this.#none, this.#table);
    // While a part is written, a grant, an agenda step or a question answered starts or ends a chapter.
    const moved = (): void => {
      if (this.#last?.view.files.some((f) => f.kind === 'programme' && f.open)) this.#chapters.soon();
    };
    let speaker: string | null = null;
    let item: string | null = null;
    ctx.store.on('floor', (floor) => {
      if (floor.pointId !== speaker) moved();
      speaker = floor.pointId;
    });
    ctx.store.on('agenda', (agenda) => {
      if (agenda.currentItemId !== item) moved();
      item = agenda.currentItemId;
    });
    ctx.store.on('questions', moved);
    // After a reconnection the log may have moved on: the next view asks again.
    ctx.store.on('welcome', () => (this.#filesShown = ''));
  }

  render(view: RecordingView, host: boolean): void {
    this.#last = { view, host };
    const files = view.files;
    this.#none.hidden = files.length > 0;
    this.#table.hidden = files.length === 0;
    // The chapters are placed by the parts' starts and lengths: asked again when those change.
    const programme = files.filter((f) => f.kind === 'programme');
    const filesShown = JSON.stringify(programme.map((f) => [f.id, f.startedAt, f.open, f.open ? null : f.durationMs]));
    if (filesShown !== this.#filesShown) {
      this.#filesShown = filesShown;
      void this.#chapters.refresh();
    }
    const signature = JSON.stringify([
      host,
      t('rec.file.download'),
      files.map((f) => [f.id, f.open, f.sha256, f.name, f.durationMs !== null]),
    ]);
    if (signature !== this.#signature) {
      this.#signature = signature;
      this.#build(this.#groups(files), host, files);
    }
    for (const f of files) this.#updates.get(f.id)?.(f);
    for (const f of programme) this.#tools.get(f.id)?.update(f, this.#chapters.of(f.id), host);
  }

  #groups(files: readonly RecordingFileView[]): Group[] {
    const groups: Group[] = [];
    const programme = files.filter((f) => f.kind === 'programme').sort((a, b) => a.startedAt - b.startedAt);
    for (const f of programme) {
      const last = groups.at(-1);
      if (!last || f.segment <= 1 || (last.files.at(-1)?.segment ?? 0) >= f.segment) {
        groups.push({ title: t('rec.group.recording', { time: startTime(f.startedAt) }), files: [f] });
      } else last.files.push(f);
    }
    // The newest recording first: it is the one the operator looks for.
    groups.reverse();
    const clips = files.filter((f) => f.kind === 'clip');
    if (clips.length > 0) groups.push({ title: t('rec.group.clips'), files: clips });
    const tracks = files.filter((f) => f.kind === 'track');
    if (tracks.length > 0) groups.push({ title: t('rec.group.tracks'), files: tracks });
    return groups;
  }

  #build(groups: Group[], host: boolean, files: readonly RecordingFileView[]): void {
    this.#updates.clear();
    const programme = files.filter((f) => f.kind === 'programme');
    for (const id of this.#tools.keys()) if (!programme.some((f) => f.id === id)) this.#tools.delete(id);
    const newest = programme.reduce<RecordingFileView | null>((a, f) => (a && a.startedAt >= f.startedAt ? a : f), null);
    const tools = (f: RecordingFileView): HTMLElement | null => {
      if (f.kind !== 'programme') return null;
      let found = this.#tools.get(f.id);
      if (!found) {
        // The newest part's chapters are shown at first; the others stay folded until opened.
        found = new PartTools(f, this.#clip, f.id === newest?.id);
        this.#tools.set(f.id, found);
      }
      return found.el;
    };
    const head = h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...(['rec.file.name', 'rec.file.duration', 'rec.file.size'] as const).map((key) => h('th', { attrs: { scope: 'col' } }, t(key))),
        h('th', { attrs: { scope: 'col' } }, h('span', { class: 'rec-hidden' }, t('rec.file.download'))),
      ),
    );
    const bodies = groups.map((g) =>
      h(
        'tbody',
        {},
        h('tr', { class: 'rec-group' }, h('th', { attrs: { colspan: 4, scope: 'rowgroup' } }, g.title)),
        ...g.files.flatMap((f) => [this.#row(f, host, files), tools(f)]),
      ),
    );
    this.#table.replaceChildren(head, ...bodies);
  }

  #row(f: RecordingFileView, host: boolean, files: readonly RecordingFileView[]): HTMLElement {
    const duration = h('td', { class: 'rec-num' });
    const bytes = h('td', { class: 'rec-num' });
    const name = f.kind === 'track' && f.pointId ? t('rec.file.track', { name: this.#ctx.store.pointName(f.pointId) }) : null;
    const sha = f.sha256
      ? h(
          'button',
          {
            class: 'rec-sha',
            attrs: { type: 'button', title: f.sha256 },
            ariaLabel: t('rec.file.shaCopy', { sha: f.sha256 }),
            data: { sha: f.sha256 },
            on: { click: () => void copyText(f.sha256 ?? '') },
          },
          shortSha(f.sha256),
        )
      : h('span', { class: 'muted' }, f.open ? '' : t('rec.file.hashing'));
    const download = button('rec.file.download', () => void this.#download(f), {
      class: 'small',
      data: { action: 'download' },
      ariaLabel: t('rec.file.downloadOf', { name: f.name }),
    });
    const remove = host
      ? button('rec.file.delete', () => void this.#delete(f), {
          class: 'small danger',
          data: { action: 'delete-file' },
          ariaLabel: t('rec.file.deleteOf', { name: f.name }),
          attrs: { disabled: f.open },
        })
      : null;
    const row = h(
      'tr',
      { class: 'rec-file', data: { fileId: f.id, kind: f.kind, open: String(f.open) } },
      h(
        'td',
        { class: 'rec-file-name' },
        name ? h('div', { class: 'rec-file-point' }, name) : null,
        h('div', { class: 'rec-file-title', attrs: { title: f.name } }, f.name),
        this.#meta(f, files),
        f.open ? null : h('div', { class: 'rec-file-meta rec-file-sha' }, `${t('rec.file.sha')} `, sha),
      ),
      duration,
      bytes,
      h('td', {}, h('div', { class: 'rec-file-actions' }, download, remove)),
    );
    this.#updates.set(f.id, (now) => {
      const ms = now.durationMs ?? (now.endedAt !== null ? now.endedAt - now.startedAt : null);
      const open = now.kind === 'clip' ? t('rec.file.cutting') : `${t('rec.file.open')}${ms ? ` ${hms(ms)}` : ''}`;
      setText(duration, now.open ? open : ms === null ? '–' : hms(ms));
      duration.classList.toggle('rec-open', now.open);
      setText(bytes, now.bytes > 0 ? size(now.bytes) : '–');
    });
    return row;
  }

  /** When a file started; for a clip, the part and range it was cut from. */
  #meta(f: RecordingFileView, files: readonly RecordingFileView[]): HTMLElement {
    const source = f.kind === 'clip' ? clipSource(f, files) : null;
    if (!source) return h('div', { class: 'rec-file-meta' }, `${t('rec.file.started')} ${startTime(f.startedAt)}`);
    const { part, fromMs, toMs } = source;
    const vars = { n: part.segment, time: startTime(part.startedAt), from: hms(fromMs), to: toMs === null ? '…' : hms(toMs) };
    return h('div', { class: 'rec-file-meta rec-clip-source', data: { sourceFileId: part.id } }, t('rec.file.clipOf', vars));
  }

  async #download(f: RecordingFileView): Promise<void> {
    const { store, credential } = this.#ctx;
    const conferenceId = store.self?.conferenceId;
    if (!conferenceId) return;
    const path = `/api/conferences/${encodeURIComponent(conferenceId)}/recordings/${encodeURIComponent(f.id)}/ticket`;
    try {
      const response = await rest(path, credential, { method: 'POST' });
      const { url } = (await response.json()) as { url?: unknown };
      if (typeof url !== 'string') throw new Error('no url in the ticket');
      const link = h('a', { attrs: { href: url, download: f.name }, class: 'rec-hidden' });
      document.body.append(link);
      link.click();
      link.remove();
    } catch (error) {
      toastError(error);
    }
  }

  async #delete(f: RecordingFileView): Promise<void> {
    if (f.open || !confirm(t('rec.file.deleteConfirm', { name: f.name }))) return;
    await this.#send(this.#ctx.signal.request('recording.deleteFile', { fileId: f.id }));
  }
}
