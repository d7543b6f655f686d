// The `organiser` command as an operator uses it on a fresh machine: the first account (an administrator)
// made from the command line with the password on standard input, then signing in with it over HTTP on a hub
// of the same data folder; the other subcommands, their audit rows (actor "cli") and refusals with exit 1.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../server/cli.ts';
import type { Hub } from '../server/hub.ts';
import { AuditStore } from '../server/organisers/audit.ts';
import { tempDataDir } from '../scripts/lib/data-dir.ts';
import { cliOn } from './helpers/cli.ts';
import { startHub } from './helpers/test-hub.ts';

const cliFile = fileURLToPath(new URL('../server/cli.ts', import.meta.url));
const dataDir = tempDataDir();
const { run, withDb } = cliOn(dataDir);
const PASSWORD = 'Mật khẩu đầu tiên 2026';

/** The CLI as a real process, `input` written to its standard input (not a terminal). */
function cliWithInput(input: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { DIEMCAU_ORGANISER_PASSWORD: _none, ...inherited } = process.env;
  const env = { ...inherited, DIEMCAU_DATA_DIR: dataDir };
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', cliFile, ...args], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(input);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** The CLI in this process with the password in DIEMCAU_ORGANISER_PASSWORD. */
async function withPassword(password: string, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const env = { DIEMCAU_DATA_DIR: dataDir, DIEMCAU_ORGANISER_PASSWORD: password };
  const code = await runCli(args, env, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('the first account', () => {
  let hub: Hub | undefined;
  let base = '';
  afterAll(async () => {
    await hub?.close('test done');
  });

  beforeAll(async () => {
    const made = await cliWithInput(
      `${PASSWORD}\nmore lines are not read\n`,
      'organiser',
      'add',
      'lan',
      '--name',
      'Nguyễn Thị Lan',
      '--admin',
    );
    expect(made).toMatchObject({ code: 0, stdout: 'organiser lan (Nguyễn Thị Lan) created as an administrator\n' });
    expect(made.stdout + made.stderr).not.toContain(PASSWORD);
    ({ hub, url: base } = await startHub({ DIEMCAU_DATA_DIR: dataDir, DIEMCAU_DEMO: 'false' }));
  });

  const signIn = async (username: string, password: string) => {
    const res = await fetch(`${base}/api/organiser/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    return { status: res.status, body: (await res.json()) as { token?: string; account?: { admin: boolean }; error?: { reason: string } } };
  };

  it('signs in over HTTP with the password given on standard input, and may manage accounts', async () => {
    const session = await signIn('lan', PASSWORD);
    expect(session.status).toBe(201);
    expect(session.body.account).toMatchObject({ username: 'lan', admin: true, createdBy: 'cli' });
    const accounts = await fetch(`${base}/api/organiser/accounts`, { headers: { authorization: `Bearer ${session.body.token}` } });
    expect(accounts.status).toBe(200);
  });

  it('adds, lists, disables, enables and sets passwords beside the running hub, audited as "cli"', async () => {
    expect((await withPassword('mật khẩu của Hùng', 'organiser', 'add', 'hung', '--name', 'Trần Văn Hùng')).code).toBe(0);
    expect((await signIn('hung', 'mật khẩu của Hùng')).status).toBe(201);
    expect(await run('organiser', 'disable', 'hung')).toMatchObject({
      code: 0,
      stdout: 'organiser hung disabled; its sessions have ended\n',
    });
    expect((await signIn('hung', 'mật khẩu của Hùng')).body.error?.reason).toBe('organiser.disabled');
    expect((await run('organiser', 'enable', 'hung')).code).toBe(0);
    expect((await withPassword('một mật khẩu mới', 'organiser', 'password', 'hung')).code).toBe(0);
    expect((await signIn('hung', 'mật khẩu của Hùng')).body.error?.reason).toBe('organiser.signin_failed');
    expect((await signIn('hung', 'một mật khẩu mới')).status).toBe(201);

    const list = await run('organiser', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^username +admin +state/);
    expect(list.stdout).toMatch(/\nhung +no +active .* cli +Trần Văn Hùng\n/);
    expect(list.stdout).toMatch(/\nlan +yes +active .* cli +Nguyễn Thị Lan\n/);

    const audit = await withDb((db) => new AuditStore(db).list().filter((e) => e.actor === 'cli'));
    expect(audit.map((e) => [e.action, e.target, e.details.changed ?? null])).toEqual([
      ['account.update', 'hung', ['password']],
      ['account.update', 'hung', ['disabled']],
      ['account.update', 'hung', ['disabled']],
      ['account.create', 'hung', null],
      ['account.create', 'lan', null],
    ]);
    expect(JSON.stringify(audit)).not.toContain('mật khẩu');
  });
});

describe('refusals', () => {
  it.each([
    ['a taken user name', ['organiser', 'add', 'lan', '--name', 'Lan'], /the user name lan is taken/],
    ['no display name', ['organiser', 'add', 'mai'], /--name/],
    ['a bad user name', ['organiser', 'add', 'Lê Mai', '--name', 'Mai'], /a user name is 3 to 32 characters/],
    ['a reserved user name', ['organiser', 'add', 'admin-key', '--name', 'X'], /reserved/],
    ['an unknown account', ['organiser', 'disable', 'nobody'], /no organiser account nobody/],
    ['--admin beside another subcommand', ['organiser', 'list', '--admin'], /--name and --admin go with add/],
    ['an unknown subcommand', ['organiser', 'remove', 'lan'], /unknown organiser subcommand "remove"/],
  ])('%s: exit 1 with a message', async (_what, args, message) => {
    const answer = await withPassword(PASSWORD, ...args);
    expect(answer.code).toBe(1);
    expect(answer.stderr).toMatch(message);
  });

  it('a short password, or none on standard input', async () => {
    expect((await withPassword('ngắn', 'organiser', 'add', 'mai', '--name', 'Mai')).stderr).toMatch(/a password is 10 to 200 characters/);
    const none = await cliWithInput('', 'organiser', 'password', 'lan');
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no password/);
  });
});
