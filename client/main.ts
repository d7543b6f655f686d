// Entry: read the credential from the address (`?code=ABCD-EFGH` or `#token=...`), or ask for a join
// code; then start the app, which picks the host console, the point console or the room display by the
// role the credential carries. A join code of a role that acts is good for one join: the session token of
// its welcome is kept in localStorage under a hash of the code (never the code), so reloading the same
// page on the same PC joins with that token; if the hub refuses it, the code form shows why, in the
// interface's words for the hub's reason.
import './zod-jitless.ts';
import type { HandshakeAuth } from '../shared/protocol.ts';
import { isModerator, normaliseCode, readsRecords } from '../shared/rules.ts';
import { startApp, type OnRefused, type ViewFactory } from './app.ts';
import { lang, onLanguage, t } from './i18n.ts';
import { describeError, reasonCode } from './i18n/describe.ts';
import { button, field, h, tr } from './ui/dom.ts';
import { languageButton } from './ui/header.ts';
import { RoomDisplay } from './views/display.ts';
import { HostConsole } from './views/host/console.ts';
import { PointConsole } from './views/point/console.ts';
import './style.css';

const STORE_PREFIX = 'diemcau.session.';

/** A storage key for a code: SHA-256 where the page has WebCrypto (secure contexts), FNV-1a otherwise. */
async function codeKey(code: string): Promise<string> {
  const text = `diemcau:${normaliseCode(code)}`;
  if (globalThis.crypto?.subtle) {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
    return STORE_PREFIX + Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  }
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
  return `${STORE_PREFIX}f${hash.toString(16)}`;
}

const storage = {
  get(key: string): string | null {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key: string, value: string | null): void {
    try {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch {
      // Storage disabled: a reload then needs a new code.
    }
  },
};

/** The token's expiry (seconds) from its payload, without trusting anything else in it. */
function tokenExpired(token: string): boolean {
  try {
    const payload = JSON.parse(atob((token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof payload.exp === 'number' && payload.exp * 1000 <= Date.now();
  } catch {
    return true;
  }
}

/** Where the first welcome's session token is kept for this page's code, if it joined with one. */
let rememberAs: string | null = null;

const createView: ViewFactory = (role, ctx) => {
  if (rememberAs && ctx.credential) storage.set(rememberAs, ctx.credential);
  if (isModerator(role)) return new HostConsole(ctx);
  // Roles that read no records (the room display) get the kiosk; the point's operators their console.
  if (!readsRecords(role)) return new RoomDisplay(ctx);
  return new PointConsole(ctx);
};

function credentialFromAddress(): HandshakeAuth | null {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (token) return { token };
  const code = new URLSearchParams(location.search).get('code');
  if (code) return { code };
  return null;
}

/** The join form's refusal line, re-drawn when the language changes. */
let refusalLine: { el: HTMLElement; off: () => void } | null = null;

function refusalText(refusal: unknown): HTMLElement {
  refusalLine?.off();
  const el = h('p', { class: 'error', attrs: { role: 'alert' }, data: { reason: reasonCode(refusal) } });
  const draw = (): void => {
    el.textContent = t('join.refused', { message: describeError(refusal) });
  };
  draw();
  refusalLine = { el, off: onLanguage(draw) };
  return el;
}

function showJoinForm(root: HTMLElement, refusal?: unknown): void {
  const input = h('input', {
    attrs: {
      name: 'code',
      autocomplete: 'off',
      autocapitalize: 'characters',
      spellcheck: 'false',
      required: true,
      minlength: 4,
      maxlength: 32,
      placeholder: 'ABCD-EFGH',
    },
  });
  const form = h(
    'form',
    {
      class: 'join',
      on: {
        submit: (event) => {
          event.preventDefault();
          const code = input.value.trim();
          if (!code) return;
          const url = new URL(location.href);
          url.searchParams.set('code', code);
          url.hash = '';
          history.replaceState(null, '', url);
          void joinWithCode(root, code);
        },
      },
    },
    tr('join.title', 'h2'),
    field('join.code', input),
    tr('join.hint', 'p', { class: 'hint' }),
    refusal !== undefined ? refusalText(refusal) : null,
    h(
      'div',
      { class: 'join-actions' },
      button('join.submit', () => undefined, { class: 'primary', attrs: { type: 'submit' } }),
      languageButton(),
    ),
  );
  const organiser = h('a', { class: 'join-organiser', attrs: { href: '/organiser.html' } }, tr('join.organiser', 'span'));
  root.replaceChildren(h('main', { class: 'join-page' }, form, organiser));
  input.focus();
}

function join(root: HTMLElement, auth: HandshakeAuth, onRefused: OnRefused = (refusal) => showJoinForm(root, refusal)): void {
  refusalLine?.off();
  refusalLine = null;
  root.replaceChildren(h('main', { class: 'join-page' }, tr('link.connecting', 'p', { class: 'connecting' })));
  startApp(root, auth, createView, onRefused);
}

/** Joins with the token kept for this code when there is one, else with the code (and keeps its token). */
async function joinWithCode(root: HTMLElement, code: string): Promise<void> {
  const key = await codeKey(code);
  const stored = storage.get(key);
  if (stored && !tokenExpired(stored)) {
    join(root, { token: stored }, (refusal) => {
      storage.set(key, null);
      showJoinForm(root, refusal);
    });
    return;
  }
  storage.set(key, null);
  rememberAs = key;
  join(root, { code });
}

document.documentElement.lang = lang();
const root = document.getElementById('app') ?? document.body;
const auth = credentialFromAddress();
if (auth && 'code' in auth) void joinWithCode(root, auth.code);
else if (auth) join(root, auth);
else showJoinForm(root);
