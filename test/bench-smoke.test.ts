// The benchmarks keep working: each runs in its smoke mode (tiny sizes) and writes its JSON result.
// Speed is never asserted here; scripts/bench/ measures it, with baselines from the same run.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const script = (name: string): string => fileURLToPath(new URL(`../scripts/bench/${name}.ts`, import.meta.url));
const result = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../test-results/bench/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

it('fan-out runs end to end in smoke mode, hub and bare baseline side by side, with a WebRTC receiver', { timeout: 100_000 }, async () => {
  await run(process.execPath, ['--disable-warning=ExperimentalWarning', script('fanout'), '--smoke'], { timeout: 90_000 });
  const fanout = result('fanout-smoke') as {
    udpCeilingPps: number;
    rows: Array<{
      target: string;
      deliveredPps: number;
      usPerPacket: number;
      webrtc: number;
      webrtcDeliveredPercent: number;
      workerRssMiB: number;
    }>;
    webrtcJoins: Array<{ target: string; receivers: number; failures: number; firstPacketP50: number }>;
  };
  expect(fanout.udpCeilingPps).toBeGreaterThan(0);
  expect(fanout.rows.map((r) => r.target).sort()).toEqual(['bare', 'hub']);
  for (const row of fanout.rows) {
    expect(row.deliveredPps).toBeGreaterThan(0);
    expect(row.usPerPacket).toBeGreaterThan(0);
    expect(row.workerRssMiB).toBeGreaterThan(0);
    // The werift peer really received the broadcast through ICE, DTLS and SRTP.
    expect(row.webrtc).toBe(1);
    expect(row.webrtcDeliveredPercent).toBeGreaterThan(0);
  }
  for (const join of fanout.webrtcJoins) {
    expect(join.failures).toBe(0);
    expect(join.firstPacketP50).toBeGreaterThan(0);
  }
});

it('control fan-out runs in smoke mode against a bare socket.io baseline', { timeout: 100_000 }, async () => {
  await run(process.execPath, ['--disable-warning=ExperimentalWarning', '--expose-gc', script('control'), '--smoke'], { timeout: 90_000 });
  const control = result('control-smoke') as {
    udpCeilingPps: number;
    latencyMs: { bare: { p50: number }; hub: { p50: number } };
    memoryPerPointBytes: number;
  };
  expect(control.udpCeilingPps).toBeGreaterThan(0);
  expect(control.latencyMs.bare.p50).toBeGreaterThan(0);
  expect(control.latencyMs.hub.p50).toBeGreaterThan(0);
});

it('join storm runs in smoke mode, hub and bare baseline, plain and WebRTC points', { timeout: 100_000 }, async () => {
  await run(process.execPath, ['--disable-warning=ExperimentalWarning', script('join-storm'), '--smoke'], { timeout: 90_000 });
  const storm = result('join-storm-smoke') as {
    udpCeilingPps: number;
    rows: Array<{ target: string; kind: string; failures: number; p50: number }>;
  };
  expect(storm.udpCeilingPps).toBeGreaterThan(0);
  expect(storm.rows.map((r) => `${r.target}/${r.kind}`)).toEqual(['bare/plain', 'bare/webrtc', 'hub/plain', 'hub/webrtc']);
  for (const row of storm.rows) expect(row.p50).toBeGreaterThan(0);
});
