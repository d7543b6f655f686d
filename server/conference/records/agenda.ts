// The agenda: the host moves to an item (or to none); everyone sees where the conference is.
import type { AgendaView } from '../../../shared/records.ts';
import { refuse } from '../../errors.ts';
import type { Session } from '../session.ts';
import { actorOf, type Audience, type RecordsContext } from './context.ts';

/** Everyone, room displays included. */
export const agendaAudience: Audience<AgendaView> = () => true;

/** Stores the current item with the conference (its owner keeps that row). */
export type SaveAgenda = (current: string | null, since: number | null) => void;

export class Agenda {
  readonly #ctx: RecordsContext;
  #view: AgendaView;

  constructor(ctx: RecordsContext, current: { current: string | null; since: number | null }) {
    this.#ctx = ctx;
    this.#view = { items: ctx.host.spec.agenda, currentItemId: current.current, currentSince: current.since };
  }

  view(): AgendaView {
    return { ...this.#view, items: [...this.#view.items] };
  }

  goto(session: Session, itemId: string | null, save: SaveAgenda): AgendaView {
    if (itemId !== null && !this.#view.items.some((i) => i.id === itemId)) {
      throw refuse('agenda.item_unknown', { itemId }, 'no such agenda item');
    }
    const since = itemId === null ? null : Date.now();
    this.#ctx.commit({
      actor: actorOf(session),
      action: 'agenda.goto',
      detail: { itemId },
      write: () => save(itemId, since),
      announce: () => {
        this.#view = { ...this.#view, currentItemId: itemId, currentSince: since };
        const view = this.view();
        this.#ctx.tell('agenda.updated', view, (s) => agendaAudience(s, view));
      },
    });
    return this.view();
  }
}
