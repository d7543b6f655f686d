// The operator's `organiser` command: organiser accounts from the command line, the way the first account
// (an administrator) is made on a fresh machine. Passwords come from DIEMCAU_ORGANISER_PASSWORD or one line of
// standard input (asked for without echo on a terminal); they are never printed. Audited as actor "cli".
import { createInterface } from 'node:readline';
import { CreateAccountBody, DisplayName, ORGANISER_LIMITS, type OrganiserAccount, Password, Username } from '../shared/organiser.ts';
import { Organisers } from './organisers/organisers.ts';
import type { Database } from './store/db.ts';

const { passwordMin: MIN, passwordMax: MAX } = ORGANISER_LIMITS;

export const ORGANISER_USAGE = `  organiser add <username> --name "<display name>" [--admin]
                                          create an organiser account (the first one: with --admin, to
                                          manage the others on the organiser page)
  organiser list                          the accounts: administrator, disabled, locked, last sign-in
  organiser disable <username>            disable an account (its sessions end at once)
  organiser enable <username>             enable it again
  organiser password <username>           set a new password (ends its sessions, lifts a lockout)
                                          Passwords (${MIN} to ${MAX} characters) come from
                                          DIEMCAU_ORGANISER_PASSWORD, else one line of standard input`;

const ACTOR = 'cli';

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

export interface OrganiserOptions {
  name?: string | undefined;
  admin: boolean;
}

class OrganiserUsage extends Error {}

/** Runs `organiser <subcommand> ...`; answers the exit code. Refusals of the hub (HubError) are thrown. */
export async function organiserCommand(db: Database, args: string[], options: OrganiserOptions, env: NodeJS.ProcessEnv, io: Io) {
  const [sub, ...rest] = args;
  try {
    const organisers = new Organisers(db);
    if (sub !== 'add' && (options.name !== undefined || options.admin)) throw new OrganiserUsage('--name and --admin go with add');
    switch (sub) {
      case 'add': {
        const username = userOf(rest);
        const displayName = DisplayName.safeParse(options.name ?? '');
        if (!displayName.success) throw new OrganiserUsage('add needs --name "<display name>" (1 to 100 characters)');
        if (organisers.account(username)) throw new OrganiserUsage(`the user name ${username} is taken`);
        const password = await passwordFrom(env, io);
        const body = CreateAccountBody.parse({ username, displayName: displayName.data, password, admin: options.admin });
        const made = await organisers.create(ACTOR, body);
        io.out(`organiser ${made.username} (${made.displayName}) created${made.admin ? ' as an administrator' : ''}\n`);
        return 0;
      }
      case 'list':
        if (rest.length > 0) throw new OrganiserUsage('list takes no arguments');
        io.out(table(organisers.list()));
        return 0;
      case 'disable':
      case 'enable': {
        const username = userOf(rest);
        await organisers.update(ACTOR, username, { disabled: sub === 'disable' });
        io.out(`organiser ${username} ${sub === 'disable' ? 'disabled; its sessions have ended' : 'enabled'}\n`);
        return 0;
      }
      case 'password': {
        const username = userOf(rest);
        if (!organisers.account(username)) throw new OrganiserUsage(`no organiser account ${username}`);
        await organisers.update(ACTOR, username, { password: await passwordFrom(env, io) });
        io.out(`new password of organiser ${username} set; its sessions have ended\n`);
        return 0;
      }
      default:
        throw new OrganiserUsage(sub === undefined ? 'organiser needs a subcommand' : `unknown organiser subcommand "${sub}"`);
    }
  } catch (error) {
    if (!(error instanceof OrganiserUsage)) throw error;
    io.err(`diemcau: ${error.message}\n\n${ORGANISER_USAGE}\n`);
    return 1;
  }
}

function userOf(args: string[]): string {
  if (args.length !== 1) throw new OrganiserUsage('name one account: organiser <subcommand> <username>');
  const parsed = Username.safeParse(args[0]);
  if (!parsed.success) throw new OrganiserUsage('a user name is 3 to 32 characters of a-z, 0-9, ".", "_", "-", starting with a-z or 0-9');
  return parsed.data;
}

/** The new password: the environment variable, else standard input (on a terminal: asked twice, not echoed). */
async function passwordFrom(env: NodeJS.ProcessEnv, io: Io): Promise<string> {
  const password = env.DIEMCAU_ORGANISER_PASSWORD ?? (process.stdin.isTTY ? await askTwice(io) : await firstLine(process.stdin));
  if (password === null) throw new OrganiserUsage('no password: set DIEMCAU_ORGANISER_PASSWORD or send it on standard input');
  if (!Password.safeParse(password).success) {
    throw new OrganiserUsage(`a password is ${MIN} to ${MAX} characters`);
  }
  return password;
}

async function askTwice(io: Io): Promise<string> {
  const password = await askHidden('Mật khẩu / Password: ', io);
  if ((await askHidden('Nhập lại mật khẩu / Repeat the password: ', io)) !== password) throw new OrganiserUsage('the two passwords differ');
  return password;
}

async function firstLine(input: NodeJS.ReadableStream): Promise<string | null> {
  const lines = createInterface({ input, terminal: false, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of lines) return line;
    return null;
  } finally {
    lines.close();
  }
}

/** Reads one line from the terminal in raw mode, echoing nothing; Ctrl-C gives up. */
function askHidden(prompt: string, io: Io): Promise<string> {
  const stdin = process.stdin;
  io.err(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let text = '';
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      io.err('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          done();
          resolve(text);
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          done();
          reject(new OrganiserUsage('cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') text = [...text].slice(0, -1).join('');
        else if (ch >= ' ') text += ch;
      }
    };
    stdin.on('data', onData);
  });
}

const when = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString().slice(0, 16).replace('T', ' '));

function table(accounts: OrganiserAccount[]): string {
  if (accounts.length === 0) return 'no organiser accounts (make the first: organiser add <username> --name "..." --admin)\n';
  const header = ['username', 'admin', 'state', 'last sign-in', 'created', 'by', 'name'];
  const rows = accounts.map((a) => {
    const state = a.disabled ? 'disabled' : a.lockedUntil !== null ? `locked until ${when(a.lockedUntil)}` : 'active';
    return [a.username, a.admin ? 'yes' : 'no', state, when(a.lastSignInAt), when(a.createdAt), a.createdBy ?? '-', a.displayName];
  });
  const width = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(width[c] ?? 0))).join('  ');
  return `${[line(header), line(width.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`;
}
