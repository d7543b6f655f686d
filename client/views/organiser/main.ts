// The organiser page (/organiser.html, issue #15), for the office clerk who prepares a conference: sign in
// with a user name and password (refusals in Vietnamese: wrong password, locked, disabled, too many tries),
// then a header with the organiser's name, the language switch and "Đăng xuất", and hash routes:
//   #/            the conference list         #/new         create a conference
//   #/c/<id>/<tab> the editor of one           #/accounts, #/audit   accounts and the audit log (administrators)
// Leaving an editor with unsaved changes asks first (another route, signing out, closing the tab).
import '../../zod-jitless.ts';
import { z } from 'zod';
import { OrganiserAccount, OrganiserSession, SignInBody } from '../../../shared/organiser.ts';
import { onLanguage, t, type Key } from '../../i18n.ts';
import { describeError, reasonCode } from '../../i18n/describe.ts';
import { button, fill, h, setText, tr } from '../../ui/dom.ts';
import { languageButton } from '../../ui/header.ts';
import { accountsView } from './accounts.ts';
import { api, keepToken, onSignedOut, organiserToken } from './api.ts';
import { auditView } from './audit.ts';
import { createView } from './create.ts';
import { editorView, loadConference } from './editor.ts';
import { heading } from './fields.ts';
import { listView } from './list.ts';
import '../../style.css';
import '../../ui/layouts.css';
import './organiser.css';

interface View {
  readonly el: HTMLElement;
  canLeave?(): boolean;
  /** True while the view holds changes not saved yet (an expired session then keeps them). */
  unsaved?(): boolean;
  close?(): void;
}

const root = document.getElementById('app') ?? document.body;
let account: OrganiserAccount | null = null;
let view: View | null = null;
/** Bumped on every route, so a slow load does not land on a page the person already left. */
let visit = 0;

const Me = z.object({ account: OrganiserAccount });

// --- Sign-in -----------------------------------------------------------------------------------------

/** The sign-in form; `done` is called with the account once the hub took the password. */
function signInForm(notice: Key | null, username0: string, done: (account: OrganiserAccount) => void): HTMLFormElement {
  const username = h('input', { attrs: { type: 'text', name: 'username', autocomplete: 'username', required: true, maxlength: 64 } });
  username.value = username0;
  const password = h('input', { attrs: { type: 'password', name: 'password', autocomplete: 'current-password', required: true } });
  const problem = h(
    'p',
    { class: 'org-signin-error', attrs: { role: 'alert', hidden: notice === null }, data: { kind: 'notice' } },
    notice ? t(notice) : '',
  );
  const submit = h('button', { class: 'primary big', attrs: { type: 'submit' }, data: { action: 'sign-in' } }, tr('org.signIn.submit'));
  const say = (text: string, code: string): void => {
    problem.hidden = false;
    problem.dataset['kind'] = 'error';
    problem.dataset['reason'] = code;
    setText(problem, text);
  };
  async function send(): Promise<void> {
    const body = SignInBody.safeParse({ username: username.value.trim(), password: password.value });
    if (!body.success) return say(t('org.signIn.missing'), 'missing');
    submit.disabled = true;
    try {
      const session = await api(OrganiserSession, '/organiser/session', 'POST', body.data);
      keepToken(session.token);
      done(session.account);
    } catch (error) {
      say(describeError(error), reasonCode(error));
      password.select();
    } finally {
      submit.disabled = false;
    }
  }
  return h(
    'form',
    {
      class: 'org-signin',
      on: {
        submit: (event) => {
          event.preventDefault();
          void send();
        },
      },
    },
    h('div', { class: 'org-signin-lang' }, languageButton()),
    heading('org.title'),
    tr('org.signIn.intro', 'p', { class: 'muted' }),
    h('label', { class: 'field' }, tr('org.signIn.username'), username),
    h('label', { class: 'field' }, tr('org.signIn.password'), password),
    problem,
    submit,
  );
}

function signIn(notice: Key | null = null): void {
  account = null;
  closeView();
  document.body.dataset['signedIn'] = 'false';
  document.title = `${t('org.title')} — diemcau`;
  const form = signInForm(notice, '', signedIn);
  fill(root, h('main', { class: 'org-signin-page' }, form));
  form.querySelector('input')?.focus();
}

/** The session ended under an editor with unsaved changes: sign in again over it, the draft kept. */
let overlay: HTMLElement | null = null;
function signInAgain(): void {
  if (overlay) return;
  const form = signInForm('org.signIn.expiredKept', account?.username ?? '', (next) => {
    overlay?.remove();
    overlay = null;
    account = next;
    setText(who, next.displayName || next.username);
  });
  overlay = h('div', { class: 'org-overlay', attrs: { role: 'dialog', 'aria-modal': 'true' } }, form);
  document.body.append(overlay);
  form.querySelector<HTMLInputElement>('input[name=password]')?.focus();
}

