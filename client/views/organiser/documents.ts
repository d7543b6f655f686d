// The editor's documents tab (a saved conference only): the documents in the order the points see them
// (name, type, size, uploaded at), uploading one (multipart field `file`; the hub checks the content and
// its refusal is shown in words), moving one up or down (PUT …/documents/order with every id) and
// removing one after a confirmation (DELETE …/documents/:docId).
import { z } from 'zod';
import { DocumentView } from '../../../shared/records.ts';
import { onLanguage, t, timeOfDay } from '../../i18n.ts';
import { describeError } from '../../i18n/describe.ts';
import { button, h, tr } from '../../ui/dom.ts';
import { act, toast } from '../../ui/toast.ts';
import { api, send } from './api.ts';
import type { DraftHost, EditorTab } from './draft.ts';
import './organiser-tabs.css';

const List = z.object({ documents: z.array(DocumentView) });

const TYPES: Array<[RegExp, string]> = [
  [/pdf/, 'PDF'],
  [/wordprocessingml|msword/, 'Word'],
  [/spreadsheetml|ms-excel/, 'Excel'],
  [/presentationml|ms-powerpoint/, 'PowerPoint'],
  [/opendocument/, 'OpenDocument'],
];

/** A document's type in a word ("PDF", "Word", "Ảnh"), else its MIME type. */
export function documentType(mime: string): string {
  if (mime.startsWith('image/')) return `${t('orgp.doc.image')} ${mime.slice(6).toUpperCase()}`;
  return TYPES.find(([pattern]) => pattern.test(mime))?.[1] ?? mime;
}

/** "512 KB", "3,4 MB". */
export function sizeText(bytes: number): string {
  const format = (n: number): string => n.toLocaleString('vi-VN', { maximumFractionDigits: 1 });
  return bytes < 1024 * 1024 ? `${format(Math.max(1, Math.round(bytes / 1024)))} KB` : `${format(bytes / 1024 / 1024)} MB`;
}

export function documentsTab(host: DraftHost): EditorTab {
  const el = h('section', { class: 'org-tab orgp-documents', data: { orgTab: 'documents' } });
  const id = host.conferenceId;
  if (id === null) {
    el.append(tr('orgp.unsaved', 'p', { class: 'orgp-note warn' }));
    return { el };
  }
  const base = `/conferences/${encodeURIComponent(id)}/documents`;
  const status = h('p', { class: 'orgp-status', attrs: { 'aria-live': 'polite' } });
  const body = h('tbody', {});
  let documents: DocumentView[] = [];

  const input = h('input', { class: 'orgp-file', attrs: { type: 'file', tabindex: -1 }, data: { action: 'document-file' } });
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = '';
    if (file) void upload(file);
  });

  const upload = async (file: File): Promise<void> => {
    status.className = 'orgp-status';
    status.textContent = t('orgp.doc.uploading', { name: file.name });
    const form = new FormData();
    form.append('file', file, file.name);
    try {
      const doc = await send(DocumentView, base, form);
      status.textContent = t('orgp.doc.uploaded', { name: doc.name });
      await load();
    } catch (error) {
      status.className = 'orgp-status orgp-error';
      status.textContent = t('orgp.doc.refused', { name: file.name, why: describeError(error) });
    }
  };

  const move = async (index: number, by: -1 | 1): Promise<void> => {
    const ids = documents.map((d) => d.id);
    const [moved] = ids.splice(index, 1);
    if (moved === undefined) return;
    ids.splice(index + by, 0, moved);
    const answer = await act(api(List, `${base}/order`, 'PUT', { ids }));
    if (!answer) return;
    documents = answer.documents;
    render();
    body.querySelector<HTMLButtonElement>(`tr[data-document-id="${CSS.escape(moved)}"] [data-action="${by < 0 ? 'up' : 'down'}"]`)?.focus();
  };

  const remove = async (doc: DocumentView): Promise<void> => {
    if (!confirm(t('orgp.doc.removeConfirm', { name: doc.name }))) return;
    const done = await act(api(z.unknown(), `${base}/${encodeURIComponent(doc.id)}`, 'DELETE').then(() => true));
    if (!done) return;
    toast(t('orgp.doc.removed', { name: doc.name }));
    await load();
  };

  const render = (): void => {
    if (documents.length === 0) {
      body.replaceChildren(h('tr', {}, h('td', { class: 'orgp-empty muted', attrs: { colspan: 6 } }, t('orgp.doc.empty'))));
      return;
    }
    const last = documents.length - 1;
    body.replaceChildren(
      ...documents.map((doc, i) =>
        h(
          'tr',
          { data: { documentId: doc.id } },
          h('td', { class: 'num' }, i + 1),
          h('td', { class: 'orgp-doc-name' }, doc.name),
          h('td', {}, documentType(doc.mimeType)),
          h('td', { class: 'num' }, sizeText(doc.size)),
          h('td', {}, `${timeOfDay(doc.uploadedAt)} ${new Date(doc.uploadedAt).toLocaleDateString('vi-VN')}`),
          h(
            'td',
            { class: 'orgp-actions' },
            button('orgp.doc.up', () => void move(i, -1), {
              class: 'small',
              data: { action: 'up' },
              attrs: { disabled: i === 0 },
              ariaLabel: t('orgp.doc.upOf', { name: doc.name }),
            }),
            button('orgp.doc.down', () => void move(i, 1), {
              class: 'small',
              data: { action: 'down' },
              attrs: { disabled: i === last },
              ariaLabel: t('orgp.doc.downOf', { name: doc.name }),
            }),
            button('orgp.doc.remove', () => void remove(doc), {
              class: 'small danger',
              data: { action: 'remove-document' },
              ariaLabel: `${t('orgp.doc.remove')}: ${doc.name}`,
            }),
          ),
        ),
      ),
    );
  };

  const load = async (): Promise<void> => {
    try {
      documents = (await api(List, base)).documents;
      render();
    } catch (error) {
      body.replaceChildren(
        h('tr', {}, h('td', { class: 'orgp-error', attrs: { colspan: 6 } }, t('orgp.failed', { why: describeError(error) }))),
      );
    }
  };

  const closed = host.mode() === 'closed';
  el.append(
    tr('orgp.doc.title', 'h3'),
    tr('orgp.doc.intro', 'p', { class: 'muted' }),
    h(
      'div',
      { class: 'orgp-toolbar' },
      closed ? null : button('orgp.doc.upload', () => input.click(), { class: 'primary', data: { action: 'upload-document' } }),
      input,
    ),
    status,
    h(
      'div',
      { class: 'orgp-scroll' },
      h(
        'table',
        { class: 'orgp-table orgp-docs' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...(
              ['orgp.doc.order', 'orgp.doc.name', 'orgp.doc.type', 'orgp.doc.size', 'orgp.doc.uploadedAt', 'orgp.col.actions'] as const
            ).map((key) => h('th', { attrs: { scope: 'col' }, data: { i18n: key } }, t(key))),
          ),
        ),
        body,
      ),
    ),
  );
  // The editor makes its tabs anew each time it opens: a tab no longer on the page stops listening.
  const offLanguage = onLanguage(() => (el.isConnected ? render() : offLanguage()));
  return { el, show: () => void load() };
}
