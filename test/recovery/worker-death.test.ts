// A mediasoup worker killed (SIGKILL) mid-conference: the pool starts a replacement, every session whose
// media lived on the dead worker is told `media.restart` and rebuilds it by itself (HeadlessPoints, as
// the browser client does), and media comes back at every point. Real hub with two workers, real
// packets counted at the receiving end. The time from the kill to every flow running again is printed;
// the test only asserts that it happens within a generous bound. Floor, queue and questions are
// conference state, not media: they must come through untouched.
import { afterEach, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/domain.ts';
import { HealthReport } from '../../shared/health.ts';
import type { Hub } from '../../server/hub.ts';
import { HeadlessPoint } from '../../scripts/lib/headless/point.ts';
import { startHub } from '../helpers/test-hub.ts';
import { sleep, waitFor } from '../helpers/wait.ts';
import { measureRecovery, runningFlows, summarise } from './flows.ts';

const CONF = 'dong-nai-tap-huan-bau-cu';
const CENTRE = 'tinh-dong-nai';
const SPEAKER = 'long-khanh';
const QUEUED = 'xuan-loc';
const RECOVERY_BOUND_MS = 20_000;

interface Setup {
  hub: Hub;
  url: string;
  points: HeadlessPoint[];
  publishers: string[];
}

let current: Setup | undefined;

afterEach(async () => {
  await Promise.all(current?.points.map((p) => p.close()) ?? []);
  await current?.hub.close('test over');
  current = undefined;
});

/**
 * Joins the points one after another (the hub places sessions on its workers in turn, so the order
 * decides which worker each lands on), publishes, receives, puts SPEAKER on the floor and QUEUED in the
 * queue with a question, and waits for the media to run.
 */
async function conference(order: Array<[string, Role]>): Promise<Setup> {
  const { hub, url } = await startHub({ DIEMCAU_WORKERS: '2' });
  const points: HeadlessPoint[] = [];
  current = { hub, url, points, publishers: [] };
  for (const [pointId, role] of order) {
    const { token } = await hub.credentials.issue({ conferenceId: CONF, pointId, role }, 600);
    points.push(await HeadlessPoint.join(url, token, { label: `${pointId}/${role}`, maxSendMs: 90_000 }));
  }
  const host = points.find((p) => p.role === 'host') as HeadlessPoint;
  await host.call('conference.setStatus', { status: 'live' });
  const publishing = points.filter((p) => p.role === 'host' || p.role === 'technician');
  for (const p of publishing) await p.publish({ audio: true, video: true });
  for (const p of points) await p.receive();
  await host.call('floor.grant', { pointId: SPEAKER, seconds: 600 });
  const queued = points.find((p) => p.pointId === QUEUED && p.role === 'technician') as HeadlessPoint;
  await queued.call('floor.request', { note: 'Xin hỏi về danh sách cử tri' });
  await queued.call('question.submit', { asker: 'Tổ bầu cử số 3', category: 'Khác', text: 'Danh sách cử tri niêm yết ở đâu?' });
  current.publishers = publishing.map((p) => p.pointId);
  return current;
}

async function workerOf(hub: Hub, point: HeadlessPoint): Promise<number> {
  const session = hub.conferences
    .get(CONF)
    ?.sessions()
    .find((s) => s.pointId === point.pointId && s.role === point.role);
  if (!session) throw new Error(`no session for ${point.label}`);
  for (const worker of hub.workers.live()) {
    if ((await worker.dump()).routerIds.includes(session.peer.router.id)) return worker.pid;
  }
  throw new Error(`${point.label}: router on no live worker`);
}

async function health(url: string): Promise<{ status: number; body: HealthReport }> {
  const res = await fetch(`${url}/healthz`);
  return { status: res.status, body: HealthReport.parse(await res.json()) };
}

async function records(hub: Hub) {
  const conference = hub.conferences.get(CONF);
  if (!conference) throw new Error('conference not open');
  const { floor } = conference.view();
  const questions = conference.records.questions.list(conference.sessions().find((s) => s.role === 'host') as never, {});
  return { floor, questions: questions.map((q) => ({ id: q.id, status: q.status, text: q.text })) };
}

/** Kills the worker `pid`, waits until every flow running before runs again, checks what must hold. */
async function killAndRecover(setup: Setup, victim: number, label: string) {
  const { hub, url, points, publishers } = setup;
  const flows = await runningFlows(points, publishers);
  // The programme (centre → every point), the stage (speaker → every other point) and the host's wall.
  expect(flows.length).toBeGreaterThanOrEqual(points.length * 2);
  const onVictim = new Set<HeadlessPoint>();
  for (const p of points) if ((await workerOf(hub, p)) === victim) onVictim.add(p);
  const before = await records(hub);
  const marks = points.map((p) => p.mark());
  let replacingAtDeath = -1;
  hub.workers.once('workerdied', () => (replacingAtDeath = hub.workers.replacingCount));

  const killedAt = Date.now();
  process.kill(victim, 'SIGKILL');
  const times = await measureRecovery(flows, killedAt, { timeoutMs: RECOVERY_BOUND_MS });
  const summary = summarise(times);
  console.log(`[recovery] worker kill (${label}): ${JSON.stringify({ victim, sessionsOnVictim: onVictim.size, ...summary })}`);

  expect(replacingAtDeath, '/healthz is degraded from the death until the replacement runs').toBe(1);
  await waitFor(() => hub.workers.replacedCount === 1, 'the replacement worker', 5000);
  const after = await health(url);
  expect(after.status).toBe(200);
  expect(after.body).toMatchObject({ status: 'ok', replacedWorkers: 1 });
  expect(after.body.workers.map((w) => w.pid)).not.toContain(victim);
  expect(after.body.workers.filter((w) => w.alive)).toHaveLength(2);
  // The conference spans both workers again.
  await waitFor(() => hub.workers.live().length === 2, 'two live workers');
  const routers = await Promise.all(hub.workers.live().map(async (w) => (await w.dump()).routerIds.length));
  expect(
    routers.every((n) => n >= 1),
    'a router on every live worker',
  ).toBe(true);

  // Exactly the sessions whose media lived on the dead worker were told to restart, once each.
  for (const [i, p] of points.entries()) {
    const restarts = p.eventsOf('media.restart', marks[i]);
    expect(restarts.length, `${p.label}: media.restart`).toBe(onVictim.has(p) ? 1 : 0);
    if (onVictim.has(p)) expect(restarts[0]?.reason).toBe('worker_died');
    expect(p.errors, p.label).toEqual([]);
    for (const c of p.consumers()) expect(c.authFailures + c.malformed + c.foreign, `${p.label} ${c.pointId} ${c.kind}`).toBe(0);
  }
  // Floor, queue and questions are untouched.
  expect(await records(hub)).toEqual(before);
  expect(before.floor.pointId).toBe(SPEAKER);
  expect(before.floor.queue.map((q) => q.pointId)).toEqual([QUEUED]);
  // The host sees every publisher publishing again.
  const conference = hub.conferences.get(CONF);
  for (const pointId of publishers) expect(conference?.pointView(pointId).publishing, pointId).toEqual({ audio: true, video: true });
  return summary;
}

describe('a media worker killed mid-conference', () => {
  it('the worker with the centre on it: replaced, clients rebuild their media, every flow comes back', async () => {
    // Placed in turn: the host, bien-hoa and long-khanh… alternate between the two workers.
    const setup = await conference([
      [CENTRE, 'host'],
      ['bien-hoa', 'technician'],
      [SPEAKER, 'technician'],
      ['bien-hoa', 'viewer'],
      [QUEUED, 'technician'],
      [QUEUED, 'secretary'],
    ]);
    const host = setup.points[0] as HeadlessPoint;
    await sleep(1000);
    const victim = await workerOf(setup.hub, host);
    const summary = await killAndRecover(setup, victim, 'centre');
    expect(summary.interruptedFlows).toBeGreaterThan(0);
  }, 60_000);

  it('a worker with only receivers on it: those receivers rebuild, publishers carry on', async () => {
    // Publishers on one worker, the room displays and the secretary on the other.
    const setup = await conference([
      [CENTRE, 'host'],
      ['bien-hoa', 'viewer'],
      [SPEAKER, 'technician'],
      [SPEAKER, 'secretary'],
      [QUEUED, 'technician'],
      [QUEUED, 'viewer'],
    ]);
    await sleep(1000);
    const publisherWorkers = new Set<number>();
    for (const p of setup.points) if (p.role === 'host' || p.role === 'technician') publisherWorkers.add(await workerOf(setup.hub, p));
    expect(publisherWorkers.size, 'every publisher on one worker').toBe(1);
    const victim = setup.hub.workers
      .live()
      .map((w) => w.pid)
      .find((pid) => !publisherWorkers.has(pid)) as number;
    const summary = await killAndRecover(setup, victim, 'receivers only');
    expect(summary.interruptedFlows).toBeGreaterThan(0);
  }, 60_000);
});
