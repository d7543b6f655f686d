// The wall benchmark keeps working: in smoke mode (6 points, a page of 2) it measures all shown, one page and
// none shown in the same run and writes its JSON. Speed is never asserted; only that each case got the tiles
// it asked for and that the figures are real numbers (scripts/bench/wall.ts measures).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const run = promisify(execFile);

it('the wall benchmark runs in smoke mode: all shown, one page, none shown', { timeout: 100_000 }, async () => {
  const script = fileURLToPath(new URL('../scripts/bench/wall.ts', import.meta.url));
  await run(process.execPath, ['--disable-warning=ExperimentalWarning', script, '--smoke'], { timeout: 90_000 });
  const result = JSON.parse(readFileSync(new URL('../test-results/bench/wall-smoke.json', import.meta.url), 'utf8')) as {
    points: number;
    rows: Array<{ case: string; tiles: number; downlinkKbps: number; workerCpuPercent: number; downlinkVsAll: number }>;
  };
  expect(result.rows.map((r) => r.tiles)).toEqual([6, 2, 0]);
  const [all, page, none] = result.rows;
  expect(all?.downlinkKbps).toBeGreaterThan(0);
  expect(page?.downlinkKbps).toBeGreaterThan(0);
  expect(none?.downlinkKbps).toBe(0);
  for (const row of result.rows) expect(Number.isFinite(row.workerCpuPercent)).toBe(true);
});
