// The recording soak keeps working: its smoke mode records ~20 s through a real hub and its recorder process
// (the centre publishing the sync pattern, a district taking the floor every 6 s), and the analysis must find
// the flashes and the beeps in the source and in the file, pair them, and see an A/V offset inside a sane
// bound. Speed and drift are never asserted here; `npm run bench:soak` measures them.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../scripts/bench/recording-soak.ts', import.meta.url));
const resultFile = new URL('../test-results/bench/recording-soak-smoke.json', import.meta.url);

interface Analysis {
  flashes: number;
  beeps: number;
  pairs: number;
  offsetMedianMs: number;
  offsetStartMs: number;
  offsetEndMs: number;
  durationS: number;
}

it('the recording soak runs in smoke mode: flashes and beeps found in the source and the recording, paired', {
  timeout: 180_000,
}, async () => {
  await run(process.execPath, ['--disable-warning=ExperimentalWarning', script, '--smoke'], { timeout: 170_000 });
  const result = JSON.parse(readFileSync(resultFile, 'utf8')) as {
    baseline: Analysis;
    recording: Analysis;
    usage: { start: { recorder: { rssMiB: number } }; end: { recorder: { rssMiB: number } } };
    sourceErrors: string[];
  };
  const { baseline, recording } = result;
  // The source itself: a flash and a beep every 2 s over 10 s, all paired, together within a few ms.
  expect(baseline.flashes).toBeGreaterThanOrEqual(4);
  expect(baseline.beeps).toBeGreaterThanOrEqual(4);
  expect(baseline.pairs).toBeGreaterThanOrEqual(4);
  expect(Math.abs(baseline.offsetMedianMs)).toBeLessThan(20);
  // The recording: ~20 s, flashes and beeps found and paired, audio and video within a sane bound.
  expect(recording.durationS).toBeGreaterThan(15);
  expect(recording.flashes).toBeGreaterThanOrEqual(3);
  expect(recording.beeps).toBeGreaterThanOrEqual(3);
  expect(recording.pairs).toBeGreaterThanOrEqual(3);
  expect(Math.abs(recording.offsetMedianMs)).toBeLessThan(120);
  expect(result.usage.end.recorder.rssMiB).toBeGreaterThan(0);
  expect(result.sourceErrors).toEqual([]);
});
