// The operator CLI as operators run it: a child process on the hub's data folder. Create from a file,
// list points and issue codes, print the report, rotate the admin key, refuse bad input with exit 1, and
// work beside a running hub on the same database.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { CredentialIssuer } from '../server/auth/credentials.ts';
import { runCli } from '../server/cli.ts';
import { createHub, type Hub } from '../server/hub.ts';
import { isAdminKey } from '../server/http/admin-key.ts';
import { ConferenceReport } from '../server/report/schema.ts';
import { tempDataDir } from '../scripts/lib/data-dir.ts';
import { cliOn } from './helpers/cli.ts';

const demoSpec = fileURLToPath(new URL('../config/demo/dong-nai-tap-huan-bau-cu.json', import.meta.url));
const dataDir = tempDataDir();

const { cli, run, withDb } = cliOn(dataDir);

describe('create', () => {
  it('validates and stores a conference from a file and prints its id; a second time is refused', async () => {
    const first = await cli('create', demoSpec);
    expect(first).toMatchObject({ code: 0, stdout: 'dong-nai-tap-huan-bau-cu\n' });
    const again = await cli('create', demoSpec);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists already/);
  });

  it.each([
    ['a missing file', () => join(dataDir, 'khong-co.json'), /cannot read/],
    ['malformed JSON', () => write('hong.json', '{"id": "x",'), /cannot read .*JSON/],
    [
      'a spec without a title',
      () =>
        write(
          'thieu.json',
          JSON.stringify({
            id: 'thieu',
            startsAt: '2026-05-01T08:00:00+07:00',
            centralPointId: 'a',
            points: [{ id: 'a', name: 'A', level: 'central' }],
          }),
        ),
      /title/,
    ],
    [
      'an unknown parent',
      () =>
        write(
          'cha.json',
          JSON.stringify({
            id: 'cha',
            title: 'T',
            startsAt: '2026-05-01T08:00:00+07:00',
            centralPointId: 'a',
            points: [{ id: 'a', name: 'A', level: 'central', parentId: 'zz' }],
          }),
        ),
      /unknown parent/,
    ],
  ])('refuses %s with a message and exit 1, storing nothing', async (_what, file, message) => {
    const result = await run('create', file());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect(await withDb((db) => db.all<{ id: string }>('SELECT id FROM conferences').map((r) => r.id))).toEqual([
      'dong-nai-tap-huan-bau-cu',
    ]);
  });
});

function write(name: string, text: string): string {
  const file = join(dataDir, name);
  writeFileSync(file, text);
  return file;
}

describe('points', () => {
  it('lists the points with level and parent', async () => {
    const result = await run('points', 'dong-nai-tap-huan-bau-cu');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^id\s+level\s+parent\s+name$/);
    expect(lines).toHaveLength(2 + 12);
    expect(result.stdout).toMatch(/bien-hoa\s+district\s+tinh-dong-nai\s+Điểm cầu thành phố Biên Hòa/);
    expect(result.stdout).not.toMatch(/[0-9A-Z]{4}-[0-9A-Z]{4}/);
  });

  it('--codes issues a fresh operator and viewer code per point that the hub accepts', async () => {
    const result = await cli('points', 'dong-nai-tap-huan-bau-cu', '--codes', '--ttl-hours', '12');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Codes valid for 12 h/);
    const row = (id: string): string[] =>
      result.stdout
        .split('\n')
        .find((l) => l.startsWith(`${id} `))
        ?.split(/\s{2,}/) ?? [];
    const [, , , role, operator, viewer] = row('bien-hoa');
    expect(role).toBe('technician');
    expect(row('tinh-dong-nai')[3]).toBe('host');
    const claims = await withDb(async (db) => {
      const issuer = new CredentialIssuer(db, 'auto');
      return [await issuer.verify({ code: operator ?? '' }), await issuer.verify({ code: viewer ?? '' })];
    });
    expect(claims).toEqual([
      { conferenceId: 'dong-nai-tap-huan-bau-cu', pointId: 'bien-hoa', role: 'technician' },
      { conferenceId: 'dong-nai-tap-huan-bau-cu', pointId: 'bien-hoa', role: 'viewer' },
    ]);
  });

  it('--codes prints a join link for each code, includes secretary codes, and a host code only with --host', async () => {
    const hostCodes = (): Promise<number> =>
      withDb((db) => db.get<{ n: number }>("SELECT count(*) AS n FROM credentials WHERE role = 'host'")?.n ?? -1);
    const before = await hostCodes();
    let stdout = '';
    const env = { DIEMCAU_DATA_DIR: dataDir, DIEMCAU_PUBLIC_URL: 'https://hop.example.vn' };
    expect(await runCli(['points', 'dong-nai-tap-huan-bau-cu', '--codes'], env, { out: (t) => (stdout += t), err: () => undefined })).toBe(
      0,
    );
    expect(await hostCodes()).toBe(before);
    expect(stdout).toMatch(/No host code was issued \(add --host for one\)/);
    const row =
      stdout
        .split('\n')
        .find((l) => l.startsWith('xuan-loc '))
        ?.split(/\s{2,}/) ?? [];
    const [, , , role, operator, viewer, secretary] = row;
    expect(role).toBe('technician');
    expect(row[6]).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    for (const [r, code] of [
      ['technician', operator],
      ['viewer', viewer],
      ['secretary', secretary],
    ]) {
      expect(stdout).toMatch(new RegExp(`^xuan-loc\\s+${r}\\s+https://hop\\.example\\.vn/\\?code=${code}$`, 'm'));
    }
    const claims = await withDb((db) => new CredentialIssuer(db, 'auto').verify({ code: secretary ?? '' }));
    expect(claims).toEqual({ conferenceId: 'dong-nai-tap-huan-bau-cu', pointId: 'xuan-loc', role: 'secretary' });
    expect(
      stdout
        .split('\n')
        .find((l) => l.startsWith('tinh-dong-nai '))
        ?.split(/\s{2,}/)[6],
    ).toBe('-');

    stdout = '';
    expect(
      await runCli(['points', 'dong-nai-tap-huan-bau-cu', '--codes', '--host'], env, { out: (t) => (stdout += t), err: () => undefined }),
    ).toBe(0);
    expect(await hostCodes()).toBe(before + 1);
    expect(stdout).toMatch(/^tinh-dong-nai\s+host\s+https:\/\/hop\.example\.vn\/\?code=[0-9A-Z]{4}-[0-9A-Z]{4}$/m);
    expect((await run('points', 'dong-nai-tap-huan-bau-cu', '--host')).stderr).toMatch(/--host goes with --codes/);
  });

  it.each([
    [['points', 'khong-co'], /no conference khong-co/],
    [['points', 'dong-nai-tap-huan-bau-cu', '--codes', '--ttl-hours', '0'], /ttl-hours/],
    [['points', 'dong-nai-tap-huan-bau-cu', '--ttl-hours', '5'], /goes with --codes/],
    [['points'], /usage: points/],
    [['points', 'dong-nai-tap-huan-bau-cu', '--bogus'], /Unknown option/],
  ])('refuses %j with exit 1', async (args, message) => {
    const result = await run(...args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
  });
});

