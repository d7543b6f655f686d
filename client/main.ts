// Entry: read the credential from the address (`?code=ABCD-EFGH` or `#token=...`), or ask for a join
// code; then start the app, which picks the host console, the point console or the room display by the
// role the credential carries.
import type { HandshakeAuth } from '../shared/protocol.ts';
import { startApp, type ViewFactory } from './app.ts';
import { lang, t } from './i18n.ts';
import { button, field, h, tr } from './ui/dom.ts';
import { languageButton } from './ui/header.ts';
import { RoomDisplay } from './views/display.ts';
import { HostConsole } from './views/host/console.ts';
import { PointConsole } from './views/point/console.ts';
import './style.css';

const createView: ViewFactory = (role, ctx) => {
  if (role === 'host' || role === 'cohost') return new HostConsole(ctx);
  if (role === 'viewer') return new RoomDisplay(ctx);
  return new PointConsole(ctx);
};

function credentialFromAddress(): HandshakeAuth | null {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (token) return { token };
  const code = new URLSearchParams(location.search).get('code');
  if (code) return { code };
  return null;
}

function showJoinForm(root: HTMLElement, error?: string): void {
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
          join(root, { code });
        },
      },
    },
    tr('join.title', 'h2'),
    field('join.code', input),
    tr('join.hint', 'p', { class: 'hint' }),
    error ? h('p', { class: 'error', attrs: { role: 'alert' } }, t('join.refused', { message: error })) : null,
    h('div', { class: 'join-actions' }, button('join.submit', () => undefined, { class: 'primary', attrs: { type: 'submit' } }), languageButton()),
  );
  root.replaceChildren(h('main', { class: 'join-page' }, form));
  input.focus();
}

function join(root: HTMLElement, auth: HandshakeAuth): void {
  root.replaceChildren(h('main', { class: 'join-page' }, tr('link.connecting', 'p', { class: 'connecting' })));
  startApp(root, auth, createView, (message) => showJoinForm(root, message));
}

document.documentElement.lang = lang();
const root = document.getElementById('app') ?? document.body;
const auth = credentialFromAddress();
if (auth) join(root, auth);
else showJoinForm(root);
