import { LOCAL_NAME, ROLES, type ApiKey, type Role } from '@funnel/config';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { IncomingMessage } from 'node:http';

/** Who is calling: the key's name and roles, or `local` with every role when API_KEYS is unset. */
export interface Principal {
  readonly name: string;
  readonly roles: readonly Role[];
  /** False in open mode: nobody proved who they are. */
  readonly authenticated: boolean;
}

export const LOCAL_PRINCIPAL: Principal = { name: LOCAL_NAME, roles: ROLES, authenticated: false };

export const principalOfKey = (key: ApiKey): Principal => ({ name: key.name, roles: key.roles, authenticated: true });

type WithPrincipal = IncomingMessage & { principal?: Principal };

/** Set once per request by the authentication middleware, before any route runs. */
export function setPrincipal(req: IncomingMessage, principal: Principal): void {
  (req as WithPrincipal).principal = principal;
}

/** The caller of a request; undefined when keys are set and it presented no valid one. */
export function principalOf(req: IncomingMessage | undefined): Principal | undefined {
  return (req as WithPrincipal | undefined)?.principal;
}

/** The HTTP request of a REST handler or of a GraphQL resolver (whose context holds `req`). */
export function requestOf(context: ExecutionContext): IncomingMessage | undefined {
  if (context.getType<string>() === 'graphql') return GqlExecutionContext.create(context).getContext<{ req?: IncomingMessage }>().req;
  return context.switchToHttp().getRequest<IncomingMessage>();
}

/**
 * The authenticated caller as a handler parameter, for REST controllers and GraphQL resolvers
 * alike: `@CurrentPrincipal() caller: Principal`. Use `caller.name` as the actor of anything the
 * request records (a sign-off, a review decision, the writer of an event). AccessGuard has run
 * before it, so a handler that needs a caller always has one.
 */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = principalOf(requestOf(context));
  if (!principal) throw new Error('CurrentPrincipal on a route AccessGuard lets anyone call; declare @Access with a role');
  return principal;
});
