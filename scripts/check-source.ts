// Source rules no formatter or linter checks, run by `npm test`: lines of at most 140 characters, source
// files of at most 400 lines, no import cycle (`import type` counts), and no script importing from test/.
// Each finding names its file and line; any finding makes the run fail. No dependency: relative import
// specifiers are read with a regular expression over the text with its comments blanked out.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAX_LINE = 140;
export const MAX_LINES = 400;
const LINE_DIRS = ['server', 'client', 'shared', 'config', 'scripts', 'test'];
const SIZE_DIRS = ['server', 'client', 'shared', 'test/helpers'];
const SOURCE_EXT = /\.(ts|js|mjs|css|html)$/;
/** Folders never read: installed, generated, run-time data, and the vendored worker build (by path from the root). */
const SKIP = new Set(['node_modules', 'dist', 'data', 'test-results', '.git', '.scratch', 'scripts/worker']);

export interface Finding {
  file: string;
  line: number;
  rule: 'line-length' | 'file-length' | 'import-cycle' | 'script-imports-test';
  message: string;
}

function walk(root: string, dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (!statSync(path).isDirectory()) out.push(path);
    else if (!SKIP.has(name) && !SKIP.has(relative(root, path).split(sep).join('/'))) walk(root, path, out);
  }
  return out;
}

/** The text with comments replaced by spaces (newlines kept, so offsets still give line numbers). */
function blankComments(text: string): string {
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  return text.replace(/('(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`)|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m, str) =>
    str ? m : blank(m),
  );
}

const IMPORT = /\b(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]*?\s*from\s*)?['"]([^'"\n]+)['"]|\bimport\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g;

/** Relative imports of a file that resolve to a file in the repository: [target path, line]. */
export function relativeImports(file: string, text: string): Array<[string, number]> {
  const code = blankComments(text);
  const found: Array<[string, number]> = [];
  for (const m of code.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? '';
    if (!spec.startsWith('.')) continue;
    const base = resolve(dirname(file), spec);
    const target = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')].find(
      (p) => existsSync(p) && statSync(p).isFile(),
    );
    if (target) found.push([target, code.slice(0, m.index).split('\n').length]);
  }
  return found;
}

/** Every cycle the depth-first walk meets (one per back edge), as the files along it with each import's line. */
function cycles(graph: Map<string, Array<[string, number]>>): Array<Array<[string, number]>> {
  const state = new Map<string, 'open' | 'done'>();
  const stack: Array<[string, number]> = [];
  const found: Array<Array<[string, number]>> = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    for (const [target, line] of graph.get(file) ?? []) {
      stack.push([file, line]);
      if (state.get(target) === 'open') found.push(stack.slice(stack.findIndex(([f]) => f === target)));
      else if (!state.has(target) && graph.has(target)) visit(target);
      stack.pop();
    }
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

export function checkSource(root: string): Finding[] {
  const findings: Finding[] = [];
  const rel = (p: string) => relative(root, p).split(sep).join('/');
  for (const file of LINE_DIRS.flatMap((d) => walk(root, join(root, d))).filter((f) => f.endsWith('.ts'))) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        const length = [...text].length;
        if (length > MAX_LINE) {
          findings.push({ file: rel(file), line: i + 1, rule: 'line-length', message: `${length} characters (at most ${MAX_LINE})` });
        }
      });
  }
  for (const file of SIZE_DIRS.flatMap((d) => walk(root, join(root, d))).filter((f) => SOURCE_EXT.test(f))) {
    const lines = readFileSync(file, 'utf8').replace(/\n$/, '').split('\n').length;
    if (lines > MAX_LINES) {
      findings.push({ file: rel(file), line: 1, rule: 'file-length', message: `${lines} lines (at most ${MAX_LINES})` });
    }
  }
  const graph = new Map<string, Array<[string, number]>>();
  for (const file of walk(root, root).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))) {
    graph.set(file, relativeImports(file, readFileSync(file, 'utf8')));
  }
  const scripts = join(root, 'scripts') + sep;
  const test = join(root, 'test') + sep;
  for (const [file, imports] of graph) {
    if (!file.startsWith(scripts)) continue;
    for (const [target, line] of imports.filter(([t]) => t.startsWith(test))) {
      const message = `imports ${rel(target)} (scripts must not depend on test/)`;
      findings.push({ file: rel(file), line, rule: 'script-imports-test', message });
    }
  }
  for (const cycle of cycles(graph)) {
    const [first, line] = cycle[0] as [string, number];
    const path = [...cycle.map(([f, l]) => `${rel(f)}:${l}`), rel(first)].join(' → ');
    findings.push({ file: rel(first), line, rule: 'import-cycle', message: `import cycle: ${path}` });
  }
  return findings;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const findings = checkSource(root);
  for (const f of findings) console.error(`${f.file}:${f.line}: ${f.rule}: ${f.message}`);
  if (findings.length > 0) {
    console.error(`check-source: ${findings.length} finding(s)`);
    process.exit(1);
  }
  console.log('check-source: ok');
}
