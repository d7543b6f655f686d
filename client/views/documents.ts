// Documents for the points: the list from the records, downloads through the REST route with this
// client's credential, and for the host an upload form. A refusal is shown in words like any other.
import type { DocumentView } from '../../shared/records.ts';
import type { AppContext } from '../app.ts';
import { onLanguage, t, timeOfDay } from '../i18n.ts';
import { rest } from '../net/rest.ts';
import { button, field, h, tr } from '../ui/dom.ts';
import { toastError } from '../ui/toast.ts';

function size(bytes: number): string {
  if (bytes >= 1_048_576) return `${(bytes / 1_048_576).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} kB`;
  return `${bytes} B`;
}

export class DocumentsPanel {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #list = h('ul', { class: 'doc-list' });
  readonly #empty = tr('docs.empty', 'p', { class: 'muted' });

  constructor(ctx: AppContext, canUpload: boolean) {
    this.#ctx = ctx;
    this.el = h('section', { class: 'documents', label: 'docs.title' }, canUpload ? this.#uploadForm() : null, this.#empty, this.#list);
    for (const event of ['welcome', 'documents'] as const) ctx.store.on(event, () => this.render());
    onLanguage(() => this.render());
  }

  #base(): string {
    return `/api/conferences/${encodeURIComponent(this.#ctx.store.conference?.id ?? '')}/documents`;
  }

  render(): void {
    const docs = this.#ctx.store.documents;
    this.#empty.hidden = docs.length > 0;
    this.#list.replaceChildren(
      ...docs.map((doc) =>
        h(
          'li',
          { class: 'doc', data: { documentId: doc.id } },
          h('div', { class: 'doc-name' }, doc.name),
          h('div', { class: 'muted' }, `${size(doc.size)} · ${timeOfDay(doc.uploadedAt)}`),
          h(
            'button',
            {
              class: 'small',
              attrs: { type: 'button' },
              ariaLabel: t('docs.download', { name: doc.name }),
              on: { click: () => void this.#download(doc) },
            },
            t('docs.get'),
          ),
        ),
      ),
    );
  }

  async #download(doc: DocumentView): Promise<void> {
    try {
      const response = await rest(`${this.#base()}/${encodeURIComponent(doc.id)}`, this.#ctx.credential);
      const url = URL.createObjectURL(await response.blob());
      const link = h('a', { attrs: { href: url, download: doc.name } });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      toastError(error, 'docs.failed');
    }
  }

  #uploadForm(): HTMLElement {
    const input = h('input', { attrs: { type: 'file', name: 'file', required: true } });
    const form = h(
      'form',
      {
        class: 'doc-upload row',
        on: {
          submit: (event) => {
            event.preventDefault();
            const file = input.files?.[0];
            if (file) void this.#upload(file).then(() => form.reset());
          },
        },
      },
      field('docs.upload', input),
      button('docs.upload', () => undefined, { class: 'small', attrs: { type: 'submit' } }),
    );
    return form;
  }

  async #upload(file: File): Promise<void> {
    try {
      const body = new FormData();
      body.append('file', file, file.name);
      await rest(this.#base(), this.#ctx.credential, { method: 'POST', body });
    } catch (error) {
      toastError(error, 'docs.failed');
    }
  }
}
