import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh data folder (database file, documents) for one hub: a test file's or a benchmark's. */
export const tempDataDir = (): string => mkdtempSync(join(tmpdir(), 'diemcau-data-'));
