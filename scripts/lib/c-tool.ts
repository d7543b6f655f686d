// Small C helpers of the benchmarks and network tests (udp-tool, tun-link): compiled on demand with the
// system's cc into the user's cache, and driven over their stdin/stdout one line at a time.
import { execFileSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Path of the binary built from `source` (a .c file) in ~/.cache/diemcau/<folder>, rebuilt when older than its source. */
export function compiledTool(source: URL, folder: string): string {
  const file = fileURLToPath(source);
  const cacheDir = join(process.env['XDG_CACHE_HOME'] ?? join(os.homedir(), '.cache'), 'diemcau', folder);
  const bin = join(cacheDir, basename(file, '.c'));
  if (!existsSync(bin) || statSync(bin).mtimeMs < statSync(file).mtimeMs) {
    mkdirSync(cacheDir, { recursive: true });
    execFileSync('cc', ['-O2', '-Wall', '-o', bin, file], { stdio: 'inherit' });
  }
  return bin;
}

/** The lines a child process prints, read in order; once it has exited, every read answers "exited". */
export class LineReader {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: string[] = [];
  #waiters: Array<(line: string) => void> = [];

  constructor(child: ChildProcessWithoutNullStreams) {
    this.#child = child;
    child.stdout.setEncoding('utf8');
    let partial = '';
    child.stdout.on('data', (chunk: string) => {
      partial += chunk;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const waiter = this.#waiters.shift();
        if (waiter) waiter(line);
        else this.#lines.push(line);
      }
    });
    child.on('exit', () => {
      for (const waiter of this.#waiters.splice(0)) waiter('exited');
    });
  }

  next(): Promise<string> {
    const line = this.#lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return Promise.resolve('exited');
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