// --- The signed-in page ------------------------------------------------------------------------------

const main = h('main', { class: 'org-main', attrs: { id: 'org-main', tabindex: -1 } });
const who = h('span', { class: 'org-who', data: { who: '' } });
const nav = h('nav', { class: 'org-nav', label: 'org.nav' });

function navLink(href: string, key: Key, name: string): HTMLAnchorElement {
  return h('a', { class: 'org-nav-link', attrs: { href }, data: { nav: name } }, tr(key));
}

function signedIn(next: OrganiserAccount): void {
  account = next;
  document.body.dataset['signedIn'] = 'true';
  document.body.dataset['admin'] = String(next.admin);
  fill(
    nav,
    navLink('#/', 'org.nav.conferences', 'list'),
    next.admin ? navLink('#/accounts', 'org.nav.accounts', 'accounts') : null,
    next.admin ? navLink('#/audit', 'org.nav.audit', 'audit') : null,
  );
  setText(who, next.displayName || next.username);
  who.dataset['who'] = next.username;
  who.title = next.username;
  const header = h(
    'header',
    { class: 'org-header' },
    h('a', { class: 'org-brand', attrs: { href: '#/' } }, tr('org.title', 'strong')),
    nav,
    h(
      'div',
      { class: 'org-header-end' },
      who,
      languageButton(),
      button('org.signOut', () => void signOut(), { data: { action: 'sign-out' } }),
    ),
  );
  fill(root, h('a', { class: 'org-skip', attrs: { href: '#org-main' } }, tr('org.skip')), header, main);
  route();
}

async function signOut(): Promise<void> {
  if (view?.canLeave && !view.canLeave()) return;
  await api(z.unknown(), '/organiser/session', 'DELETE').catch(() => undefined);
  keepToken(null);
  signIn('org.signIn.signedOut');
}

// --- Routes ------------------------------------------------------------------------------------------

function closeView(): void {
  view?.close?.();
  view = null;
}

function show(next: View, navName: string): void {
  closeView();
  view = next;
  fill(main, next.el);
  for (const link of nav.querySelectorAll<HTMLAnchorElement>('a')) {
    if (link.dataset['nav'] === navName) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function message(key: Key, text?: string, code = ''): View {
  const el = h('section', { class: 'org-page-message' }, h('p', { attrs: { role: 'alert' }, data: { reason: code } }, text ?? t(key)));
  el.append(h('a', { attrs: { href: '#/' } }, tr('org.back')));
  return { el };
}

function route(): void {
  if (!account) return;
  const me = account;
  const current = ++visit;
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const [head = '', id, tab] = parts;
  document.title = `${t('org.title')} — diemcau`;
  if (head === '') show(listView(), 'list');
  else if (head === 'new') {
    show({ el: createView((spec) => current === visit && show(editorView(spec, null, 'general'), 'list')) }, 'list');
  } else if (head === 'c' && id) {
    show({ el: h('p', { class: 'muted org-page-message' }, t('org.loading')) }, 'list');
    loadConference(id)
      .then((stored) => current === visit && show(editorView(stored.spec, stored, tab), 'list'))
      .catch((error: unknown) => current === visit && show(message('org.loading', describeError(error), reasonCode(error)), 'list'));
  } else if ((head === 'accounts' || head === 'audit') && !me.admin) show(message('org.adminOnly'), '');
  else if (head === 'accounts') show({ el: accountsView(me) }, 'accounts');
  else if (head === 'audit') show({ el: auditView() }, 'audit');
  else show(message('org.notFound'), '');
  main.focus({ preventScroll: true });
}

addEventListener('hashchange', (event) => {
  if (!account) return;
  // An editor with unsaved changes may keep the page: the address goes back, quietly.
  if (view?.canLeave && !view.canLeave()) {
    history.replaceState(null, '', event.oldURL);
    return;
  }
  route();
});

onSignedOut(() => {
  if (!account) return;
  if (view?.unsaved?.()) signInAgain();
  else signIn('org.signIn.expired');
});
onLanguage(() => {
  if (!account || location.hash.startsWith('#/c/') || location.hash === '#/new') return;
  document.title = `${t('org.title')} — diemcau`;
});

// --- Start -------------------------------------------------------------------------------------------

if (organiserToken()) {
  api(Me, '/organiser/me')
    .then(({ account: a }) => signedIn(a))
    .catch(() => signIn());
} else signIn();
