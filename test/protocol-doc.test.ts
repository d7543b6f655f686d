import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { protocolDoc } from '../scripts/protocol-doc.ts';

it('docs/protocol.md matches the schemas (run `npm run docs:protocol` after changing shared/protocol.ts)', () => {
  expect(readFileSync(new URL('../docs/protocol.md', import.meta.url), 'utf8')).toBe(protocolDoc());
});
