// Hostile values for the fuzz tests (fast-check arbitraries): odd unicode, special numbers, prototype keys,
// deep nesting, huge arrays, binary, and anything at all; plus a database dump to prove nothing changed.
import fc from 'fast-check';
import type { Database } from '../../server/store/db.ts';

/** One seed for every fuzz run, so a failure in CI replays the same inputs (FUZZ_SEED overrides it). */
export const SEED = Number(process.env.FUZZ_SEED ?? 20261123);

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'] as const;

export const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDC00x',
  'x\uD83D',
  '\u202Eevil\u202C',
  '\u200F\u200E\u061C',
  '\u200B\u200C\u200D\uFEFF',
  '\u0301\u0301\u0301',
  '👨‍👩‍👧‍👦🏳️‍🌈🇻🇳',
  'Điểm cầu Hà Nội',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  "'; DROP TABLE questions; --",
  '=cmd|"/c calc"!A1',
  '../../../../etc/passwd',
  '%00%2e%2e%2f',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, meant as plain text.
  '${7*7}{{7*7}}',
  '__proto__',
  'x'.repeat(70_000),
  '😀'.repeat(20_000),
] as const;

export const ODD_NUMBERS = [
  NaN,
  Infinity,
  -Infinity,
  -0,
  0,
  -1,
  0.5,
  1e308,
  -1e308,
  5e-324,
  2 ** 31,
  2 ** 53 + 2,
  Number.MAX_VALUE,
] as const;

export const oddString = fc.oneof(
  fc.constantFrom(...ODD_STRINGS),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: fc.constantFrom('\uD800', '\uDFFF', '\u202E', '\u200B', '\u0000', 'a', '<', '"'), maxLength: 50 }),
);

export const oddNumber = fc.oneof(fc.constantFrom(...ODD_NUMBERS), fc.double(), fc.integer());

const key = fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 12 }), fc.constantFrom(...ODD_STRINGS.slice(0, 12)));

/** Arrays or objects nested `depth` deep. */
export const deepNesting = fc.tuple(fc.integer({ min: 20, max: 1000 }), fc.boolean()).map(([depth, asArray]) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { a: value };
  return value;
});

export const hugeArray = fc.oneof(
  fc.integer({ min: 1000, max: 60_000 }).map((n) => new Array<number>(n).fill(0)),
  fc.integer({ min: 100, max: 5000 }).map((n) => Array.from({ length: n }, (_, i) => ({ [`k${i}`]: i }))),
);

export const binary = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)),
  fc.uint8Array({ maxLength: 256 }),
  fc.constant(new ArrayBuffer(16)),
);

/** An object whose own key is `__proto__` (as JSON.parse makes it), to try prototype pollution. */
export const protoObject = fc
  .tuple(fc.constantFrom(...PROTO_KEYS), fc.anything({ maxDepth: 1, withBigInt: false }))
  .map(([k, v]) => JSON.parse(`{${JSON.stringify(k)}: ${JSON.stringify(v ?? null) ?? 'null'}, "polluted": true}`) as unknown);

export const anything = fc.anything({
  key,
  maxDepth: 4,
  maxKeys: 6,
  withBigInt: false,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
  values: [oddString, oddNumber, fc.boolean(), fc.constant(null), fc.constant(undefined)],
});

/** Any hostile value, each category equally likely. */
export const hostile = fc.oneof(
  anything,
  oddString,
  oddNumber,
  deepNesting,
  hugeArray,
  binary,
  protoObject,
  fc.constantFrom(null, undefined, true, []),
);

const isBinary = (v: unknown): boolean => ArrayBuffer.isView(v) || v instanceof ArrayBuffer;

function hasBinary(v: unknown, depth = 0): boolean {
  if (isBinary(v)) return true;
  if (v === null || typeof v !== 'object' || depth > 2000) return false;
  return Object.values(v).some((x) => hasBinary(x, depth + 1));
}

/** socket.io-client's binary split: it copies objects by assignment, so a `__proto__` key is lost. */
function deconstruct(v: unknown): unknown {
  if (isBinary(v)) return { __binary: true };
  if (Array.isArray(v)) return v.map(deconstruct);
  if (v === null || typeof v !== 'object' || v instanceof Date) return v;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) out[key] = deconstruct((v as Record<string, unknown>)[key]);
  return out;
}

/** What socket.io (JSON plus binary attachments) makes of a value on the other side, binary as a marker. */
export function overTheWire(value: unknown): unknown {
  const text = JSON.stringify([hasBinary(value) ? deconstruct(value) : value]);
  return (JSON.parse(text) as unknown[])[0];
}

/** Every row of every table, in a stable order: equal dumps mean the database did not change. */
export function dumpDatabase(db: Database): Record<string, unknown[]> {
  const tables = db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  return Object.fromEntries(tables.map(({ name }) => [name, db.all(`SELECT * FROM "${name}" ORDER BY rowid`)]));
}

/** Counts items by a label, for the summary a fuzz run prints. */
export function countBy<T>(items: T[], by: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[by(item)] = (counts[by(item)] ?? 0) + 1;
  return counts;
}
