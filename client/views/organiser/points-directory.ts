// "Danh bạ điểm cầu": the points kept between conferences (GET /api/directory), drawn as a tree. Choosing a
// point chooses the points under it (a province with its districts); the chosen points, with any parent they
// need that the draft lacks, are added to the draft. A point is removed from the directory with
// DELETE /api/directory/:pointId. Saving draft points into the directory is the points tab's (PUT /api/directory).
import { z } from 'zod';
import type { DirectoryPoint } from '../../../shared/organiser.ts';
import { t } from '../../i18n.ts';
import { describeError } from '../../i18n/describe.ts';
import { button, h, tr } from '../../ui/dom.ts';
import { act, toast } from '../../ui/toast.ts';
import { api } from './api.ts';
import type { DraftHost } from './draft.ts';
import { DirectoryList, pointsToAdd } from './points-merge.ts';
import { buildTree, descendants } from './points-tree.ts';

export class DirectoryPanel {
  readonly el: HTMLElement;
  readonly #host: DraftHost;
  readonly #body = h('div', { class: 'orgp-directory-body' });
  readonly #add = h('button', { class: 'primary', attrs: { type: 'button' }, data: { action: 'directory-add' } });
  #points: DirectoryPoint[] = [];
  readonly #chosen = new Set<string>();

  constructor(host: DraftHost, onClose: () => void) {
    this.#host = host;
    this.#add.addEventListener('click', () => this.#addChosen());
    this.el = h(
      'section',
      { class: 'orgp-directory', data: { panel: 'directory' }, attrs: { 'aria-labelledby': 'orgp-directory-title' } },
      h('div', { class: 'orgp-panel-head' }, tr('orgp.dir.title', 'h3', { id: 'orgp-directory-title' }), button('orgp.dir.close', onClose)),
      tr('orgp.dir.intro', 'p', { class: 'muted' }),
      this.#body,
      h('div', { class: 'orgp-form-actions' }, this.#add),
    );
  }

  async load(): Promise<void> {
    this.#body.replaceChildren(tr('orgp.dir.loading', 'p', { class: 'muted' }));
    try {
      this.#points = (await api(DirectoryList, '/directory')).points;
    } catch (error) {
      this.#body.replaceChildren(h('p', { class: 'orgp-error' }, t('orgp.failed', { why: describeError(error) })));
      return;
    }
    const known = new Set(this.#points.map((p) => p.id));
    for (const id of [...this.#chosen]) if (!known.has(id)) this.#chosen.delete(id);
    this.render();
  }

  render(): void {
    const inDraft = new Set(this.#host.spec().points.map((p) => p.id));
    const toAdd = pointsToAdd(this.#points, this.#chosen, inDraft).length;
    this.#add.textContent = t('orgp.dir.add', { count: toAdd });
    this.#add.disabled = toAdd === 0 || this.#host.mode() === 'closed';
    if (this.#points.length === 0) {
      this.#body.replaceChildren(tr('orgp.dir.empty', 'p', { class: 'muted' }));
      return;
    }
    const rows = buildTree(this.#points).map(({ point, depth }) => {
      const box = h('input', { attrs: { type: 'checkbox', 'aria-label': t('orgp.choose', { name: point.name }) } });
      box.checked = this.#chosen.has(point.id);
      box.addEventListener('change', () => this.#choose(point.id, box.checked));
      return h(
        'tr',
        { class: inDraft.has(point.id) ? 'exists' : undefined, data: { pointId: point.id, level: point.level } },
        h('td', { class: 'orgp-choose' }, box),
        h(
          'td',
          { class: `orgp-name orgp-depth-${Math.min(depth, 4)}` },
          point.name,
          inDraft.has(point.id) ? h('span', { class: 'orgp-badge' }, t('orgp.dir.inDraft')) : null,
        ),
        h('td', {}, t(`orgp.level.${point.level}`)),
        h('td', { class: 'mono' }, point.id),
        h('td', {}, point.venue),
        h(
          'td',
          { class: 'orgp-actions' },
          button('orgp.dir.remove', () => void this.#remove(point), {
            class: 'small danger',
            data: { action: 'directory-remove' },
            ariaLabel: `${t('orgp.dir.remove')}: ${point.name}`,
          }),
        ),
      );
    });
    this.#body.replaceChildren(
      h(
        'div',
        { class: 'orgp-scroll' },
        h(
          'table',
          { class: 'orgp-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, ''),
              ...(['orgp.col.name', 'orgp.col.level', 'orgp.col.id', 'orgp.col.venue', 'orgp.col.actions'] as const).map((key) =>
                h('th', { attrs: { scope: 'col' } }, t(key)),
              ),
            ),
          ),
          h('tbody', {}, ...rows),
        ),
      ),
    );
  }

  /** Chooses (or not) a point and every point under it. */
  #choose(id: string, on: boolean): void {
    for (const each of [id, ...descendants(this.#points, id)]) {
      if (on) this.#chosen.add(each);
      else this.#chosen.delete(each);
    }
    this.render();
  }

  #addChosen(): void {
    const inDraft = new Set(this.#host.spec().points.map((p) => p.id));
    const adding = pointsToAdd(this.#points, this.#chosen, inDraft);
    if (adding.length === 0) return;
    this.#host.change((draft) => {
      draft.points.push(...adding);
      if (!draft.points.some((p) => p.id === draft.centralPointId)) {
        const central = draft.points.find((p) => p.level === 'central') ?? draft.points[0];
        if (central) draft.centralPointId = central.id;
      }
    });
    this.#chosen.clear();
    toast(t('orgp.added', { count: adding.length }));
    this.render();
  }

  async #remove(point: DirectoryPoint): Promise<void> {
    if (!confirm(t('orgp.dir.removeConfirm', { name: point.name }))) return;
    const done = await act(api(z.unknown(), `/directory/${encodeURIComponent(point.id)}`, 'DELETE').then(() => true));
    if (!done) return;
    toast(t('orgp.dir.removed', { name: point.name }));
    this.#chosen.delete(point.id);
    await this.load();
  }
}