describe('report, admin key and help', () => {
  it('prints the report as JSON and as HTML', async () => {
    const json = await run('report', 'dong-nai-tap-huan-bau-cu');
    expect(json.code).toBe(0);
    const report = ConferenceReport.parse(JSON.parse(json.stdout));
    expect(report.conference.id).toBe('dong-nai-tap-huan-bau-cu');
    expect(report.attendance.points).toHaveLength(12);
    const html = await cli('report', 'dong-nai-tap-huan-bau-cu', '--html');
    expect(html.code).toBe(0);
    expect(html.stdout).toMatch(/^<!doctype html>/);
    expect(html.stdout).toContain('BÁO CÁO HỘI NGHỊ TRỰC TUYẾN');
    expect((await run('report', 'khong-co')).code).toBe(1);
  });

  it('admin-key prints a new key once and stores only its hash', async () => {
    const result = await run('admin-key');
    expect(result.code).toBe(0);
    const key = result.stdout.trim();
    expect(key).toMatch(/^dcadm_[A-Za-z0-9_-]{43}$/);
    expect(result.stderr).toMatch(/Only its hash is stored/);
    const stored = await withDb((db) => db.get<{ value: string }>("SELECT value FROM settings WHERE key = 'admin_key_hash'")?.value);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain(key);
    expect(await withDb((db) => isAdminKey(db, key))).toBe(true);
  });

  it('--help exits 0; an unknown command or none exits 1', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/create <spec.json>/);
    const unknown = await run('xoa-het');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown command "xoa-het"/);
    expect((await run()).code).toBe(1);
  });
});

describe('beside a running hub', () => {
  let hub: Hub;
  let base: string;

  beforeAll(async () => {
    const config = loadConfig({
      DIEMCAU_HOST: '127.0.0.1',
      DIEMCAU_PORT: '0',
      DIEMCAU_LISTEN_IP: '127.0.0.1',
      DIEMCAU_WORKERS: '1',
      DIEMCAU_DEMO: 'false',
      DIEMCAU_DATA_DIR: dataDir,
    });
    hub = await createHub(config, pino({ level: 'silent' }));
    base = `http://127.0.0.1:${(await hub.listen()).port}`;
  });

  afterAll(async () => {
    await hub?.close('test done');
  });

  it('a conference and an admin key made by the CLI work in the hub at once', async () => {
    const spec = JSON.parse(readFileSync(demoSpec, 'utf8')) as Record<string, unknown>;
    const file = write('song.json', JSON.stringify({ ...spec, id: 'song-song' }));
    expect((await cli('create', file)).code).toBe(0);
    const key = (await run('admin-key')).stdout.trim();
    const res = await fetch(`${base}/api/conferences/song-song`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: 'song-song', centralPointId: 'tinh-dong-nai' });
    const codes = await run('points', 'song-song', '--codes');
    const code =
      codes.stdout
        .split('\n')
        .find((l) => l.startsWith('bien-hoa '))
        ?.split(/\s{2,}/)[4] ?? '';
    expect(await hub.credentials.verify({ code })).toEqual({ conferenceId: 'song-song', pointId: 'bien-hoa', role: 'technician' });
  });
});
