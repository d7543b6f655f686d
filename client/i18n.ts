// Vietnamese first, English on request. The words live in client/i18n/: the interface's (vi.ts, en.ts:
// a key missing in English fails to compile) and the hub's refusal reasons (reasons-*.ts, put in words by
// i18n/describe.ts). The choice is kept in localStorage; elements drawn with `label()`/`tr()` follow a
// switch at once (ui/dom.ts re-draws them), and views re-draw their dynamic text on `onLanguage`. Nothing
// here touches the DOM, so the words can be checked without a browser.
import { backchannelWords } from './i18n/backchannel.ts';
import { check } from './i18n/check.ts';
import { codesWords } from './i18n/codes.ts';
import { en as coreEn } from './i18n/en.ts';
import { vi as coreVi } from './i18n/vi.ts';
import { wallWords } from './i18n/wall.ts';
import { flowsWords } from './i18n/flows.ts';
import { layoutWords } from './i18n/layouts.ts';
import { programmeWords } from './i18n/programme.ts';
import { recordingWords } from './i18n/recording.ts';
import { organiserWords } from './i18n/organiser.ts';
import { organiserPointsWords } from './i18n/organiser-points.ts';

/** Every area's words: the core ones, then one spread per feature's own words (client/i18n/<area>.ts). */
const vi = {
  ...coreVi,
  ...codesWords.vi,
  ...backchannelWords.vi,
  ...wallWords.vi,
  ...check.vi,
  ...flowsWords.vi,
  ...layoutWords.vi,
  ...programmeWords.vi,
  ...recordingWords.vi,
  ...organiserWords.vi,
  ...organiserPointsWords.vi,
};
const en: Record<Key, string> = {
  ...coreEn,
  ...codesWords.en,
  ...backchannelWords.en,
  ...wallWords.en,
  ...check.en,
  ...flowsWords.en,
  ...layoutWords.en,
  ...programmeWords.en,
  ...recordingWords.en,
  ...organiserWords.en,
  ...organiserPointsWords.en,
};
export type Key = keyof typeof vi;
export type Lang = 'vi' | 'en';

const STORAGE_KEY = 'diemcau.lang';
const listeners = new Set<() => void>();
let current: Lang = readStored();

function readStored(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

export function lang(): Lang {
  return current;
}

/** `template` with its `{name}` placeholders filled from `vars` (numbers written the language's way). */
export function fill(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined ? whole : typeof value === 'number' ? formatNumber(value) : value;
  });
}

/** The words of `key` in the current language, placeholders unfilled. */
export function template(key: Key): string {
  return current === 'en' ? en[key] : vi[key];
}

/** The text for `key` in the current language, with `{name}` placeholders filled. */
export function t(key: Key, vars: Record<string, string | number> = {}): string {
  return fill(template(key), vars);
}

const formats = new Map<Lang, Intl.NumberFormat>();

/** 7.25 → "7,3" in Vietnamese, "7.3" in English; at most one decimal. */
export function formatNumber(value: number): string {
  let format = formats.get(current);
  if (!format) formats.set(current, (format = new Intl.NumberFormat(current === 'en' ? 'en-GB' : 'vi-VN', { maximumFractionDigits: 1 })));
  return format.format(value);
}

export function setLang(next: Lang): void {
  if (next === current) return;
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Private windows may refuse storage; the switch still holds for this page.
  }
  for (const listener of listeners) listener();
}

export function onLanguage(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** "m:ss" (or "h:mm:ss") for a countdown. */
export function clock(totalSeconds: number): string {
  const s = Math.max(0, Math.ceil(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Wall-clock time of day, "08:05". */
export function timeOfDay(epochMs: number): string {
  const d = new Date(epochMs);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
