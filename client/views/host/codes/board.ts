// The join codes board shared by the host's console and the organiser page: for each point and each role that
// belongs there, whether its code is unused, used (and when) or revoked; a new code in one click (the old code
// and the device using it end), shown with its link and QR code; revoking; and the day's codes for every
// point, opened as a printable sheet. Where the codes come from is a CodeSource: the console's socket
// requests or the organiser's REST routes; the board never knows which.
import type { PointLevel, Role } from '../../../../shared/domain.ts';
import type { CredentialRecord, PersonRole } from '../../../../shared/requests/credentials.ts';
import { roleBelongsAt } from '../../../../shared/rules.ts';
import { onLanguage, t, timeOfDay } from '../../../i18n.ts';
import { button, h, tr } from '../../../ui/dom.ts';
import { act, toast } from '../../../ui/toast.ts';
import { openPrintSheet, type SheetPoint } from '../../print-sheet.ts';
import { joinLink, qrCanvas } from './qr.ts';
import './codes.css';

/** A moment as "08:05", with its date when it is not today ("08:05 26/11/2026"): codes may last days. */
function when(epochMs: number, now: number): string {
  const day = (ms: number): string => new Date(ms).toLocaleDateString('vi-VN');
  return day(epochMs) === day(now) ? timeOfDay(epochMs) : `${timeOfDay(epochMs)} ${day(epochMs)}`;
}

/** One code handed out by a bulk issue. */
export interface IssuedCode {
  pointId: string;
  role: Role;
  code: string;
  expiresAt: number;
}

/** Where the board reads and issues codes. Failures are thrown (RequestError) and shown in words. */
export interface CodeSource {
  list(): Promise<CredentialRecord[]>;
  issueAll(roles: PersonRole[]): Promise<IssuedCode[]>;
  reissue(pointId: string, role: PersonRole): Promise<{ code: string; expiresAt: number }>;
  revoke(pointId: string, role: PersonRole): Promise<{ revoked: number }>;
}

export interface BoardPoint {
  id: string;
  name: string;
  level: PointLevel;
  centralSide: boolean;
}

/** What the board shows codes for: the conference's points and its heading for the printed sheet. */
export interface BoardContext {
  points(): readonly BoardPoint[];
  centralPointId(): string;
  title(): string;
  startsAt(): string;
  now(): number;
  /** The roles offered (each point shows those that belong there) and those ticked for the day's codes. */
  roles: readonly PersonRole[];
  dayRoles: readonly PersonRole[];
}

export class CodeBoard {
  readonly el: HTMLElement;
  readonly #source: CodeSource;
  readonly #ctx: BoardContext;
  readonly #list = h('div', { class: 'codes-list' });
  readonly #fresh = h('div', { class: 'codes-fresh', attrs: { 'aria-live': 'polite' } });
  readonly #dayRoles = new Map<PersonRole, HTMLInputElement>();
  #records: CredentialRecord[] = [];

  /** `before` goes above the day's codes (the organiser's notes: validity, unsaved points). */
  constructor(source: CodeSource, ctx: BoardContext, before: HTMLElement[] = []) {
    this.#source = source;
    this.#ctx = ctx;
    const roles = h(
      'fieldset',
      { class: 'codes-roles' },
      tr('codes.roles', 'legend'),
      ...ctx.roles.map((role) => {
        const box = h('input', { attrs: { type: 'checkbox', name: 'day-role', value: role } });
        box.checked = ctx.dayRoles.includes(role);
        this.#dayRoles.set(role, box);
        return h('label', { class: 'codes-role' }, box, tr(`role.${role}`));
      }),
    );
    this.el = h(
      'section',
      { class: 'codes', label: 'codes.title', data: { panel: 'codes' } },
      tr('codes.intro', 'p', { class: 'muted' }),
      ...before,
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
        button('codes.refresh', () => void this.load(), { class: 'small', data: { action: 'refresh-codes' } }),
      ),
      this.#list,
    );
    onLanguage(() => this.render());
  }

  async load(): Promise<void> {
    const records = await act(this.#source.list());
    if (!records) return;
    this.#records = records;
    this.render();
  }

  render(): void {
    const central = this.#ctx.centralPointId();
    this.#list.replaceChildren(
      ...this.#ctx.points().map((point) => {
        const roles = this.#ctx.roles.filter((role) => roleBelongsAt(role, point, central));
        return h(
          'div',
          { class: 'codes-point', data: { pointId: point.id } },
          h('div', { class: 'codes-point-name' }, point.name, ' ', h('span', { class: 'muted' }, t(`level.${point.level}`))),
          ...roles.map((role) => this.#row(point.id, point.name, role)),
        );
      }),
    );
  }

  #row(pointId: string, pointName: string, role: PersonRole): HTMLElement {
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
  #state(pointId: string, role: PersonRole): string {
    const latest = this.#records.filter((r) => r.pointId === pointId && r.role === role).at(-1);
    if (!latest) return t('codes.none');
    if (latest.revokedAt !== null) return t('codes.revokedState');
    if (latest.redeemedAt !== null && role !== 'viewer') return t('codes.redeemed', { time: timeOfDay(latest.redeemedAt) });
    if (latest.expiresAt <= this.#ctx.now()) return t('codes.expired');
    return t('codes.outstanding', { time: when(latest.expiresAt, this.#ctx.now()) });
  }

  async #reissue(pointId: string, pointName: string, role: PersonRole): Promise<void> {
    if (!confirm(t('codes.reissueConfirm', { role: t(`role.${role}`), point: pointName }))) return;
    const issued = await act(this.#source.reissue(pointId, role));
    if (!issued) return;
    this.#showFresh(pointId, pointName, role, issued.code, issued.expiresAt);
    await this.load();
  }

  async #revoke(pointId: string, pointName: string, role: PersonRole): Promise<void> {
    if (!confirm(t('codes.revokeConfirm', { role: t(`role.${role}`), point: pointName }))) return;
    const result = await act(this.#source.revoke(pointId, role));
    if (!result) return;
    toast(t('codes.revoked', { count: result.revoked }));
    await this.load();
  }

  #showFresh(pointId: string, pointName: string, role: PersonRole, code: string, expiresAt: number): void {
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
            t('codes.validUntil', { time: when(expiresAt, this.#ctx.now()) }),
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
    const roles = this.#ctx.roles.filter((role) => this.#dayRoles.get(role)?.checked);
    if (roles.length === 0 || !confirm(t('codes.issueAllConfirm'))) return;
    const issued = await act(this.#source.issueAll([...roles]));
    if (!issued) return;
    const points = new Map(this.#ctx.points().map((p) => [p.id, p]));
    const sheet: SheetPoint[] = [];
    for (const c of issued) {
      let entry = sheet.at(-1);
      if (entry?.pointId !== c.pointId) {
        const point = points.get(c.pointId);
        entry = { pointId: c.pointId, name: point?.name ?? c.pointId, level: point?.level ?? 'district', codes: [] };
        sheet.push(entry);
      }
      entry.codes.push({ role: c.role, code: c.code, expiresAt: c.expiresAt });
    }
    openPrintSheet(this.#ctx.title(), this.#ctx.startsAt(), sheet);
    await this.load();
  }
}
