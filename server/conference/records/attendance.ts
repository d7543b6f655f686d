// Attendance and roll call. A point's technician reports how many are present (seen by the moderators and
// by the point itself); the host opens a roll call that every remote point confirms within its window (seen
// by everyone but a room display).
import { randomUUID } from 'node:crypto';
import type { ActionDetail } from '../../../shared/event-log.ts';
import type { AttendanceView, RollCallView } from '../../../shared/records.ts';
import { isModerator, readsRecords } from '../../../shared/rules.ts';
import { refuse } from '../../errors.ts';
import type { Session } from '../session.ts';
import { actorOf, type Audience, type RecordsContext } from './context.ts';

/** The moderators, and the point that reported (its operators, not its room display). */
export const attendanceAudience: Audience<AttendanceView> = (s, a) =>
  readsRecords(s.role) && (isModerator(s.role) || s.pointId === a.pointId);

/** Everyone but a room display. */
export const rollCallAudience: Audience<RollCallView> = (s) => readsRecords(s.role);

export class Attendance {
  readonly #ctx: RecordsContext;

  constructor(ctx: RecordsContext) {
    this.#ctx = ctx;
  }

  visibleTo(session: Session): AttendanceView[] {
    return this.#ctx.store.attendance(this.#ctx.conferenceId).filter((a) => attendanceAudience(session, a));
  }

  report(session: Session, present: number, groups: Record<string, number>): AttendanceView {
    const attendance: AttendanceView = { pointId: session.pointId, present, groups, reportedAt: Date.now() };
    return this.#ctx.commit({
      actor: actorOf(session),
      action: 'attendance.report',
      detail: { present, groups },
      write: () => {
        this.#ctx.store.saveAttendance(this.#ctx.conferenceId, attendance);
        return attendance;
      },
      announce: (stored) => this.#ctx.tell('attendance.updated', stored, (s) => attendanceAudience(s, stored)),
    });
  }
}

export class RollCall {
  readonly #ctx: RecordsContext;
  #timer: NodeJS.Timeout | undefined;

  constructor(ctx: RecordsContext) {
    this.#ctx = ctx;
    // A call still open when the hub (re)starts is announced closed at its deadline, as if nothing happened.
    const open = this.current();
    if (open?.open) this.#closeAt(open.deadline);
  }

  /** The latest roll call, open or closed; null before the first one. */
  current(): RollCallView | null {
    return this.#ctx.store.lastRollCall(this.#ctx.conferenceId);
  }

  visibleTo(session: Session): RollCallView | null {
    const call = this.current();
    return call && rollCallAudience(session, call) ? call : null;
  }

  start(session: Session, seconds: number): RollCallView {
    if (this.current()?.open) throw refuse('rollcall.open', {}, 'a roll call is already open');
    const id = randomUUID();
    const now = Date.now();
    const call = this.#commit(session, 'rollcall.start', { rollCallId: id, seconds }, () => {
      this.#ctx.store.startRollCall(this.#ctx.conferenceId, id, now, now + seconds * 1000);
    });
    this.#closeAt(call.deadline);
    return call;
  }

  /** Closes the open roll call now (the conference ended), stored and logged like any change; nothing when none is open. */
  closeOpen(actor: Session | null): void {
    const call = this.current();
    if (!call?.open) return;
    clearTimeout(this.#timer);
    this.#ctx.commit({
      actor: actorOf(actor),
      action: 'rollcall.close',
      detail: { rollCallId: call.id },
      write: () => {
        this.#ctx.store.closeRollCall(call.id, Date.now());
        return this.current() as RollCallView;
      },
      announce: (closed) => this.#announce(closed),
    });
  }

  /** A point answers the open roll call: its confirmation and the log row in one transaction. */
  confirm(session: Session): RollCallView {
    const call = this.current();
    if (!call) throw refuse('rollcall.none', {}, 'no roll call has been started');
    if (!call.open) throw refuse('rollcall.closed', {}, 'the roll call has closed');
    return this.#commit(session, 'rollcall.confirm', { rollCallId: call.id }, () => {
      this.#ctx.store.confirmRollCall(call.id, session.pointId, Date.now());
    });
  }

  close(): void {
    clearTimeout(this.#timer);
  }

  /** The part's one write path: `write` and the event in one transaction, then the call as stored goes to its audience. */
  #commit<A extends 'rollcall.start' | 'rollcall.confirm'>(
    session: Session,
    action: A,
    detail: ActionDetail<A>,
    write: () => void,
  ): RollCallView {
    return this.#ctx.commit({
      actor: actorOf(session),
      action,
      detail,
      write: () => {
        write();
        return this.current() as RollCallView;
      },
      announce: (call) => this.#announce(call),
    });
  }

  /** Everyone sees the call close at its deadline. */
  #closeAt(deadline: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#announce(this.current()), Math.max(0, deadline - Date.now()) + 50);
    this.#timer.unref();
  }

  #announce(call: RollCallView | null): void {
    if (call) this.#ctx.tell('rollcall.updated', call, (s) => rollCallAudience(s, call));
  }
}
