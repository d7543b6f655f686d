// The organiser page's own routes under /api/organiser: sign-in and sign-out, the signed-in account (GET me,
// its password), and for administrators (or the admin key) the accounts and the audit log. Bodies are parsed
// with the shared schemas (shared/organiser.ts); refusals are typed reasons.
import { type Request, Router } from 'express';
import { z } from 'zod';
import { ChangePasswordBody, CreateAccountBody, type OrganiserAccount, SignInBody, UpdateAccountBody } from '../../shared/organiser.ts';
import { refuse } from '../errors.ts';
import type { AuditStore } from '../organisers/audit.ts';
import type { Organisers } from '../organisers/organisers.ts';
import { auditActor, type Gate, type OrganiserIdentity } from './auth.ts';
import { parseOr } from './errors.ts';

export interface OrganiserRoutesDeps {
  gate: Gate;
  organisers: Organisers;
  audit: AuditStore;
}

/** GET /organiser/audit: newest first, `before` a sequence number to page back from. */
export const AuditQuery = z
  .object({ before: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(500).default(100) })
  .strict();

/** The answer of GET /organiser/accounts. */
export interface AccountList {
  accounts: OrganiserAccount[];
}

const bearer = (req: Request): string => /^Bearer[ ]+(\S+)$/i.exec((req.get('authorization') ?? '').trim())?.[1] ?? '';

export function organiserRoutes({ gate, organisers, audit }: OrganiserRoutesDeps): Router {
  const router = Router();

  /** The signed-in organiser; the admin key has no account of its own here. */
  const signedIn = async (req: Request): Promise<OrganiserIdentity> => {
    const principal = await gate.organiser(req);
    if (principal.kind !== 'organiser') throw refuse('organiser.only', {}, 'this needs an organiser account (not the admin key)');
    return principal.organiser;
  };

  // Sign in: 201 with a session (token, expiry, account). No authorisation header needed.
  router.post('/organiser/session', async (req, res) => {
    const body = parseOr(SignInBody, req.body, 'sign-in');
    res.status(201).json(await organisers.signIn(body.username, body.password, req.ip ?? 'unknown'));
  });

  // Who is signed in: the session without a token ("": the page keeps the one it has) and its expiry.
  router.get('/organiser/me', async (req, res) => {
    await signedIn(req);
    res.json(organisers.describe(bearer(req)));
  });

  // Sign out: ends every session of the account (204).
  router.delete('/organiser/session', async (req, res) => {
    organisers.signOut((await signedIn(req)).username);
    res.status(204).end();
  });

  // A new password for oneself: every other session ends, the answer is a fresh session (200).
  router.put('/organiser/password', async (req, res) => {
    const { username } = await signedIn(req);
    const body = parseOr(ChangePasswordBody, req.body, 'password');
    res.json(await organisers.changePassword(username, body.current, body.password));
  });

  router.get('/organiser/accounts', async (req, res) => {
    await gate.organiserAdmin(req);
    const answer: AccountList = { accounts: organisers.list() };
    res.json(answer);
  });

  router.post('/organiser/accounts', async (req, res) => {
    const actor = auditActor(await gate.organiserAdmin(req));
    const body = parseOr(CreateAccountBody, req.body, 'account');
    res.status(201).json(await organisers.create(actor, body));
  });

  router.patch('/organiser/accounts/:username', async (req, res) => {
    const actor = auditActor(await gate.organiserAdmin(req));
    const body = parseOr(UpdateAccountBody, req.body, 'account');
    res.json(await organisers.update(actor, req.params.username, body));
  });

  router.get('/organiser/audit', async (req, res) => {
    await gate.organiserAdmin(req);
    const query = parseOr(AuditQuery, req.query, 'query');
    res.json({ entries: audit.list(query.limit, query.before) });
  });

  return router;
}
