// Benchmark plumbing: the compiled UDP sink/blaster, CPU time of a process from /proc, the machine's
// description, and where results go.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledTool, LineReader } from '../../lib/c-tool.ts';

export const resultsDir = fileURLToPath(new URL('../../../test-results/bench/', import.meta.url));

/** Path of udp-tool, compiled from udp-tool.c when missing or older than its source. */
export const udpTool = (): string => compiledTool(new URL('./udp-tool.c', import.meta.url), 'bench');

/** A UDP sink on 127.0.0.1:port counting what it receives, in its own process. */
export class Sink {
  readonly port: number;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #out: LineReader;

  private constructor(port: number, child: ChildProcessWithoutNullStreams) {
    this.port = port;
    this.#child = child;
    this.#out = new LineReader(child);
  }

  static async start(port: number): Promise<Sink> {
    const sink = new Sink(port, spawn(udpTool(), ['sink', String(port)]));
    const ready = await sink.#out.next();
    if (ready !== 'ready') throw new Error(`udp sink did not start: ${ready}`);
    return sink;
  }

  /** Packets and bytes received so far. */
  async count(): Promise<{ packets: number; bytes: number }> {
    this.#child.stdin.write('\n');
    const [packets, bytes] = (await this.#out.next()).split(' ').map(Number);
    return { packets: packets ?? 0, bytes: bytes ?? 0 };
  }

  stop(): void {
    this.#child.stdin.end();
  }
}

/** The loopback UDP ceiling: datagrams a second one sender gets to one receiver on this machine. */
export async function udpCeiling(seconds = 3, size = 1200): Promise<number> {
  const sink = await Sink.start(45_000 + Math.floor(Math.random() * 1000));
  const sent = Number(execFileSync(udpTool(), ['blast', String(sink.port), String(seconds), String(size)], { encoding: 'utf8' }).trim());
  await new Promise((resolve) => setTimeout(resolve, 200));
  const { packets } = await sink.count();
  sink.stop();
  return Math.round(Math.min(sent, packets) / seconds);
}

const CLK_TCK = 100;
/** The 1-minute load average when the benchmark process started (this module is loaded first thing). */
const loadAtStart = Math.round((os.loadavg()[0] ?? 0) * 100) / 100;

/** User + system CPU time of a process so far, in microseconds (from /proc/<pid>/stat). */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1_000_000) / CLK_TCK;
}

/** Resident set size of a process, bytes (from /proc/<pid>/status). */
export function rssBytes(pid: number): number {
  const kib = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kib ?? 0) * 1024;
}

export function machine(): Record<string, string | number> {
  const cpu = os.cpus()[0];
  return {
    cpuModel: cpu?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    node: process.version,
    /** Load when the benchmark started: well above 0 means something else was using the cores. */
    loadAverage1m: loadAtStart,
    /** Load when this was called (the end of the run: includes the benchmark's own load). */
    loadAverage1mAtEnd: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
}

export function writeResult(name: string, result: unknown): string {
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/** Prints rows as an aligned text table. */
export function printTable(rows: Array<Record<string, string | number>>): void {
  if (rows.length === 0) return;
  const keys = Object.keys(rows[0] as object);
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  console.log(line(keys));
  for (const row of rows) console.log(line(keys.map((k) => String(row[k]))));
}
