// "Nhập từ tệp": a .csv or .xlsx file is sent to POST /api/points/preview, which reads and checks every row and
// stores nothing. The preview shows the good rows (row, id, name, level, parent; ids already in the draft
// flagged) and each problem row by row in words; confirming merges the good rows into the draft (or replaces
// the list), which is saved with the rest of the conference by the editor's "Lưu".
import { PointsPreview } from '../../../shared/organiser.ts';
import { t } from '../../i18n.ts';
import { describeError } from '../../i18n/describe.ts';
import { button, h, tr } from '../../ui/dom.ts';
import { toast } from '../../ui/toast.ts';
import { send } from './api.ts';
import type { DraftHost } from './draft.ts';
import { importType, goodRows, mergePoints } from './points-merge.ts';
import { problemText } from './points-problems.ts';

/** Reads `file` and shows its preview in `slot`; `onClose` when confirmed or cancelled. */
export async function showImport(host: DraftHost, file: File, slot: HTMLElement, onClose: () => void): Promise<void> {
  const type = importType(file.name);
  if (!type) {
    toast(t('orgp.imp.type'), 'error');
    return;
  }
  slot.replaceChildren(h('p', { class: 'orgp-import muted', data: { import: 'reading' } }, t('orgp.imp.reading', { file: file.name })));
  let preview: PointsPreview;
  try {
    preview = await send(PointsPreview, '/points/preview', file, type);
  } catch (error) {
    slot.replaceChildren(
      h(
        'div',
        { class: 'orgp-import', data: { import: 'failed' } },
        h('p', { class: 'orgp-error', attrs: { role: 'alert' } }, t('orgp.imp.failed', { why: describeError(error) })),
        button('orgp.imp.cancel', onClose, { data: { action: 'import-cancel' } }),
      ),
    );
    return;
  }
  slot.replaceChildren(previewView(host, file.name, preview, onClose));
}

function previewView(host: DraftHost, fileName: string, preview: PointsPreview, onClose: () => void): HTMLElement {
  const spec = host.spec();
  const inDraft = new Set(spec.points.map((p) => p.id));
  const names = new Map([...spec.points, ...preview.points].map((p) => [p.id, p.name]));
  const rows = goodRows(preview);
  const existing = preview.points.filter((p) => inDraft.has(p.id)).length;
  const badRows = new Set(preview.problems.map((p) => p.row)).size;
  const inUse = host.mode() === 'in_use';
  const radio = (value: 'merge' | 'replace', key: 'orgp.imp.merge' | 'orgp.imp.replace', disabled = false): HTMLElement => {
    const input = h('input', { attrs: { type: 'radio', name: 'import-mode', value, disabled } });
    input.checked = value === 'merge';
    input.addEventListener('change', () => label());
    return h('label', { class: 'orgp-check' }, input, tr(key));
  };
  const modes = h('div', { class: 'orgp-import-modes' }, radio('merge', 'orgp.imp.merge'), radio('replace', 'orgp.imp.replace', inUse));
  const mode = (): 'merge' | 'replace' =>
    modes.querySelector<HTMLInputElement>('input:checked')?.value === 'replace' ? 'replace' : 'merge';
  const confirmButton = h('button', { class: 'primary', attrs: { type: 'button' }, data: { action: 'import-confirm' } });
  const label = (): void => {
    const count = preview.points.length;
    confirmButton.textContent = t(mode() === 'replace' ? 'orgp.imp.confirmReplace' : 'orgp.imp.confirm', { count });
  };
  label();
  confirmButton.disabled = preview.points.length === 0;
  confirmButton.addEventListener('click', () => {
    const replace = mode() === 'replace';
    const saved = new Set(host.saved()?.points.map((p) => p.id));
    host.change((draft) => {
      draft.points = replace ? [...preview.points] : mergePoints(draft.points, preview.points, (id) => inUse && saved.has(id));
      if (!draft.points.some((p) => p.id === draft.centralPointId)) {
        const central = draft.points.find((p) => p.level === 'central') ?? draft.points[0];
        if (central) draft.centralPointId = central.id;
      }
    });
    toast(t('orgp.added', { count: preview.points.length }));
    onClose();
  });

  return h(
    'section',
    { class: 'orgp-import', data: { import: 'preview' }, attrs: { 'aria-labelledby': 'orgp-import-title' } },
    h('h3', { id: 'orgp-import-title' }, t('orgp.imp.title', { file: fileName })),
    h('p', { class: 'orgp-import-summary' }, t('orgp.imp.summary', { rows: preview.rows, good: preview.points.length, bad: badRows })),
    preview.problems.length > 0
      ? h(
          'div',
          { class: 'orgp-problems', attrs: { role: 'alert' } },
          tr('orgp.imp.problems', 'strong'),
          h('ul', {}, ...preview.problems.map((p) => h('li', { data: { row: String(p.row), reason: p.reason } }, problemText(p)))),
        )
      : null,
    existing > 0 ? h('p', { class: 'orgp-note' }, t('orgp.imp.existsNote', { count: existing })) : null,
    preview.points.length === 0
      ? tr('orgp.imp.nothing', 'p', { class: 'orgp-error' })
      : h(
          'div',
          { class: 'orgp-scroll' },
          h(
            'table',
            { class: 'orgp-table orgp-preview' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...(['orgp.col.row', 'orgp.col.id', 'orgp.col.name', 'orgp.col.level', 'orgp.col.parentId'] as const).map((key) =>
                  h('th', { attrs: { scope: 'col' } }, t(key)),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              ...preview.points.map((p, i) =>
                h(
                  'tr',
                  { class: inDraft.has(p.id) ? 'exists' : undefined, data: { pointId: p.id, level: p.level } },
                  h('td', { class: 'num' }, rows[i] ?? ''),
                  h('td', { class: 'mono' }, p.id),
                  h('td', {}, p.name, inDraft.has(p.id) ? h('span', { class: 'orgp-badge warn' }, t('orgp.imp.exists')) : null),
                  h('td', {}, t(`orgp.level.${p.level}`)),
                  h('td', {}, p.parentId === null ? '' : (names.get(p.parentId) ?? p.parentId)),
                ),
              ),
            ),
          ),
        ),
    preview.points.length > 0 ? modes : null,
    h('div', { class: 'orgp-form-actions' }, confirmButton, button('orgp.imp.cancel', onClose, { data: { action: 'import-cancel' } })),
  );
}
