// Organiser accounts, for administrators: the list (user name, name, rights, state, last sign-in), a form
// to create one (user name, display name, the password twice, administrator or not) checked with the hub's
// schemas as it is typed, and per account: disable or enable, reset the password, give or take the
// administrator's rights. An administrator cannot disable or demote itself (the buttons say so). Refusals in words.
import { z } from 'zod';
import { CreateAccountBody, DisplayName, OrganiserAccount, Password, Username } from '../../../shared/organiser.ts';
import { onLanguage, t } from '../../i18n.ts';
import { describeError, reasonCode } from '../../i18n/describe.ts';
import { button, fill, h, setText, tr } from '../../ui/dom.ts';
import { api } from './api.ts';
import { fieldBox, heading, markField } from './fields.ts';
import { check, epochText } from './form.ts';

const List = z.object({ accounts: z.array(OrganiserAccount) });

export function accountsView(self: OrganiserAccount): HTMLElement {
  let accounts: OrganiserAccount[] = [];
  const status = h('p', { class: 'org-message', attrs: { role: 'status', 'aria-live': 'polite' } });
  const say = (text: string, bad = false, code = ''): void => {
    status.textContent = text;
    status.dataset['bad'] = String(bad);
    status.dataset['reason'] = code;
  };
  const fail = (error: unknown): void => say(describeError(error), true, reasonCode(error));

  // The new account's form.
  const username = h('input', { attrs: { type: 'text', maxlength: 32, autocomplete: 'off', spellcheck: 'false' } });
  const displayName = h('input', { attrs: { type: 'text', maxlength: 100, autocomplete: 'off' } });
  const password = h('input', { attrs: { type: 'password', autocomplete: 'new-password', maxlength: 200 } });
  const again = h('input', { attrs: { type: 'password', autocomplete: 'new-password', maxlength: 200 } });
  const admin = h('input', { attrs: { type: 'checkbox' }, data: { field: 'admin' } });
  const form = h(
    'form',
    {
      class: 'org-form org-account-form',
      on: {
        submit: (event) => {
          event.preventDefault();
          void create();
        },
      },
    },
    tr('org.acc.new', 'h2'),
    h(
      'div',
      { class: 'row' },
      fieldBox('org.acc.username', username, 'username', 'org.acc.usernameHint'),
      fieldBox('org.acc.displayName', displayName, 'displayName'),
    ),
    h(
      'div',
      { class: 'row' },
      fieldBox('org.acc.password', password, 'password', 'org.acc.passwordHint'),
      fieldBox('org.acc.again', again, 'again'),
    ),
    h('label', { class: 'check' }, admin, tr('org.acc.admin')),
    h(
      'div',
      { class: 'row' },
      h('button', { class: 'primary', attrs: { type: 'submit' }, data: { action: 'create-account' } }, tr('org.acc.create')),
    ),
  );
  const usernameProblem = (): string | null => (Username.safeParse(username.value).success ? null : t('org.acc.usernameHint'));
  const checkAgain = (): string | null => (again.value && again.value !== password.value ? t('org.acc.mismatch') : null);
  username.addEventListener('input', () => markField(form, 'username', usernameProblem()));
  displayName.addEventListener('input', () => markField(form, 'displayName', check(DisplayName, displayName.value)));
  password.addEventListener('input', () => markField(form, 'password', check(Password, password.value)));
  again.addEventListener('input', () => markField(form, 'again', checkAgain()));

  async function create(): Promise<void> {
    const problems: [string, string | null][] = [
      ['username', usernameProblem()],
      ['displayName', check(DisplayName, displayName.value)],
      ['password', check(Password, password.value)],
      ['again', again.value === password.value ? null : t('org.acc.mismatch')],
    ];
    for (const [path, problem] of problems) markField(form, path, problem);
    if (problems.some(([, p]) => p !== null)) return;
    const body = CreateAccountBody.parse({
      username: username.value,
      displayName: displayName.value,
      password: password.value,
      admin: admin.checked,
    });
    try {
      await api(z.unknown(), '/organiser/accounts', 'POST', body);
      say(t('org.acc.created', { username: body.username }));
      form.reset();
      await load();
    } catch (error) {
      fail(error);
      if (error && typeof error === 'object' && 'reason' in error && error.reason === 'organiser.exists') {
        markField(form, 'username', describeError(error));
      }
    }
  }

  async function patch(account: OrganiserAccount, body: Record<string, unknown>, done: string): Promise<void> {
    try {
      await api(z.unknown(), `/organiser/accounts/${encodeURIComponent(account.username)}`, 'PATCH', body);
      say(done);
      await load();
    } catch (error) {
      fail(error);
    }
  }

  /** An inline form under the account's row for its new password. */
  function resetRow(account: OrganiserAccount, after: HTMLTableRowElement): void {
    after.nextElementSibling?.classList.contains('org-reset') && after.nextElementSibling.remove();
    const first = h('input', { attrs: { type: 'password', autocomplete: 'new-password', maxlength: 200 } });
    const second = h('input', { attrs: { type: 'password', autocomplete: 'new-password', maxlength: 200 } });
    const box = h('div', { class: 'row org-reset-form' });
    const cancel = button('org.cancel', () => row.remove(), { class: 'small' });
    const ok = button(
      'org.acc.setPassword',
      () => {
        const problem = check(Password, first.value);
        markField(box, 'reset.password', problem);
        markField(box, 'reset.again', second.value === first.value ? null : t('org.acc.mismatch'));
        if (problem || second.value !== first.value) return;
        void patch(account, { password: first.value }, t('org.acc.passwordSet', { username: account.username })).then(() => row.remove());
      },
      { class: 'small primary', data: { action: 'set-password' } },
    );
    fill(
      box,
      fieldBox('org.acc.newPassword', first, 'reset.password', 'org.acc.passwordHint'),
      fieldBox('org.acc.again', second, 'reset.again'),
      ok,
      cancel,
    );
    const row = h('tr', { class: 'org-reset' }, h('td', { attrs: { colspan: 6 } }, box));
    after.after(row);
    first.focus();
  }

  const body = h('tbody');
  const table = h(
    'table',
    { class: 'org-table org-accounts' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...(
          ['org.acc.username', 'org.acc.displayName', 'org.acc.rights', 'org.acc.state', 'org.acc.lastSignIn', 'org.actions'] as const
        ).map((k) => h('th', { attrs: { scope: 'col' } }, tr(k))),
      ),
    ),
    body,
  );

  function stateText(a: OrganiserAccount): string {
    if (a.disabled) return t('org.acc.disabled');
    if (a.lockedUntil !== null && a.lockedUntil > Date.now()) return t('org.acc.locked', { when: epochText(a.lockedUntil) });
    return t('org.acc.active');
  }

  function draw(): void {
    fill(
      body,
      ...accounts.map((a) => {
        const me = a.username === self.username;
        const toggle = button(
          a.disabled ? 'org.acc.enable' : 'org.acc.disable',
          () => {
            if (!a.disabled && !confirm(t('org.acc.disableConfirm', { username: a.username }))) return;
            void patch(a, { disabled: !a.disabled }, t(a.disabled ? 'org.acc.enabled' : 'org.acc.disabledDone', { username: a.username }));
          },
          { class: `small ${a.disabled ? '' : 'danger'}`.trim(), data: { action: a.disabled ? 'enable' : 'disable' } },
        );
        const rights = button(
          a.admin ? 'org.acc.unmakeAdmin' : 'org.acc.makeAdmin',
          () => {
            void patch(a, { admin: !a.admin }, t('org.acc.rightsSet', { username: a.username }));
          },
          { class: 'small', data: { action: a.admin ? 'unmake-admin' : 'make-admin' } },
        );
        toggle.disabled = me;
        rights.disabled = me && a.admin;
        if (me) toggle.title = rights.title = t('org.acc.selfHint');
        const tr_ = h(
          'tr',
          { data: { username: a.username, disabled: String(a.disabled) } },
          h('td', { class: 'org-mono' }, a.username),
          h('td', {}, a.displayName, me ? h('span', { class: 'muted' }, ` (${t('org.acc.you')})`) : null),
          h('td', {}, t(a.admin ? 'org.acc.isAdmin' : 'org.acc.isOrganiser')),
          h('td', { data: { state: a.disabled ? 'disabled' : 'active' } }, stateText(a)),
          h('td', { class: 'org-nowrap' }, a.lastSignInAt ? epochText(a.lastSignInAt) : h('span', { class: 'muted' }, t('org.acc.never'))),
          h(
            'td',
            {},
            h(
              'div',
              { class: 'org-row-actions' },
              toggle,
              button('org.acc.reset', () => resetRow(a, tr_), { class: 'small', data: { action: 'reset' } }),
              rights,
            ),
          ),
        );
        return tr_;
      }),
    );
  }

  async function load(): Promise<void> {
    try {
      accounts = (await api(List, '/organiser/accounts')).accounts;
      draw();
      if (status.textContent === t('org.loading')) say('');
    } catch (error) {
      fail(error);
    }
  }

  const el = h('section', { class: 'org-accounts-view' }, heading('org.acc.heading'), table, status, form);
  setText(status, t('org.loading'));
  const offLanguage = onLanguage(() => (el.isConnected ? draw() : offLanguage()));
  void load();
  return el;
}
