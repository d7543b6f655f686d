// The editor's points tab: the draft's points as a tree (the host's central point first, then provinces,
// districts, communes), counts per level, adding, editing and removing points, importing a .csv or .xlsx
// file through a preview, exporting the saved list, and the directory of points kept between conferences.
// Every change goes through host.change: nothing is stored until the editor's "Lưu" (all or nothing).
import type { PointSpec } from '../../../shared/domain.ts';
import { onLanguage, t } from '../../i18n.ts';
import { reasonText } from '../../i18n/describe.ts';
import { button, h, tr } from '../../ui/dom.ts';
import { act, toast } from '../../ui/toast.ts';
import { api, download } from './api.ts';
import type { DraftHost, EditorTab } from './draft.ts';
import { DirectoryPanel } from './points-directory.ts';
import { DirectoryList } from './points-merge.ts';
import { pointForm } from './points-form.ts';
import { showImport } from './points-import.ts';
import { buildTree, countByLevel, descendants, LEVELS } from './points-tree.ts';
import './organiser-tabs.css';

const XLSX_ACCEPT = '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function pointsTab(host: DraftHost): EditorTab {
  const formSlot = h('div', { class: 'orgp-slot' });
  const importSlot = h('div', { class: 'orgp-slot', attrs: { 'aria-live': 'polite' } });
  const directorySlot = h('div', { class: 'orgp-slot' });
  const summary = h('div', { class: 'orgp-summary', attrs: { 'aria-live': 'polite' } });
  const note = h('p', { class: 'orgp-note' });
  const body = h('tbody', {});
  const chosen = new Set<string>();
  let directory: DirectoryPanel | null = null;

  const fileInput = h('input', {
    class: 'orgp-file',
    attrs: { type: 'file', accept: XLSX_ACCEPT, tabindex: -1 },
    data: { action: 'import-file' },
  });
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    fileInput.value = '';
    if (!file) return;
    formSlot.replaceChildren();
    void showImport(host, file, importSlot, () => importSlot.replaceChildren());
    importSlot.scrollIntoView({ block: 'nearest' });
  });

  const openForm = (editing: PointSpec | null, parentId: string | null = null): void => {
    importSlot.replaceChildren();
    formSlot.replaceChildren(pointForm({ host, editing, parentId, onClose: () => formSlot.replaceChildren() }));
    formSlot.scrollIntoView({ block: 'nearest' });
  };

  const exportAs = (ext: 'csv' | 'xlsx'): void => {
    const id = host.conferenceId;
    if (id !== null) void act(download(`/conferences/${encodeURIComponent(id)}/points.${ext}`, `${id}-diem-cau.${ext}`));
  };
  const addButton = button('orgp.add', () => openForm(null), { class: 'primary', data: { action: 'add-point' } });
  const importButton = button('orgp.import', () => fileInput.click(), { data: { action: 'import' } });
  const csvButton = button('orgp.exportCsv', () => exportAs('csv'), { class: 'small', data: { action: 'export-csv' } });
  const xlsxButton = button('orgp.exportXlsx', () => exportAs('xlsx'), { class: 'small', data: { action: 'export-xlsx' } });
  const directoryButton = button('orgp.directory', () => toggleDirectory(), { data: { action: 'directory' } });
  const saveToDirectory = h('button', { class: 'small', attrs: { type: 'button' }, data: { action: 'directory-save' } });
  saveToDirectory.addEventListener('click', () => void keepInDirectory());

  const toggleDirectory = (): void => {
    if (directory) {
      directory = null;
      directorySlot.replaceChildren();
      return;
    }
    directory = new DirectoryPanel(host, () => toggleDirectory());
    directorySlot.replaceChildren(directory.el);
    void directory.load();
  };

  /** PUT /api/directory with the chosen draft points. */
  const keepInDirectory = async (): Promise<void> => {
    const points = host.spec().points.filter((p) => chosen.has(p.id));
    if (points.length === 0) return;
    const done = await act(api(DirectoryList, '/directory', 'PUT', { points }));
    if (!done) return;
    toast(t('orgp.dir.saved', { count: points.length }));
    chosen.clear();
    render();
    await directory?.load();
  };

  const remove = (point: PointSpec): void => {
    const spec = host.spec();
    if (point.id === spec.centralPointId) {
      toast(t('orgp.removeMain'), 'error');
      return;
    }
    const ids = [point.id, ...descendants(spec.points, point.id)];
    if (host.mode() === 'in_use') {
      const saved = new Set(host.saved()?.points.map((p) => p.id));
      const kept = ids.find((id) => saved.has(id));
      if (kept !== undefined) {
        // The rule's own words, the point named as the clerk knows it.
        const name = spec.points.find((p) => p.id === kept)?.name ?? kept;
        toast(reasonText('edit.in_use_point_removed', { pointId: `“${name}”` }), 'error', 'edit.in_use_point_removed');
        return;
      }
    }
    const question =
      ids.length > 1
        ? t('orgp.removeTreeConfirm', { name: point.name, count: ids.length - 1 })
        : t('orgp.removeConfirm', { name: point.name });
    if (!confirm(question)) return;
    const gone = new Set(ids);
    host.change((draft) => {
      draft.points = draft.points.filter((p) => !gone.has(p.id));
      for (const item of draft.agenda)
        if (item.rapporteurPointId !== null && gone.has(item.rapporteurPointId)) item.rapporteurPointId = null;
    });
    for (const id of ids) chosen.delete(id);
    toast(t('orgp.removed', { count: ids.length }));
  };

  const choose = (id: string, on: boolean): void => {
    for (const each of [id, ...descendants(host.spec().points, id)]) {
      if (on) chosen.add(each);
      else chosen.delete(each);
    }
    render();
  };

  const row = (point: PointSpec, depth: number, children: number, main: boolean, editable: boolean): HTMLElement => {
    const box = h('input', { attrs: { type: 'checkbox', 'aria-label': t('orgp.choose', { name: point.name }) } });
    box.checked = chosen.has(point.id);
    box.addEventListener('change', () => choose(point.id, box.checked));
    const actions = editable
      ? [
          button('orgp.edit', () => openForm(point), {
            class: 'small',
            data: { action: 'edit-point' },
            ariaLabel: `${t('orgp.edit')}: ${point.name}`,
          }),
          point.level === 'commune'
            ? null
            : button('orgp.addChild', () => openForm(null, point.id), {
                class: 'small',
                data: { action: 'add-child' },
                ariaLabel: `${t('orgp.addChild')}: ${point.name}`,
              }),
          button('orgp.remove', () => remove(point), {
            class: 'small danger',
            data: { action: 'remove-point' },
            ariaLabel: `${t('orgp.remove')}: ${point.name}`,
          }),
        ]
      : [];
    return h(
      'tr',
      { data: { pointId: point.id, level: point.level, depth: String(depth), children: String(children) } },
      h('td', { class: 'orgp-choose' }, box),
      h(
        'td',
        { class: `orgp-name orgp-depth-${Math.min(depth, 4)}` },
        h('span', { class: 'orgp-point-name' }, point.name),
        main ? h('span', { class: 'orgp-badge main' }, t('orgp.main')) : null,
        point.centralSide ? h('span', { class: 'orgp-badge' }, t('orgp.centralSide')) : null,
      ),
      h('td', { class: 'mono' }, point.id),
      h('td', {}, t(`orgp.level.${point.level}`)),
      h('td', {}, point.venue),
      h('td', {}, point.presiding),
      h('td', { class: 'num' }, point.expectedAttendance > 0 ? point.expectedAttendance.toLocaleString('vi-VN') : ''),
      h('td', { class: 'orgp-actions' }, ...actions),
    );
  };

  const render = (): void => {
    const spec = host.spec();
    const mode = host.mode();
    const editable = mode !== 'closed';
    const counts = countByLevel(spec.points);
    summary.replaceChildren(
      h('strong', { data: { count: 'total' } }, t('orgp.total', { total: spec.points.length })),
      ...LEVELS.map((level) =>
        h('span', { class: 'orgp-count', data: { level, count: String(counts[level]) } }, `${t(`orgp.level.${level}`)}: ${counts[level]}`),
      ),
    );
    note.textContent = mode === 'closed' ? t('orgp.closed') : mode === 'in_use' ? t('orgp.inUse') : t('orgp.unsavedNote');
    note.classList.toggle('warn', mode !== 'full');
    note.classList.toggle('quiet', mode === 'full');
    for (const el of [addButton, importButton]) el.hidden = !editable;
    const saved = host.conferenceId !== null;
    for (const el of [csvButton, xlsxButton]) {
      el.disabled = !saved;
      el.title = saved ? '' : t('orgp.exportUnsaved');
    }
    for (const id of [...chosen]) if (!spec.points.some((p) => p.id === id)) chosen.delete(id);
    saveToDirectory.textContent = t('orgp.dir.save', { count: chosen.size });
    saveToDirectory.disabled = chosen.size === 0;
    const rows = buildTree(spec.points, spec.centralPointId);
    body.replaceChildren(
      ...(rows.length === 0
        ? [h('tr', {}, h('td', { class: 'orgp-empty muted', attrs: { colspan: 8 } }, t('orgp.empty')))]
        : rows.map((r) => row(r.point, r.depth, r.children, r.point.id === spec.centralPointId, editable))),
    );
    directory?.render();
  };

  const el = h(
    'section',
    { class: 'org-tab orgp-points', data: { orgTab: 'points' } },
    h(
      'div',
      { class: 'orgp-toolbar' },
      addButton,
      importButton,
      fileInput,
      h('span', { class: 'orgp-group' }, tr('orgp.export', 'span', { class: 'muted' }), csvButton, xlsxButton),
      directoryButton,
      saveToDirectory,
    ),
    tr('orgp.importHint', 'p', { class: 'muted orgp-hint' }),
    summary,
    note,
    importSlot,
    formSlot,
    directorySlot,
    h(
      'div',
      { class: 'orgp-scroll orgp-tree-wrap' },
      h(
        'table',
        { class: 'orgp-table orgp-tree' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { class: 'orgp-choose' }, ''),
            ...(
              [
                'orgp.col.name',
                'orgp.col.id',
                'orgp.col.level',
                'orgp.col.venue',
                'orgp.col.presiding',
                'orgp.col.expectedAttendance',
                'orgp.col.actions',
              ] as const
            ).map((key) => h('th', { attrs: { scope: 'col' }, data: { i18n: key } }, t(key))),
          ),
        ),
        body,
      ),
    ),
  );
  host.onChange(render);
  // The editor makes its tabs anew each time it opens: a tab no longer on the page stops listening.
  const offLanguage = onLanguage(() => (el.isConnected ? render() : offLanguage()));
  render();
  return { el, show: render };
}
