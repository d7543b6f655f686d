// The wall benchmark keeps working: in smoke mode (6 points, a page of 2) it measures all shown, one page and
// none shown in the same run and writes its JSON, with the host receiving the wall as a plain-RTP point and
// as a WebRTC peer (werift). Speed is never asserted; only that each case got the tiles it asked for and that
// the figures are real numbers (scripts/bench/wall.ts measures).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const run = promisify(execFile);

for (const receiver of ['plain', 'webrtc'] as const) {
  it(`the wall benchmark runs in smoke mode with a ${receiver} host: all shown, one page, none shown`, { timeout: 100_000 }, async () => {
    const script = fileURLToPath(new URL('../scripts/bench/wall.ts', import.meta.url));
    await run(process.execPath, ['--disable-warning=ExperimentalWarning', script, '--smoke', '--receiver', receiver], { timeout: 90_000 });
    const file = `../test-results/bench/wall${receiver === 'plain' ? '-plain' : ''}-smoke.json`;
    const result = JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as {
      receiver: string;
      rows: Array<{ case: string; tiles: number; downlinkKbps: number; workerCpuPercent: number; downlinkVsAll: number }>;
    };
    expect(result.receiver).toBe(receiver);
    expect(result.rows.map((r) => r.tiles)).toEqual([6, 2, 0]);
    const [all, page, none] = result.rows;
    expect(all?.downlinkKbps).toBeGreaterThan(0);
    expect(page?.downlinkKbps).toBeGreaterThan(0);
    expect(none?.downlinkKbps).toBe(0);
    for (const row of result.rows) expect(Number.isFinite(row.workerCpuPercent)).toBe(true);
  });
}
