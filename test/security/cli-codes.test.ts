// The operator's answers to a replaced or lost PC, through the CLI on the hub's own database while the
// hub runs: `code` issues one fresh code for a point (single use for the roles that act, reusable for a
// viewer), `revoke` ends every code and token of a point and role at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Hub } from '../../server/hub.ts';
import { runCli } from '../../server/cli.ts';
import { tempDataDir } from '../../scripts/lib/data-dir.ts';
import { connect } from '../../scripts/lib/hub-client.ts';
import { startHub } from '../helpers/test-hub.ts';

const CONF = 'dong-nai-tap-huan-bau-cu';
const SECRET = 'cli-secret-cli-secret-cli-secret-cli-01';
const dataDir = tempDataDir();
let hub: Hub;
let url: string;

beforeAll(async () => {
  ({ hub, url } = await startHub({ DIEMCAU_DATA_DIR: dataDir, DIEMCAU_AUTH_SECRET: SECRET }));
});

afterAll(async () => {
  await hub?.close('test done');
});

async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    args,
    { DIEMCAU_DATA_DIR: dataDir, DIEMCAU_AUTH_SECRET: SECRET },
    { out: (t) => (stdout += t), err: (t) => (stderr += t) },
  );
  return { code, stdout, stderr };
}

describe('cli code and revoke', () => {
  it('issues a fresh single-use code for a point, a reusable one for a viewer, and revokes them', async () => {
    const issued = await cli('code', CONF, 'bien-hoa');
    expect(issued.code).toBe(0);
    expect(issued.stdout).toMatch(/technician: good for one join/);
    const code = issued.stdout.split('\n')[0] as string;
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const first = await connect(url, { code });
    expect(first.welcome.self).toMatchObject({ pointId: 'bien-hoa', role: 'technician' });
    first.close();
    await expect(connect(url, { code })).rejects.toMatchObject({
      code: 'unauthenticated',
      message: expect.stringMatching(/already been used/),
    });

    const viewer = (await cli('code', CONF, 'bien-hoa', '--role', 'viewer', '--ttl-hours', '2')).stdout;
    expect(viewer).toMatch(/viewer: reusable until it expires/);
    const viewerCode = viewer.split('\n')[0] as string;
    (await connect(url, { code: viewerCode })).close();
    (await connect(url, { code: viewerCode })).close();

    const revoked = await cli('revoke', CONF, 'bien-hoa', '--role', 'technician');
    expect(revoked).toMatchObject({ code: 0, stdout: expect.stringMatching(/^1 credential\(s\) of bien-hoa \(technician\) revoked/) });
    await expect(connect(url, { token: first.welcome.self.token })).rejects.toMatchObject({ message: 'token revoked' });
  });

  it('points --codes prints links that join the running hub, a secretary’s among them, and no new host code', async () => {
    const hostCodes = (): number => hub.db.get<{ n: number }>("SELECT count(*) AS n FROM credentials WHERE role = 'host'")?.n ?? -1;
    const before = hostCodes();
    let stdout = '';
    const env = { DIEMCAU_DATA_DIR: dataDir, DIEMCAU_AUTH_SECRET: SECRET, DIEMCAU_PUBLIC_URL: url };
    expect(await runCli(['points', CONF, '--codes'], env, { out: (t) => (stdout += t), err: () => undefined })).toBe(0);
    expect(hostCodes()).toBe(before);
    const link =
      stdout
        .split('\n')
        .find((l) => /^long-thanh\s+secretary\s/.test(l))
        ?.split(/\s+/)[2] ?? '';
    expect(link.startsWith(`${url}/?code=`)).toBe(true);
    const code = new URL(link).searchParams.get('code') ?? '';
    const secretary = await connect(url, { code });
    expect(secretary.welcome.self).toMatchObject({ pointId: 'long-thanh', role: 'secretary' });
    secretary.close();
  });

  it('refuses unknown points, roles and missing arguments with exit 1', async () => {
    expect(await cli('code', CONF, 'khong-co')).toMatchObject({ code: 1, stderr: expect.stringMatching(/no point khong-co/) });
    expect(await cli('code', CONF, 'bien-hoa', '--role', 'admin')).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/--role must be one of/),
    });
    expect(await cli('revoke', CONF, 'bien-hoa')).toMatchObject({ code: 1, stderr: expect.stringMatching(/usage: revoke/) });
    expect(await cli('code', 'khong-co', 'bien-hoa')).toMatchObject({ code: 1, stderr: expect.stringMatching(/no conference/) });
  });
});
