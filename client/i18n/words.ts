// One area's words in both languages, checked together: a key the Vietnamese has and the English lacks (or
// the reverse) fails to compile. Each feature keeps its words in its own file (client/i18n/<area>.ts) and
// client/i18n.ts merges them with the interface's core words (vi.ts, en.ts).
export function words<const K extends string>(
  vi: Record<K, string>,
  en: Record<K, string>,
): { vi: Record<K, string>; en: Record<K, string> } {
  return { vi, en };
}
