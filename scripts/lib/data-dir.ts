import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh data folder (database file, documents) for one test file's hub. */
export const tempDataDir = (): string => mkdtempSync(join(tmpdir(), 'diemcau-data-'));
