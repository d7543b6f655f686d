// The conference's documents: the host uploads over REST (the file is on disk before it is recorded); the
// list goes to everyone but a room display.
import type { Actor } from '../../../shared/event-log.ts';
import type { DocumentView } from '../../../shared/records.ts';
import { readsRecords } from '../../../shared/rules.ts';
import type { Session } from '../session.ts';
import type { Audience, RecordsContext } from './context.ts';

/** Everyone but a room display. */
export const documentAudience: Audience<DocumentView> = (s) => readsRecords(s.role);

export class Documents {
  readonly #ctx: RecordsContext;

  constructor(ctx: RecordsContext) {
    this.#ctx = ctx;
  }

  list(): DocumentView[] {
    return this.#ctx.store.documents(this.#ctx.conferenceId);
  }

  visibleTo(session: Session): DocumentView[] {
    return this.list().filter((d) => documentAudience(session, d));
  }

  /** Records an uploaded document (the file is already on disk) and sends the new list to its audience. */
  add(actor: Actor, document: DocumentView): void {
    this.#ctx.commit({
      actor,
      action: 'document.upload',
      detail: { documentId: document.id, name: document.name, size: document.size },
      write: () => this.#ctx.store.saveDocument(this.#ctx.conferenceId, document),
      announce: () => this.#ctx.tell('documents.updated', { documents: this.list() }, (s) => documentAudience(s, document)),
    });
  }
}
