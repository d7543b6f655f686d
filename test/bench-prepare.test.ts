// The organiser-page benchmark keeps working: its smoke mode (a 200-row list, 3 runs) starts a hub, makes
// the first account with the CLI and writes its JSON result, each route beside its same-run baseline.
// Speed is never asserted here; scripts/bench/prepare.ts measures it.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../scripts/bench/prepare.ts', import.meta.url));
const sane = (x: number): boolean => Number.isFinite(x) && x > 0;

interface Result {
  rows: Array<{ case: string; samples: number; p50: number; p95: number; baselineP50: number; ratioP50: number; measuredKiB: number }>;
  bursts: Array<{ burst: string; concurrent: number; wallMs: number; rssBeforeMiB: number; rssPeakMiB: number }>;
  preview: { rows: number; provinces: number; csvBytes: number; xlsxBytes: number; xlsxSameAsCsv: boolean };
  conference: { points: number; editMode: string };
}

it('the organiser-page bench runs in smoke mode: sign-in, points preview, saving, each with its baseline', {
  timeout: 100_000,
}, async () => {
  const { stdout } = await run(process.execPath, ['--disable-warning=ExperimentalWarning', script, '--smoke'], { timeout: 90_000 });
  expect(stdout).toContain('wrote ');
  const result = JSON.parse(readFileSync(new URL('../test-results/bench/prepare-smoke.json', import.meta.url), 'utf8')) as Result;
  expect(result.rows.map((r) => r.case)).toEqual(['sign-in', 'points preview, 200 rows', 'save a 201-point conference']);
  for (const row of result.rows) {
    expect(row.samples).toBe(3);
    expect([row.p50, row.p95, row.baselineP50, row.ratioP50, row.measuredKiB].every(sane)).toBe(true);
  }
  expect(result.bursts.map((b) => b.burst)).toEqual(['GET /organiser/me', 'POST /organiser/session']);
  for (const b of result.bursts) {
    expect(b.concurrent).toBe(3);
    expect(sane(b.wallMs)).toBe(true);
    expect(b.rssPeakMiB).toBeGreaterThanOrEqual(b.rssBeforeMiB);
  }
  expect(result.preview).toMatchObject({ rows: 200, provinces: 63, xlsxSameAsCsv: true });
  expect(sane(result.preview.csvBytes) && sane(result.preview.xlsxBytes)).toBe(true);
  expect(result.conference).toEqual(expect.objectContaining({ points: 201, editMode: 'full' }));
});
