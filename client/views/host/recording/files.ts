// The recording tab's files: the programme's parts grouped by recording (a recording's first part starts a
// group), then the clips, then the points' original streams; each with its start, its length (h:mm:ss, or
// "đang ghi" while written), size, SHA-256 (shortened, the full value in its title and copied by a click), a
// download and, for the host, a delete once the file is closed. A download asks the hub for a short ticket
// with the console's session and lets the browser fetch the file itself (no gigabytes held in the page).
// The table is rebuilt only when its files change; the open part's length and size are updated in place.
import type { RecordingFileView, RecordingView } from '../../../../shared/recording.ts';
import type { AppContext } from '../../../app.ts';
import { t } from '../../../i18n.ts';
import { rest } from '../../../net/rest.ts';
import { button, h, setText, tr } from '../../../ui/dom.ts';
import { toastError } from '../../../ui/toast.ts';
import { hms, shortSha, size, startTime } from './format.ts';
import { copyText } from './press.ts';

type Send = (work: Promise<RecordingView>) => Promise<RecordingView | undefined>;

interface Group {
  title: string;
  files: RecordingFileView[];
}

export class FilesSection {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #send: Send;
  readonly #none = tr('rec.filesNone', 'p', { class: 'muted' });
  readonly #table = h('table', { class: 'rec-files' });
  readonly #updates = new Map<string, (f: RecordingFileView) => void>();
  #signature = '';

  constructor(ctx: AppContext, send: Send) {
    this.#ctx = ctx;
    this.#send = send;
    this.el = h('section', { class: 'rec-section rec-files-section' }, tr('rec.files', 'h3'), this.#none, this.#table);
  }

  render(view: RecordingView, host: boolean): void {
    const files = view.files;
    this.#none.hidden = files.length > 0;
    this.#table.hidden = files.length === 0;
    const signature = JSON.stringify([host, t('rec.file.download'), files.map((f) => [f.id, f.open, f.sha256, f.name])]);
    if (signature !== this.#signature) {
      this.#signature = signature;
      this.#build(this.#groups(files), host);
    }
    for (const f of files) this.#updates.get(f.id)?.(f);
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

  #build(groups: Group[], host: boolean): void {
    this.#updates.clear();
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
        ...g.files.map((f) => this.#row(f, host)),
      ),
    );
    this.#table.replaceChildren(head, ...bodies);
  }

  #row(f: RecordingFileView, host: boolean): HTMLElement {
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
        h('div', { class: 'rec-file-meta' }, `${t('rec.file.started')} ${startTime(f.startedAt)}`),
        f.open ? null : h('div', { class: 'rec-file-meta rec-file-sha' }, `${t('rec.file.sha')} `, sha),
      ),
      duration,
      bytes,
      h('td', {}, h('div', { class: 'rec-file-actions' }, download, remove)),
    );
    this.#updates.set(f.id, (now) => {
      const ms = now.durationMs ?? (now.endedAt !== null ? now.endedAt - now.startedAt : null);
      setText(duration, now.open ? `${t('rec.file.open')}${ms ? ` ${hms(ms)}` : ''}` : ms === null ? '–' : hms(ms));
      duration.classList.toggle('rec-open', now.open);
      setText(bytes, now.bytes > 0 ? size(now.bytes) : '–');
    });
    return row;
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
