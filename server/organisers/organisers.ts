// STUB (issue #15, being written): organiser accounts, scrypt hashes, lockout and signed session tokens.
import type { OrganiserIdentity, OrganiserVerifier } from '../http/auth.ts';
import { refuse } from '../errors.ts';
import type { Database } from '../store/db.ts';

export class Organisers implements OrganiserVerifier {
  constructor(_db: Database) {}
  claims(secret: string): boolean {
    return secret.startsWith('dcorg_');
  }
  verify(_secret: string): OrganiserIdentity {
    throw refuse('organiser.session_expired', {}, 'organiser sessions are not built yet');
  }
}
