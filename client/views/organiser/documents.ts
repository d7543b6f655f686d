// STUB (issue #15, being written by another helper): the editor's documents tab.
import { h } from '../../ui/dom.ts';
import type { DraftHost, EditorTab } from './draft.ts';

export function documentsTab(_host: DraftHost): EditorTab {
  return { el: h('section', { class: 'org-tab' }) };
}
