// The back-channel as this console knows it: the messages its side may read, the unread count of each thread
// (the centre: per point; a technician: its own), and the talkback state. Kept here, in the feature's own
// module, from the hub's events and backchannel.snapshot after every welcome. The monitoring wall reads the
// unread counts with `backchannelOf(ctx).unread(pointId)` and re-draws on its 'unread' event.
import type { MessageView, TalkbackView } from '../../../shared/requests/backchannel.ts';
import type { AppContext } from '../../app.ts';
import { Emitter } from '../../emitter.ts';

type Events = { messages: []; unread: [pointId: string, count: number]; talkback: [TalkbackView]; heard: [MessageView] };

export class BackchannelModel extends Emitter<Events> {
  readonly #messages = new Map<string, MessageView>();
  readonly #unread = new Map<string, number>();
  talkback: TalkbackView = { listeningTo: null, talkingTo: null };

  constructor(ctx: AppContext) {
    super();
    const { signal, store } = ctx;
    signal.on('backchannel.message', (m) => this.#add([m]));
    signal.on('backchannel.unread', (u) => this.#setUnread(u.pointId, u.count));
    signal.on('talkback.state', (s) => this.#setTalkback(s));
    store.on('welcome', () => {
      signal
        .request('backchannel.snapshot', {})
        .then((snap) => {
          this.#messages.clear();
          this.#add(snap.messages);
          for (const key of [...this.#unread.keys()]) this.#setUnread(key, 0);
          for (const [pointId, count] of Object.entries(snap.unread)) this.#setUnread(pointId, count);
          this.#setTalkback(snap.talkback);
        })
        .catch((error: unknown) => console.error('backchannel snapshot failed', error));
    });
  }

  /** Messages of one point's thread (with those to every technician), oldest first; null: every message. */
  thread(pointId: string | null): MessageView[] {
    const all = [...this.#messages.values()].sort((a, b) => a.seq - b.seq);
    return pointId === null ? all : all.filter((m) => m.pointId === pointId || m.pointId === null);
  }

  unread(pointId: string): number {
    return this.#unread.get(pointId) ?? 0;
  }

  totalUnread(): number {
    let total = 0;
    for (const n of this.#unread.values()) total += n;
    return total;
  }

  /** The newest "the centre hears you" confirmation for `pointId`, if any. */
  lastHeard(pointId: string): MessageView | undefined {
    return this.thread(pointId)
      .filter((m) => m.kind === 'heard' && m.pointId === pointId)
      .at(-1);
  }

  #add(messages: readonly MessageView[]): void {
    for (const m of messages) {
      this.#messages.set(m.id, m);
      if (m.kind === 'heard') this.emit('heard', m);
    }
    this.emit('messages');
  }

  #setUnread(pointId: string, count: number): void {
    if ((this.#unread.get(pointId) ?? 0) === count) return;
    this.#unread.set(pointId, count);
    this.emit('unread', pointId, count);
  }

  #setTalkback(state: TalkbackView): void {
    this.talkback = state;
    this.emit('talkback', state);
  }
}

const models = new WeakMap<AppContext, BackchannelModel>();

/** The one back-channel model of a console (made on first use). */
export function backchannelOf(ctx: AppContext): BackchannelModel {
  let model = models.get(ctx);
  if (!model) models.set(ctx, (model = new BackchannelModel(ctx)));
  return model;
}
