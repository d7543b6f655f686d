// More benchmarks keep working: each runs in its smoke mode (tiny sizes) and writes its JSON result, hub
// and bare baseline side by side. Speed is never asserted here; scripts/bench/ measures it.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const script = (name: string): string => fileURLToPath(new URL(`../scripts/bench/${name}.ts`, import.meta.url));
const result = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../test-results/bench/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
const sane = (x: number): boolean => Number.isFinite(x) && x > 0;

it('floor switch runs in smoke mode, hub and bare baseline, audio and video', { timeout: 100_000 }, async () => {
  await run(process.execPath, ['--disable-warning=ExperimentalWarning', script('floor-switch'), '--smoke'], { timeout: 90_000 });
  const floor = result('floor-switch-smoke') as {
    udpCeilingPps: number;
    rows: Array<{ target: string; kind: string; samples: number; p50: number; p95: number }>;
  };
  expect(floor.udpCeilingPps).toBeGreaterThan(0);
  const targets = ['bare/audio', 'bare/video', 'hub+standby/audio', 'hub+standby/video', 'hub/audio', 'hub/video'];
  expect(floor.rows.map((r) => `${r.target}/${r.kind}`).sort()).toEqual(targets);
  for (const row of floor.rows) {
    expect(row.samples).toBeGreaterThan(0);
    expect(sane(row.p50)).toBe(true);
    expect(sane(row.p95)).toBe(true);
  }
});

it('latency runs in smoke mode, send time carried in the media, hub and bare baseline, plain and WebRTC receivers', {
  timeout: 100_000,
}, async () => {
  await run(process.execPath, ['--disable-warning=ExperimentalWarning', script('latency'), '--smoke'], { timeout: 90_000 });
  const latency = result('latency-smoke') as {
    udpCeilingPps: number;
    rows: Array<{ target: string; kind: string; samples: number; p50Ms: number; p99Ms: number; deliveredPps: number }>;
  };
  expect(latency.udpCeilingPps).toBeGreaterThan(0);
  expect(latency.rows.map((r) => `${r.target}/${r.kind}`).sort()).toEqual(['bare/plain', 'bare/webrtc', 'hub/plain', 'hub/webrtc']);
  for (const row of latency.rows) {
    expect(row.samples).toBeGreaterThan(0);
    expect(sane(row.p50Ms)).toBe(true);
    expect(sane(row.p99Ms)).toBe(true);
    expect(row.deliveredPps).toBeGreaterThan(0);
  }
});

it('memory per point runs in smoke mode: hub process and worker, bare baseline', { timeout: 100_000 }, async () => {
  await run(process.execPath, ['--disable-warning=ExperimentalWarning', '--expose-gc', script('memory'), '--smoke'], { timeout: 90_000 });
  const memory = result('memory-smoke') as { udpCeilingPps: number; rows: Array<{ target: string; part: string; totalMiB: number }> };
  expect(memory.udpCeilingPps).toBeGreaterThan(0);
  expect(memory.rows.map((r) => `${r.target}/${r.part}`)).toEqual(['bare/process', 'bare/worker', 'hub/process', 'hub/worker']);
  for (const row of memory.rows) expect(row.totalMiB).toBeGreaterThan(0);
});

it('the browser floor switch runs in smoke mode: Chromium displays, with and without standby', { timeout: 200_000 }, async () => {
  await run(process.execPath, ['--disable-warning=ExperimentalWarning', script('switch-browser'), '--smoke'], { timeout: 190_000 });
  const switched = result('switch-browser-smoke') as { rows: Array<{ mode: string; samples: number; misses: number; p50: number }> };
  expect(switched.rows.map((r) => r.mode).sort()).toEqual(['baseline', 'standby']);
  for (const row of switched.rows) {
    expect(row.samples).toBeGreaterThan(0);
    expect(row.misses).toBeLessThan(row.samples);
    expect(sane(row.p50)).toBe(true);
  }
});
