// Kill the hub with SIGKILL mid-conference and start it again on the same data folder: the floor, the
// queue, the questions, the status and the credentials come back, and clients rejoin with their tokens.
import { afterAll, describe, expect, it } from 'vitest';
import { CredentialIssuer } from '../../server/auth/credentials.ts';
import { Database } from '../../server/store/db.ts';
import { tempDataDir } from '../../scripts/lib/data-dir.ts';
import { hubPort, spawnHub, type HubProcess } from '../../scripts/lib/hub-process.ts';
import { connect, type HubClient as SignalClient, must, nextEvent } from '../../scripts/lib/hub-client.ts';

const CONF = 'dong-nai-tap-huan-bau-cu';
const dataDir = tempDataDir();
const hubs: HubProcess[] = [];
const clients: SignalClient[] = [];

afterAll(() => {
  for (const c of clients) c.close();
  for (const h of hubs) if (h.child.exitCode === null) h.child.kill('SIGKILL');
});

async function start(dir = dataDir): Promise<string> {
  const hub = spawnHub({ DIEMCAU_DATA_DIR: dir, DIEMCAU_WORKERS: '1' });
  hubs.push(hub);
  return `http://127.0.0.1:${await hubPort(hub)}`;
}

describe('restart', () => {
  it('loses nothing accepted before a SIGKILL', async () => {
    let url = await start();
    // Credentials are issued into the hub's own database, as the CLI does.
    const db = new Database(dataDir);
    const issuer = new CredentialIssuer(db, 'auto');
    const host = await issuer.issue({ conferenceId: CONF, pointId: 'tinh-dong-nai', role: 'host' }, 3600);
    const bienHoa = await issuer.issue({ conferenceId: CONF, pointId: 'bien-hoa', role: 'technician' }, 3600);
    const longKhanh = await issuer.issue({ conferenceId: CONF, pointId: 'long-khanh', role: 'technician' }, 3600);
    db.close();

    const h = await connect(url, { token: host.token });
    const a = await connect(url, { code: bienHoa.code });
    const b = await connect(url, { token: longKhanh.token });
    clients.push(h, a, b);
    await must(h.request('conference.setStatus', { status: 'live' }));
    await must(a.request('floor.request', { note: 'Xin phát biểu' }));
    await must(b.request('floor.request', { note: 'Câu hỏi' }));
    const q1 = await must(b.request('question.submit', { asker: 'Tổ thư ký', category: 'Khác', text: 'Câu hỏi một' }));
    const q2 = await must(b.request('question.submit', { asker: 'Tổ thư ký', category: 'Khác', text: 'Câu hỏi hai' }));
    await must(h.request('question.accept', { questionId: q2.id }));
    const floor = await must(h.request('floor.grant', { pointId: 'bien-hoa', seconds: 600 }));
    await must(h.request('point.mute', { pointId: 'long-khanh', kind: 'video', muted: false }));
    await must(h.request('agenda.goto', { itemId: 'giai-dap' }));

    hubs[0]?.child.kill('SIGKILL');
    await hubs[0]?.exited;
    url = await start();

    // Same token, and the session token the code's join gave: the credentials and the signing secret
    // survived; so did the code's redemption (single use for a technician).
    const h2 = await connect(url, { token: host.token });
    await expect(connect(url, { code: bienHoa.code })).rejects.toMatchObject({
      code: 'unauthenticated',
      reason: 'join.code_used',
      message: expect.stringMatching(/already been used/),
    });
    const a2 = await connect(url, { token: a.welcome.self.token });
    clients.push(h2, a2);
    const conference = h2.welcome.conference;
    expect(conference.status).toBe('live');
    const queue = [{ pointId: 'long-khanh', note: 'Câu hỏi' }];
    expect(conference.floor).toMatchObject({ pointId: 'bien-hoa', endsAt: floor.endsAt, queue });
    expect(conference.agenda.currentItemId).toBe('giai-dap');
    const snapshot = await must(h2.request('records.snapshot', {}));
    expect(snapshot.questions.map((q) => [q.id, q.status, q.position])).toEqual([
      [q1.id, 'submitted', null],
      [q2.id, 'queued', 1],
    ]);
    // The floor's timer runs on from where it was: the restored grant can still be revoked.
    expect((await must(h2.request('floor.revoke', {}))).pointId).toBeNull();
    // The event log kept every control action from before the kill.
    const check = new Database(dataDir);
    const rows = check.all<{ action: string }>('SELECT action FROM events WHERE conference_id = ? ORDER BY seq', CONF);
    check.close();
    const expected = ['conference.status', 'floor.request', 'question.submit', 'question.accept', 'floor.grant', 'agenda.goto'];
    expect(rows.map((e) => e.action)).toEqual(expect.arrayContaining([...expected, 'floor.revoke']));
  });

  it('announces a roll call that was open across a SIGKILL closed at its deadline', async () => {
    const dir = tempDataDir();
    let url = await start(dir);
    const db = new Database(dir);
    const host = await new CredentialIssuer(db, 'auto').issue({ conferenceId: CONF, pointId: 'tinh-dong-nai', role: 'host' }, 3600);
    db.close();
    const h = await connect(url, { token: host.token });
    clients.push(h);
    const call = await must(h.request('rollcall.start', { seconds: 10 }));
    const hub = hubs.at(-1);
    hub?.child.kill('SIGKILL');
    await hub?.exited;
    url = await start(dir);
    const h2 = await connect(url, { token: host.token });
    clients.push(h2);
    const snapshot = await must(h2.request('records.snapshot', {}));
    expect(snapshot.rollCall).toMatchObject({ id: call.id, open: true });
    const closed = await nextEvent(h2, 'rollcall.updated', (c) => c.id === call.id, 15_000);
    expect(closed.open).toBe(false);
    expect(Date.now()).toBeGreaterThanOrEqual(call.deadline);
  });
});
