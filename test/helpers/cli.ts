// The operator CLI against one data folder, for tests: as a real process (cli), in this process (run: faster,
// for the cases that need no real process), and the database opened directly (withDb).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../server/cli.ts';
import { Database } from '../../server/store/db.ts';

const cliFile = fileURLToPath(new URL('../../server/cli.ts', import.meta.url));

export interface CliOutput<C> {
  code: C;
  stdout: string;
  stderr: string;
}

export function cliOn(dataDir: string) {
  return {
    cli(...args: string[]): Promise<CliOutput<number | null>> {
      const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', cliFile, ...args], {
        env: { ...process.env, DIEMCAU_DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
    },
    async run(...args: string[]): Promise<CliOutput<number>> {
      let stdout = '';
      let stderr = '';
      const code = await runCli(args, { DIEMCAU_DATA_DIR: dataDir }, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
      return { code, stdout, stderr };
    },
    async withDb<T>(work: (db: Database) => T | Promise<T>): Promise<T> {
      const db = new Database(dataDir);
      try {
        return await work(db);
      } finally {
        db.close();
      }
    },
  };
}
