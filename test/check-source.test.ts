// scripts/check-source.ts on small trees written for the purpose: a clean tree passes, and each rule
// finds the one violation planted for it, at the right file and line.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkSource, MAX_LINE, MAX_LINES } from '../scripts/check-source.ts';

const roots: string[] = [];

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A repository-like tree: a few clean files plus `extra` (path → content). */
function tree(extra: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'check-source-'));
  roots.push(root);
  const files: Record<string, string> = {
    'shared/a.ts': "import type { B } from './b.ts';\nexport type A = B;\n",
    'shared/b.ts': 'export type B = string;\n',
    'server/main.ts': "import { x } from './lib.ts';\n// import { y } from './main.ts';\nconsole.log(x);\n",
    'server/lib.ts': `export const x = 1;\n${'\n'.repeat(MAX_LINES - 1)}`,
    'scripts/tool.ts': "import { x } from '../server/lib.ts';\nconsole.log(x);\n",
    'test/helpers/util.ts': `export const long = '${'x'.repeat(MAX_LINE - 23)}';\n`,
    'node_modules/dep/big.ts': `${'y'.repeat(MAX_LINE + 1)}\n`,
    ...extra,
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('check-source', () => {
  it('a clean tree has no finding', () => {
    expect(checkSource(tree())).toEqual([]);
  });

  it('a line over the limit, with its file and line', () => {
    const findings = checkSource(tree({ 'config/c.ts': `const a = 1;\nexport const b = '${'é'.repeat(MAX_LINE)}';\n` }));
    expect(findings).toEqual([expect.objectContaining({ file: 'config/c.ts', line: 2, rule: 'line-length' })]);
  });

  it('a source file over the limit', () => {
    const findings = checkSource(tree({ 'client/big.css': 'a {}\n'.repeat(MAX_LINES + 1) }));
    expect(findings).toEqual([expect.objectContaining({ file: 'client/big.css', rule: 'file-length' })]);
  });

  it('an import cycle, `import type` included, naming every file on it', () => {
    const findings = checkSource(
      tree({
        'server/p.ts': "import { q } from './q.ts';\nexport const p = q;\n",
        'server/q.ts': "export const q = 1;\nimport type {\n  R,\n} from '../shared/r.ts';\nexport type Q = R;\n",
        'shared/r.ts': "export type { P } from '../server/p.ts';\nexport type R = number;\n",
      }),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'import-cycle' });
    expect(findings[0]?.message).toContain('server/p.ts:1 → server/q.ts:2 → shared/r.ts:1 → server/p.ts');
  });

  it('a script importing from test/', () => {
    const findings = checkSource(
      tree({ 'scripts/bench/b.ts': "\nimport { long } from '../../test/helpers/util.ts';\nconsole.log(long);\n" }),
    );
    expect(findings).toEqual([expect.objectContaining({ file: 'scripts/bench/b.ts', line: 2, rule: 'script-imports-test' })]);
  });
});
