// The host's join codes: for each point and each role that belongs there, whether its code is unused,
// used (and when) or revoked; a new code in one click (the old code and the device using it end), shown
// with its link and QR code; revoking; and the day's codes for every point, opened as a printable sheet.
import type { PersonRole } from '../../../shared/requests/credentials.ts';

type Role = PersonRole;
import type { CredentialRecord } from '../../../shared/requests/credentials.ts';
import { controls, roleBelongsAt } from '../../../shared/rules.ts';
import type { AppContext } from '../../app.ts';
import { onLanguage, t, timeOfDay } from '../../i18n.ts';
import { button, h, tr } from '../../ui/dom.ts';
import { act, toast } from '../../ui/toast.ts';
import { openPrintSheet, type SheetPoint } from '../print-sheet.ts';
import { joinLink, qrCanvas } from './codes/qr.ts';
import './codes/codes.css';

/** The roles the console hands out (the host's own code comes from the CLI: it is this console's). */
const ROLES: readonly Role[] = ['cohost', 'technician', 'secretary', 'viewer'];
const DAY_ROLES_DEFAULT: readonly Role[] = ['technician', 'secretary', 'viewer'];

export class CodesPanel {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #list = h('div', { class: 'codes-list' });
  readonly #fresh = h('div', { class: 'codes-fresh', attrs: { 'aria-live': 'polite' } });
  readonly #dayRoles = new Map<Role, HTMLInputElement>();
  #records: CredentialRecord[] = [];
  #reload: ReturnType<typeof setTimeout> | undefined;

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
    const roles = h(
      'fieldset',
      { class: 'codes-roles' },
      tr('codes.roles', 'legend'),
      ...ROLES.map((role) => {
        const box = h('input', { attrs: { type: 'checkbox', name: 'day-role', value: role } });
        box.checked = DAY_ROLES_DEFAULT.includes(role);
        this.#dayRoles.set(role, box);
        return h('label', { class: 'codes-role' }, box, tr(`role.${role}`));
      }),
    );
    this.el = h(
      'section',
      { class: 'codes', label: 'codes.title', data: { panel: 'codes' } },
      tr('codes.intro', 'p', { class: 'muted' }),
      h(
        'div',
        { class: 'codes-day' },
        roles,
        button('codes.issueAll', () => void this.#issueAll(), { class: 'primary', data: { action: 'issue-all' } }),
      ),
      this.#fresh,
      h(
        'div',
        { class: 'panel-head' },
        tr('codes.title', 'h3'),
        button('codes.refresh', () => void this.load(), { class: 'small' }),
      ),
      this.#list,
    );
    ctx.store.on('welcome', () => void this.load());
    // A point connecting may have used its code: the states are read again, at most once a second.
    ctx.store.on('points', () => {
      clearTimeout(this.#reload);
      this.#reload = setTimeout(() => void this.load(), 1000);
    });
    onLanguage(() => this.render());
  }

  async load(): Promise<void> {
    if (!this.#ctx.store.may(controls)) return;
    const result = await act(this.#ctx.signal.request('credentials.list', {}));
    if (!result) return;
    this.#records = result.credentials;
    this.render();
  }

  render(): void {
    const { store } = this.#ctx;
    const central = store.centralPointId;
    this.#list.replaceChildren(
      ...[...store.points.values()].map((point) => {
        const roles = ROLES.filter((role) => roleBelongsAt(role, point, central));
        return h(
          'div',
          { class: 'codes-point', data: { pointId: point.id } },
          h('div', { class: 'codes-point-name' }, point.name, ' ', h('span', { class: 'muted' }, t(`level.${point.level}`))),
          ...roles.map((role) => this.#row(point.id, point.name, role)),
        );
      }),
    );
  }

  #row(pointId: string, pointName: string, role: Role): HTMLElement {
    const vars = { role: t(`role.${role}`), point: pointName };
    const reissue = button('codes.reissue', () => void this.#reissue(pointId, pointName, role), {
      class: 'small',
      data: { action: 'reissue' },
      ariaLabel: `${t('codes.reissue')}: ${vars.role} – ${pointName}`,
    });
    const revoke = button('codes.revoke', () => void this.#revoke(pointId, pointName, role), {
      class: 'small danger',
      data: { action: 'revoke' },
      ariaLabel: `${t('codes.revoke')}: ${vars.role} – ${pointName}`,
    });
    return h(
      'div',
      { class: 'codes-row', data: { role } },
      h(
        'div',
        { class: 'codes-who' },
        h('div', { class: 'codes-role-name' }, vars.role),
        h('div', { class: 'codes-state' }, this.#state(pointId, role)),
      ),
      h('span', { class: 'codes-actions' }, reissue, revoke),
    );
  }

  /** The newest credential of the point and role in words. */
  #state(pointId: string, role: Role): string {
    const latest = this.#records.filter((r) => r.pointId === pointId && r.role === role).at(-1);
    if (!latest) return t('codes.none');
    if (latest.revokedAt !== null) return t('codes.revokedState');
    if (latest.redeemedAt !== null && role !== 'viewer') return t('codes.redeemed', { time: timeOfDay(latest.redeemedAt) });
    if (latest.expiresAt <= this.#ctx.store.now()) return t('codes.expired');
    return t('codes.outstanding', { time: timeOfDay(latest.expiresAt) });
  }

  async #reissue(pointId: string, pointName: string, role: Role): Promise<void> {
    if (!confirm(t('codes.reissueConfirm', { role: t(`role.${role}`), point: pointName }))) return;
    const issued = await act(this.#ctx.signal.request('credentials.reissue', { pointId, role }));
    if (!issued) return;
    this.#showFresh(pointId, pointName, role, issued.code, issued.expiresAt);
    await this.load();
  }

  async #revoke(pointId: string, pointName: string, role: Role): Promise<void> {
    if (!confirm(t('codes.revokeConfirm', { role: t(`role.${role}`), point: pointName }))) return;
    const result = await act(this.#ctx.signal.request('credentials.revoke', { pointId, role }));
    if (!result) return;
    toast(t('codes.revoked', { count: result.revoked }));
    await this.load();
  }

  #showFresh(pointId: string, pointName: string, role: Role, code: string, expiresAt: number): void {
    const link = joinLink(code);
    this.#fresh.replaceChildren(
      h(
        'div',
        { class: 'codes-card', data: { pointId, role, code } },
        h(
          'div',
          { class: 'codes-card-text' },
          h('h3', {}, t('codes.freshFor', { role: t(`role.${role}`), point: pointName })),
          h(
            'p',
            { class: 'codes-code' },
            h('span', { class: 'muted' }, `${t('codes.code')}: `),
            h('strong', { data: { fresh: 'code' } }, code),
          ),
          h(
            'p',
            { class: 'codes-link' },
            h('span', { class: 'muted' }, `${t('codes.link')}: `),
            h('a', { attrs: { href: link }, data: { fresh: 'link' } }, link),
          ),
          h(
            'p',
            { class: 'muted' },
            t('codes.validUntil', { time: timeOfDay(expiresAt) }),
            ' · ',
            t(role === 'viewer' ? 'codes.reusable' : 'codes.singleUse'),
          ),
          button('codes.close', () => this.#fresh.replaceChildren(), { class: 'small' }),
        ),
        h('figure', { class: 'codes-qr', label: 'codes.qr' }, qrCanvas(link)),
      ),
    );
    this.#fresh.scrollIntoView({ block: 'nearest' });
  }

  async #issueAll(): Promise<void> {
    const roles = ROLES.filter((role) => this.#dayRoles.get(role)?.checked);
    if (roles.length === 0 || !confirm(t('codes.issueAllConfirm'))) return;
    const result = await act(this.#ctx.signal.request('credentials.issueAll', { roles: [...roles] }));
    if (!result) return;
    const { store } = this.#ctx;
    const sheet: SheetPoint[] = [];
    for (const c of result.credentials) {
      let entry = sheet.at(-1);
      if (entry?.pointId !== c.pointId) {
        const point = store.point(c.pointId);
        entry = { pointId: c.pointId, name: point?.name ?? c.pointId, level: point?.level ?? 'district', codes: [] };
        sheet.push(entry);
      }
      entry.codes.push({ role: c.role, code: c.code, expiresAt: c.expiresAt });
    }
    openPrintSheet(store.conference?.title ?? '', store.conference?.startsAt ?? '', sheet);
    await this.load();
  }
}
