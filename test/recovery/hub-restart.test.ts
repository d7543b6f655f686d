// The hub process killed with SIGKILL mid-conference and started again on the same port and data folder.
// Headless points with media reconnect by themselves (socket.io's backoff, the session token of their
// welcome, as the browser client does) and rebuild their media on the new welcome. Measured: the time
// from the kill to every point's new welcome and to every media flow running again (printed; asserted
// only within a generous bound). Checked: nothing accepted before the kill is lost (floor, queue,
// questions, attendance, event log).
import { afterAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/domain.ts';
import { CredentialIssuer } from '../../server/auth/credentials.ts';
import { Database } from '../../server/store/db.ts';
import { tempDataDir } from '../../scripts/lib/data-dir.ts';
import { HeadlessPoint } from '../../scripts/lib/headless/point.ts';
import { hubPort, spawnHub, type HubProcess } from '../../scripts/lib/hub-process.ts';
import { sleep, waitFor } from '../helpers/wait.ts';
import { measureRecovery, runningFlows, summarise } from './flows.ts';

const CONF = 'dong-nai-tap-huan-bau-cu';
const CENTRE = 'tinh-dong-nai';
const SPEAKER = 'long-khanh';
const QUEUED = 'xuan-loc';
const BACK_BOUND_MS = 30_000;
const dataDir = tempDataDir();
const hubs: HubProcess[] = [];
const points: HeadlessPoint[] = [];

afterAll(async () => {
  await Promise.all(points.map((p) => p.close()));
  for (const h of hubs) if (h.child.exitCode === null) h.child.kill('SIGKILL');
});

async function start(port = 0): Promise<number> {
  const hub = spawnHub({ DIEMCAU_DATA_DIR: dataDir, DIEMCAU_WORKERS: '1', DIEMCAU_LISTEN_IP: '127.0.0.1', DIEMCAU_PORT: String(port) });
  hubs.push(hub);
  return hubPort(hub);
}

describe('hub process killed and started again', () => {
  it('every point comes back by itself, with its role and its media, and nothing accepted is lost', async () => {
    const port = await start();
    const url = `http://127.0.0.1:${port}`;
    const db = new Database(dataDir);
    const issuer = new CredentialIssuer(db, 'auto');
    const cast: Array<[string, Role]> = [
      [CENTRE, 'host'],
      ['bien-hoa', 'technician'],
      [SPEAKER, 'technician'],
      [QUEUED, 'technician'],
      ['bien-hoa', 'viewer'],
    ];
    for (const [pointId, role] of cast) {
      const issued = await issuer.issue({ conferenceId: CONF, pointId, role }, 3600);
      // Technicians join by their (single-use) code: every reconnect must present the session token.
      const auth = role === 'technician' ? { code: issued.code } : issued.token;
      points.push(await HeadlessPoint.join(url, auth, { label: `${pointId}/${role}`, reconnect: true, maxSendMs: 90_000 }));
    }
    db.close();
    const [host, bienHoa, speaker, queued] = points as [HeadlessPoint, HeadlessPoint, HeadlessPoint, HeadlessPoint, HeadlessPoint];
    await host.call('conference.setStatus', { status: 'live' });
    for (const p of [host, bienHoa, speaker, queued]) await p.publish({ audio: true, video: true });
    for (const p of points) await p.receive();
    await host.call('floor.grant', { pointId: SPEAKER, seconds: 600 });
    await queued.call('floor.request', { note: 'Xin hỏi về danh sách cử tri' });
    const q1 = await queued.call('question.submit', {
      asker: 'Tổ bầu cử số 3',
      category: 'Khác',
      text: 'Danh sách cử tri niêm yết ở đâu?',
    });
    const q2 = await bienHoa.call('question.submit', { asker: 'Ủy ban phường', category: 'Khác', text: 'Phiếu hỏng xử lý thế nào?' });
    await host.call('question.accept', { questionId: q2.id });
    await bienHoa.call('attendance.report', { present: 48, groups: { 'Đại biểu': 30 } });
    await queued.call('attendance.report', { present: 21 });
    await sleep(1500);
    const before = { snapshot: await host.call('records.snapshot', {}) };
    const floorBefore = host.eventsOf('floor.updated').at(-1);
    const flows = await runningFlows(points, [CENTRE, 'bien-hoa', SPEAKER, QUEUED]);
    expect(flows.length).toBeGreaterThanOrEqual(points.length * 2);
    const welcomesBefore = points.map((p) => p.welcomes.length);

    const killedAt = Date.now();
    hubs[0]?.child.kill('SIGKILL');
    const recovery = measureRecovery(flows, killedAt, { timeoutMs: BACK_BOUND_MS });
    await hubs[0]?.exited;
    await start(port);
    const listeningAt = Date.now();

    await waitFor(
      () => points.every((p, i) => p.welcomes.length > (welcomesBefore[i] ?? 0)),
      'a new welcome at every point',
      BACK_BOUND_MS,
    );
    const welcomeMs = Object.fromEntries(points.map((p) => [p.label, (p.welcomes.at(-1)?.at ?? 0) - killedAt]));
    const times = await recovery;
    const summary = summarise(times);
    const welcomes = Object.values(welcomeMs).sort((a, b) => a - b);
    console.log(
      `[recovery] hub SIGKILL + restart: ${JSON.stringify({
        hubListeningMs: listeningAt - killedAt,
        welcomeP50Ms: welcomes[Math.floor((welcomes.length - 1) / 2)],
        welcomeMaxMs: welcomes.at(-1),
        welcomeMs,
        media: summary,
      })}`,
    );

    // Every point is back in its role, on its own session token.
    for (const [i, p] of points.entries()) {
      const [pointId, role] = cast[i] as [string, Role];
      expect(p.welcome.self).toMatchObject({ pointId, role });
      expect(p.errors, p.label).toEqual([]);
      expect(
        p.rebuilds.filter((r) => r.cause === 'welcome').every((r) => r.doneAt !== undefined),
        p.label,
      ).toBe(true);
    }
    // Nothing accepted before the kill is lost.
    const after = host.welcome.conference;
    expect(after.status).toBe('live');
    expect(after.floor).toMatchObject({
      pointId: SPEAKER,
      endsAt: floorBefore?.endsAt,
      queue: [{ pointId: QUEUED, note: 'Xin hỏi về danh sách cử tri' }],
    });
    const snapshot = await host.call('records.snapshot', {});
    const brief = (s: typeof snapshot) => ({
      questions: s.questions.map((q) => [q.id, q.status, q.position, q.text]),
      attendance: s.attendance.map((a) => [a.pointId, a.present, a.groups]),
    });
    expect(brief(snapshot)).toEqual(brief(before.snapshot));
    expect(snapshot.questions.map((q) => q.id).sort()).toEqual([q1.id, q2.id].sort());
    expect(snapshot.attendance.map((a) => a.pointId).sort()).toEqual(['bien-hoa', QUEUED]);
    // The points are connected again for everyone to see: the host's welcome, then its point.updated events.
    const connection = (pointId: string): string | undefined => {
      const since = host.events.findLastIndex((e) => e.name === 'session.welcome');
      const updates = host.eventsOf('point.updated', since).filter((v) => v.id === pointId);
      return (updates.at(-1) ?? after.points.find((v) => v.id === pointId))?.connection;
    };
    for (const [pointId] of cast.slice(0, 4)) expect(connection(pointId), pointId).toBe('connected');
  }, 90_000);
});
