// Readiness tests: a point (a central-side point, the centre itself) measures its link and reports; the hub
// judges it and keeps the result. Seen by the moderators (the readiness board: the centre first, then every
// other point) and by the point itself.
import type { ReadinessMeasurement, ReadinessView } from '../../../shared/records.ts';
import { isModerator, readsRecords } from '../../../shared/rules.ts';
import type { Session } from '../session.ts';
import { actorOf, type Audience, type RecordsContext } from './context.ts';
import { readinessProblems } from './readiness-judge.ts';

/** The moderators, and the point tested (its operators, not its room display). */
export const readinessAudience: Audience<ReadinessView> = (s, r) =>
  readsRecords(s.role) && (isModerator(s.role) || s.pointId === r.pointId);

export class Readiness {
  readonly #ctx: RecordsContext;

  constructor(ctx: RecordsContext) {
    this.#ctx = ctx;
  }

  report(session: Session, measurement: ReadinessMeasurement, server: ReadinessView['server']): ReadinessView {
    const reasons = readinessProblems(measurement, { centre: session.pointId === this.#ctx.host.spec.centralPointId });
    const view: ReadinessView = {
      pointId: session.pointId,
      state: reasons.length === 0 ? 'ready' : 'not_ready',
      reasons,
      testedAt: Date.now(),
      measurement,
      server,
    };
    return this.#ctx.commit({
      actor: actorOf(session),
      action: 'readiness.report',
      detail: { state: view.state === 'ready' ? 'ready' : 'not_ready', reasons },
      write: () => {
        this.#ctx.store.saveReadiness(this.#ctx.conferenceId, view);
        return view;
      },
      announce: (stored) => this.#ctx.tell('readiness.updated', stored, (s) => readinessAudience(s, stored)),
    });
  }

  /** The readiness board: the centre first, then every other point in the plan's order, tested or not. */
  board(): ReadinessView[] {
    const { spec } = this.#ctx.host;
    const latest = new Map(this.#ctx.store.latestReadiness(spec.id).map((r) => [r.pointId, r]));
    const centre = spec.points.filter((p) => p.id === spec.centralPointId);
    return [...centre, ...spec.points.filter((p) => p.id !== spec.centralPointId)].map(
      (p) => latest.get(p.id) ?? { pointId: p.id, state: 'not_tested', reasons: [], testedAt: null, measurement: null, server: null },
    );
  }

  visibleTo(session: Session): ReadinessView[] {
    return this.board().filter((r) => readinessAudience(session, r));
  }
}
