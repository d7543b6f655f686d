// Rates over a time window, for tests and benchmarks that measure what flows now rather than in total.

/** Reads every measure, waits `ms`, reads again: how much each grew in that window. */
export async function growth<K>(ms: number, measures: ReadonlyMap<K, () => number>): Promise<Map<K, number>> {
  const before = new Map([...measures].map(([k, f]) => [k, f()]));
  await new Promise((resolve) => setTimeout(resolve, ms));
  return new Map([...measures].map(([k, f]) => [k, f() - (before.get(k) ?? 0)]));
}
