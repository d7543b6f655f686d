// The conference being edited on the organiser page: one draft spec that every tab reads and changes, and
// that is saved whole (PUT /api/conferences/:id, or POST /api/conferences for a new one), so saving is all
// or nothing and the hub checks it with the same schemas. Tabs are components given this host.
import type { ConferenceSpec, ConferenceStatus } from '../../../shared/domain.ts';
import type { EditMode } from '../../../shared/conference-edit.ts';

export interface DraftHost {
  /** The stored conference's id, or null while a new one is being created (not saved yet). */
  readonly conferenceId: string | null;
  /** The draft as it stands (do not mutate: use change). */
  spec(): ConferenceSpec;
  /** The spec as last saved (null for a new conference): what `editProblem` compares with. */
  saved(): ConferenceSpec | null;
  /** The stored status and how much may change now (shared/conference-edit.ts). */
  status(): ConferenceStatus;
  mode(): EditMode;
  /** Changes the draft; every tab hears it (re-draws) and the page marks it unsaved. */
  change(mutate: (spec: ConferenceSpec) => void): void;
  onChange(listener: () => void): () => void;
}

/** One tab of the editor: its element, drawn again when the draft or the language changes. */
export interface EditorTab {
  readonly el: HTMLElement;
  /** Called when the tab is shown (load what it needs from the hub: documents, codes, readiness). */
  show?(): void;
  /** Called when the tab is hidden or the editor closes (stop polling). */
  hide?(): void;
}
