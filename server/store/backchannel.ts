// The back-channel's messages and each side's read mark per point's thread, in the database.
import type { Role } from '../../shared/domain.ts';
import type { MessageKind, MessageSide, MessageView } from '../../shared/requests/backchannel.ts';
import type { Database } from './db.ts';

interface MessageRow {
  seq: number;
  id: string;
  point_id: string | null;
  side: MessageSide;
  kind: MessageKind;
  text: string;
  author_role: Role;
  sent_at: number;
}

const toMessage = (r: MessageRow): MessageView => ({
  id: r.id,
  seq: r.seq,
  pointId: r.point_id,
  from: r.side,
  kind: r.kind,
  text: r.text,
  authorRole: r.author_role,
  sentAt: r.sent_at,
});

/** A message before it is stored (the store gives it its seq). */
export type NewMessage = Omit<MessageView, 'seq'>;

export class BackchannelStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  transaction<T>(work: () => T): T {
    return this.#db.transaction(work);
  }

  /** Stores `message` and returns it with its seq. */
  add(conferenceId: string, message: NewMessage): MessageView {
    this.#db.run(
      'INSERT INTO messages (id, conference_id, point_id, side, kind, text, author_role, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      message.id,
      conferenceId,
      message.pointId,
      message.from,
      message.kind,
      message.text,
      message.authorRole,
      message.sentAt,
    );
    const row = this.#db.get<{ seq: number }>('SELECT seq FROM messages WHERE id = ?', message.id);
    return { ...message, seq: row?.seq ?? 0 };
  }

  /** Every message of the conference (pointId undefined), or those of one point's thread with the ones to all. */
  messages(conferenceId: string, pointId?: string): MessageView[] {
    const rows =
      pointId === undefined
        ? this.#db.all<MessageRow>('SELECT * FROM messages WHERE conference_id = ? ORDER BY seq', conferenceId)
        : this.#db.all<MessageRow>(
            'SELECT * FROM messages WHERE conference_id = ? AND (point_id = ? OR point_id IS NULL) ORDER BY seq',
            conferenceId,
            pointId,
          );
    return rows.map(toMessage);
  }

  /** Marks `pointId`'s thread read by `reader` up to the newest message of the conference. */
  markRead(conferenceId: string, pointId: string, reader: MessageSide): void {
    this.#db.run(
      `INSERT INTO message_reads (conference_id, point_id, side, read_seq)
       VALUES (?, ?, ?, (SELECT COALESCE(MAX(seq), 0) FROM messages WHERE conference_id = ?))
       ON CONFLICT (conference_id, point_id, side) DO UPDATE SET read_seq = excluded.read_seq`,
      conferenceId,
      pointId,
      reader,
      conferenceId,
    );
  }

  /**
   * Messages in `pointId`'s thread that `reader` has not read: for the centre, those the point wrote; for the
   * point, those the centre wrote to it or to every technician.
   */
  unread(conferenceId: string, pointId: string, reader: MessageSide): number {
    const writer: MessageSide = reader === 'centre' ? 'point' : 'centre';
    const thread = reader === 'centre' ? 'point_id = ?' : '(point_id = ? OR point_id IS NULL)';
    const row = this.#db.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM messages m WHERE m.conference_id = ? AND ${thread} AND m.side = ?
       AND m.seq > COALESCE((SELECT read_seq FROM message_reads r
                             WHERE r.conference_id = m.conference_id AND r.point_id = ? AND r.side = ?), 0)`,
      conferenceId,
      pointId,
      writer,
      pointId,
      reader,
    );
    return Number(row?.n ?? 0);
  }
}
