// The monitoring wall's cost: the MTTQ conference's remote points (2 central-side + 63 provinces) publish
// three-layer VP8 simulcast over plain RTP + SRTP (headless points), and one host receives the wall. The same
// run measures the host's downlink (bytes arriving at its UDP socket) and the hub's worker CPU with every tile
// shown, with one screenful shown (wall.visible, as the browser reports it when the wall scrolls or is
// filtered), and with none shown (the publishing alone: the baseline the others are read against).
// Prints a table with ratios against "all shown" and writes test-results/bench/wall.json.
//
//   npm run bench:wall -- [--points 65] [--page 24] [--seconds 6] [--smoke]
import { parseArgs } from 'node:util';
import { HeadlessPoint } from '../lib/headless/point.ts';
import { startBenchHub } from './lib/bench-hub.ts';
import { cpuMicros, machine, printTable, writeResult } from './lib/tools.ts';

const { values } = parseArgs({
  options: {
    points: { type: 'string', default: '65' },
    page: { type: 'string', default: '24' },
    seconds: { type: 'string', default: '6' },
    smoke: { type: 'boolean', default: false },
  },
});
const smoke = values.smoke;
const POINTS = smoke ? 6 : Number(values.points);
const PAGE = smoke ? 2 : Number(values.page);
const SECONDS = smoke ? 1.5 : Number(values.seconds);
const CONFERENCE = 'mttq-giam-sat-bau-cu-dot-1';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;

const { hub, url } = await startBenchHub(1);
const conference = hub.conferences.get(CONFERENCE);
if (!conference) throw new Error(`demo conference ${CONFERENCE} not loaded`);
const spec = conference.view();
const remote = spec.points.filter((p) => p.id !== spec.centralPointId).slice(0, POINTS);
const workerPids = hub.workers.live().map((w) => w.pid);
const points: HeadlessPoint[] = [];
const join = async (pointId: string, role: 'host' | 'cohost' | 'technician'): Promise<HeadlessPoint> => {
  const { token } = await hub.credentials.issue({ conferenceId: CONFERENCE, pointId, role }, 3600);
  const point = await HeadlessPoint.join(url, token, { label: pointId, maxSendMs: 600_000, decryptEvery: 0 });
  points.push(point);
  return point;
};

try {
  for (const p of remote) {
    const point = await join(p.id, p.centralSide ? 'cohost' : 'technician');
    await point.publish({ audio: false, video: true });
  }
  const host = await join(spec.centralPointId, 'host');
  await host.receive();
  const wallBytes = (): number => host.consumers({ purpose: 'wall' }).reduce((sum, c) => sum + c.bytes, 0);
  const openWall = (): number => host.consumers({ purpose: 'wall', open: true }).length;

  const measure = async (name: string, shown: string[] | null): Promise<Record<string, string | number>> => {
    if (shown) await host.call('wall.visible', { pointIds: shown });
    const want = shown ? shown.length : remote.length;
    const deadline = Date.now() + 20_000;
    while (openWall() !== want && Date.now() < deadline) await sleep(100);
    await sleep(smoke ? 1000 : 3000); // consumers settle on the low layer
    const bytes0 = wallBytes();
    const cpu0 = workerPids.reduce((s, pid) => s + cpuMicros(pid), 0);
    const t0 = performance.now();
    await sleep(SECONDS * 1000);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = ((workerPids.reduce((s, pid) => s + cpuMicros(pid), 0) - cpu0) / 1e6 / seconds) * 100;
    const kbps = ((wallBytes() - bytes0) * 8) / seconds / 1000;
    const tiles = openWall();
    return { case: name, tiles, downlinkKbps: round(kbps, 0), kbpsPerTile: tiles ? round(kbps / tiles) : 0, workerCpuPercent: round(cpu) };
  };

  const all = await measure('all shown', null);
  const paged = await measure(
    `one screen (${PAGE})`,
    remote.slice(0, PAGE).map((p) => p.id),
  );
  const none = await measure('none shown (publishing only)', []);
  const ratio = (row: Record<string, string | number>, key: string): number => round(Number(row[key]) / Number(all[key]), 2);
  const rows = [all, paged, none].map((row) => ({
    ...row,
    downlinkVsAll: ratio(row, 'downlinkKbps'),
    cpuVsAll: ratio(row, 'workerCpuPercent'),
  }));
  // Under load the senders (all in this process) send less: kbpsPerTile falling with more tiles shows it.
  console.log(`wall of ${remote.length} points publishing simulcast, one host, ${SECONDS} s windows, 1 worker`);
  printTable(rows);
  const file = writeResult(smoke ? 'wall-smoke' : 'wall', {
    machine: machine(),
    points: remote.length,
    page: PAGE,
    seconds: SECONDS,
    rows,
  });
  console.log(`written ${file}`);
} finally {
  await Promise.all(points.map((p) => p.close()));
  await hub.close('bench over');
}
