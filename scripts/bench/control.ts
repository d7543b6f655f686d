// Control fan-out: one host action (a grant of the floor) delivered to N connected sockets, through the
// hub, against a bare socket.io server broadcasting the same payload in the same run. Also the memory the
// hub holds per connected point, and the loopback UDP ceiling measured in the same run (for scale: the
// messages here go over TCP, so the ratio says how far a fan-out of messages is from the machine's
// datagram rate). Prints tables and writes test-results/bench/control.json.
//
//   npm run bench:control -- [--sockets 1000] [--rounds 20] [--smoke]
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Server } from 'socket.io';
import { io as ioClient, type Socket } from 'socket.io-client';
import { startBenchHub } from './lib/bench-hub.ts';
import { connect, type HubClient } from '../lib/hub-client.ts';
import { machine, printTable, udpCeiling, writeResult } from './lib/tools.ts';

const { values } = parseArgs({
  options: {
    sockets: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '20' },
    smoke: { type: 'boolean', default: false },
  },
});
const SOCKETS = values.smoke ? 20 : Number(values.sockets);
const ROUNDS = values.smoke ? 3 : Number(values.rounds);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const summary = (ms: number[]): { p50: number; p99: number; max: number } => {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: round(quantile(s, 0.5)), p99: round(quantile(s, 0.99)), max: round(s.at(-1) ?? NaN) };
};
const round = (x: number): number => Math.round(x * 100) / 100;

/** A bare socket.io server that broadcasts a floor-sized payload to every socket: the baseline. */
async function bare(): Promise<{ latencies: number[]; rounds: number[] }> {
  const http = createServer();
  const server = new Server(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const clients: Socket[] = [];
  for (let i = 0; i < SOCKETS; i++) {
    const c = ioClient(url, { transports: ['websocket'], forceNew: true });
    await new Promise<void>((resolve) => c.once('connect', () => resolve()));
    clients.push(c);
  }
  const latencies: number[] = [];
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let got = 0;
    const start = performance.now();
    const done = new Promise<void>((resolve) => {
      for (const c of clients)
        c.once('floor.updated', () => {
          latencies.push(performance.now() - start);
          if (++got === clients.length) resolve();
        });
    });
    server.emit('floor.updated', { pointId: 'bien-hoa', since: Date.now(), endsAt: Date.now() + 60_000, queue: [] });
    await done;
    rounds.push(performance.now() - start);
    await sleep(50);
  }
  for (const c of clients) c.close();
  server.close();
  return { latencies, rounds };
}

async function hub(): Promise<{ latencies: number[]; rounds: number[]; bytesPerPoint: number }> {
  const { hub: h, url } = await startBenchHub();
  const conferenceId = 'mttq-giam-sat-bau-cu-dot-1';
  const conference = h.conferences.get(conferenceId);
  if (!conference) throw new Error('demo conference missing');
  const remote = conference.spec.points.filter((p) => p.level === 'province').map((p) => p.id);
  const host = await connect(url, {
    token: (await h.credentials.issue({ conferenceId, pointId: 'trung-uong', role: 'host' }, 3600)).token,
  });

  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  const clients: HubClient[] = [];
  for (let i = 0; i < SOCKETS; i++) {
    const { token } = await h.credentials.issue({ conferenceId, pointId: remote[i % remote.length] as string, role: 'viewer' }, 3600);
    clients.push(await connect(url, { token }));
  }
  globalThis.gc?.();
  // Client and server share this process: the figure is an upper bound for the hub's own share.
  const bytesPerPoint = (process.memoryUsage().rss - before) / SOCKETS;
  // The floor goes only to a connected point: each province's technician joins (after the memory figure).
  const technicians: HubClient[] = [];
  for (const pointId of remote) {
    const { token } = await h.credentials.issue({ conferenceId, pointId, role: 'technician' }, 3600);
    technicians.push(await connect(url, { token }));
  }

  const latencies: number[] = [];
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const target = remote[round % remote.length] as string;
    let got = 0;
    const start = performance.now();
    const done = new Promise<void>((resolve) => {
      for (const c of clients)
        c.socket.once('floor.updated', () => {
          latencies.push(performance.now() - start);
          if (++got === clients.length) resolve();
        });
    });
    const granted = await host.request('floor.grant', { pointId: target, seconds: 60 });
    if (!granted.ok) throw new Error(granted.error.message);
    await done;
    rounds.push(performance.now() - start);
    await host.request('floor.revoke', {});
    await sleep(100);
  }
  for (const c of [...clients, ...technicians, host]) c.close();
  await h.close('bench done');
  return { latencies, rounds, bytesPerPoint };
}

console.log(`control fan-out: ${SOCKETS} sockets, ${ROUNDS} rounds${values.smoke ? ' (smoke)' : ''}`);
const ceiling = await udpCeiling(values.smoke ? 1 : 3);
console.log(`loopback UDP ceiling: ${ceiling} packets/s`);
/** Messages a second over a median round: every socket's copy delivered, divided by the time the last one took. */
const rate = (rounds: number[]): number =>
  Math.round(
    SOCKETS /
      (quantile(
        [...rounds].sort((a, b) => a - b),
        0.5,
      ) /
        1000),
  );
const bareRun = await bare();
const baseline = summary(bareRun.latencies);
const measured = await hub();
const hubLatency = summary(measured.latencies);
const rows = [
  { target: 'bare socket.io', ...baseline, messagesPerSecond: rate(bareRun.rounds), overUdpCeiling: round(rate(bareRun.rounds) / ceiling) },
  {
    target: 'hub floor.grant',
    ...hubLatency,
    messagesPerSecond: rate(measured.rounds),
    overUdpCeiling: round(rate(measured.rounds) / ceiling),
  },
];
printTable(rows);
const ratios = {
  p50: round(hubLatency.p50 / baseline.p50),
  p99: round(hubLatency.p99 / baseline.p99),
  messagesPerSecond: round(rate(measured.rounds) / rate(bareRun.rounds)),
};
console.log(`hub / bare: p50 ×${ratios.p50}, p99 ×${ratios.p99}, messages a second ×${ratios.messagesPerSecond}`);
console.log(`memory per connected point (hub + client in one process, upper bound): ${Math.round(measured.bytesPerPoint / 1024)} KiB`);
const file = writeResult(values.smoke ? 'control-smoke' : 'control', {
  scenario: 'control',
  machine: machine(),
  sockets: SOCKETS,
  rounds: ROUNDS,
  udpCeilingPps: ceiling,
  rows,
  latencyMs: { bare: baseline, hub: hubLatency },
  ratios,
  memoryPerPointBytes: Math.round(measured.bytesPerPoint),
});
console.log(`wrote ${file}`);
process.exit(0);
