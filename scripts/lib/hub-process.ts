// Runs the hub as users do (`node server/main.ts`) in a child process, with JSON logs on stdout.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { tempDataDir } from './data-dir.ts';

const mainFile = fileURLToPath(new URL('../../server/main.ts', import.meta.url));

export interface HubProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Parsed JSON log lines so far. */
  readonly logs: Array<Record<string, unknown>>;
  readonly stderr: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnHub(env: Record<string, string> = {}): HubProcess {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', mainFile], {
    env: {
      ...process.env,
      DIEMCAU_DATA_DIR: tempDataDir(),
      DIEMCAU_HOST: '127.0.0.1',
      DIEMCAU_PORT: '0',
      DIEMCAU_LOG_FORMAT: 'json',
      DIEMCAU_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    partial += chunk.toString();
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ raw: line });
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, logs, stderr: () => stderr, exited };
}

/** Resolves with the port once the hub logs that it listens; rejects if it exits first. */
export async function hubPort(hub: HubProcess, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void hub.exited.then(() => (exited = true));
  for (;;) {
    const line = hub.logs.find((l) => l.msg === 'hub listening');
    if (line) return line.port as number;
    if (exited || Date.now() > deadline) {
      throw new Error(`hub did not start:\n${JSON.stringify(hub.logs)}\n${hub.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
