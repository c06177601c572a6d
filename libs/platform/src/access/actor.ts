import type { Signer, SignerTeam } from '@funnel/config';
import type { Principal } from './principal';

/** Why a caller may not act as it asked; the API maps it to FORBIDDEN. */
export class ActorRefused extends Error {
  readonly code = 'FORBIDDEN';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/**
 * Who a recorded action is by: the authenticated caller, never a name the caller types (a
 * different `by` is refused rather than silently replaced, so a script that meant to act for
 * someone else learns it cannot). Open mode has no identity to prove, so there `by` is taken as
 * given, `local` when omitted.
 */
export function actorOf(caller: Principal, by: string | undefined): string {
  if (!caller.authenticated) return by ?? caller.name;
  if (by !== undefined && by !== caller.name) {
    throw new ActorRefused(`key "${caller.name}" acts as itself; it cannot record "${by}" (omit by)`, 'by');
  }
  return caller.name;
}

/**
 * Who signs a definition for `team` (DESIGN §3, §8): the actor, who must be listed in SIGNERS
 * for that team. With keys set that list is required, so nobody can sign for the other team;
 * open mode checks it only when SIGNERS is set.
 */
export function signerOf(caller: Principal, signers: readonly Signer[], team: SignerTeam, by: string | undefined): string {
  const name = actorOf(caller, by);
  if (!caller.authenticated && signers.length === 0) return name;
  if (!signers.some((s) => s.name === name && s.team === team)) {
    const allowed = signers.filter((s) => s.team === team).map((s) => s.name);
    throw new ActorRefused(
      `"${name}" may not sign for ${team}: SIGNERS lists ${allowed.length > 0 ? allowed.map((n) => `"${n}"`).join(', ') : 'nobody'} for ${team}`,
      'team',
    );
  }
  return name;
}
