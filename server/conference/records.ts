// Everything around the video for one conference, composed of one part per feature (records/): the
// moderated question queue, attendance and roll call, readiness tests, the agenda and documents. Each part
// checks a change, stores it with its event-log row in one transaction, then tells the sessions its audience
// rule admits; the same rule picks what a session gets in its snapshot.
import type { RequestResult } from '../../shared/protocol.ts';
import type { AgendaView } from '../../shared/records.ts';
import type { RecordStore } from '../store/records.ts';
import { Agenda, type SaveAgenda } from './records/agenda.ts';
import { Attendance, RollCall } from './records/attendance.ts';
import { RecordsContext, type RecordsHost } from './records/context.ts';
import { Documents } from './records/documents.ts';
import { Questions } from './records/questions.ts';
import { Readiness } from './records/readiness.ts';
import type { Session } from './session.ts';

export type { RecordsHost } from './records/context.ts';

export class ConferenceRecords {
  readonly questions: Questions;
  readonly attendance: Attendance;
  readonly rollCall: RollCall;
  readonly readiness: Readiness;
  readonly documents: Documents;
  readonly #agenda: Agenda;

  constructor(host: RecordsHost, store: RecordStore, agenda: { current: string | null; since: number | null }) {
    const ctx = new RecordsContext(host, store);
    this.questions = new Questions(ctx);
    this.attendance = new Attendance(ctx);
    this.rollCall = new RollCall(ctx);
    this.readiness = new Readiness(ctx);
    this.documents = new Documents(ctx);
    this.#agenda = new Agenda(ctx, agenda);
  }

  agenda(): AgendaView {
    return this.#agenda.view();
  }

  gotoAgenda(session: Session, itemId: string | null, save: SaveAgenda): AgendaView {
    return this.#agenda.goto(session, itemId, save);
  }

  /** What `session` may see of every part, to draw its console after (re)connecting. */
  snapshot(session: Session): RequestResult<'records.snapshot'> {
    return {
      questions: this.questions.visibleTo(session),
      attendance: this.attendance.visibleTo(session),
      rollCall: this.rollCall.visibleTo(session),
      readiness: this.readiness.visibleTo(session),
      documents: this.documents.visibleTo(session),
    };
  }

  /** Stops the roll call's closing timer. Safe to call twice. */
  close(): void {
    this.rollCall.close();
  }
}
