// The host console's join codes tab: the shared code board (codes/board.ts) fed by the console's socket
// requests (credentials.*) and the conference the store holds. The host's own code comes from the CLI or
// the organiser page: it is this console's, so the console hands out every other role.
import type { PersonRole } from '../../../shared/requests/credentials.ts';
import { controls } from '../../../shared/rules.ts';
import type { AppContext } from '../../app.ts';
import { CodeBoard, type CodeSource } from './codes/board.ts';

const ROLES: readonly PersonRole[] = ['cohost', 'technician', 'secretary', 'viewer'];
const DAY_ROLES_DEFAULT: readonly PersonRole[] = ['technician', 'secretary', 'viewer'];

/** The console's requests as a CodeSource. */
export function socketCodeSource(ctx: AppContext): CodeSource {
  const { signal } = ctx;
  return {
    list: async () => (await signal.request('credentials.list', {})).credentials,
    issueAll: async (roles) => (await signal.request('credentials.issueAll', { roles })).credentials,
    reissue: (pointId, role) => signal.request('credentials.reissue', { pointId, role }),
    revoke: (pointId, role) => signal.request('credentials.revoke', { pointId, role }),
  };
}

export class CodesPanel {
  readonly el: HTMLElement;
  readonly #board: CodeBoard;
  readonly #ctx: AppContext;
  #reload: ReturnType<typeof setTimeout> | undefined;

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
    const { store } = ctx;
    this.#board = new CodeBoard(socketCodeSource(ctx), {
      points: () => [...store.points.values()],
      centralPointId: () => store.centralPointId,
      title: () => store.conference?.title ?? '',
      startsAt: () => store.conference?.startsAt ?? '',
      now: () => store.now(),
      roles: ROLES,
      dayRoles: DAY_ROLES_DEFAULT,
    });
    this.el = this.#board.el;
    store.on('welcome', () => void this.load());
    // A point connecting may have used its code: the states are read again, at most once a second.
    store.on('points', () => {
      clearTimeout(this.#reload);
      this.#reload = setTimeout(() => void this.load(), 1000);
    });
  }

  async load(): Promise<void> {
    if (!this.#ctx.store.may(controls)) return;
    await this.#board.load();
  }

  render(): void {
    this.#board.render();
  }
}
