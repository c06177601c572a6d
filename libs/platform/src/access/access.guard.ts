import type { AppConfig, Role } from '@funnel/config';
import { ForbiddenException, Inject, Injectable, SetMetadata, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { APP_CONFIG } from '../tokens';
import { UNAUTHORIZED_MESSAGE } from './authenticate.middleware';
import { principalOf, requestOf } from './principal';

/**
 * What a route needs (DESIGN §8): `public` (health, docs, the dashboard's files), `caller` (any
 * valid key: /v1/status), `metrics` (a caller unless METRICS_OPEN=true), or a role.
 */
export type AccessLevel = 'public' | 'caller' | 'metrics' | Role;
const ACCESS = 'funnel:access';

/** Declares what a REST handler (or one GraphQL field, overriding its operation's rule) needs. */
export const Access = (level: AccessLevel) => SetMetadata(ACCESS, level);

/** GraphQL without @Access: queries are the analyst's, mutations the admin's (DESIGN §8). */
const GRAPHQL_DEFAULT: Readonly<Record<string, Role>> = { Query: 'analyst', Mutation: 'admin' };

/**
 * The one place roles are checked, for every REST route and every GraphQL operation field. A
 * REST handler without @Access is refused: a new route must say who may call it.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const graphql = context.getType<string>() === 'graphql';
    const declared = this.reflector.getAllAndOverride<AccessLevel | undefined>(ACCESS, [context.getHandler(), context.getClass()]);
    let level: AccessLevel | undefined = declared;
    let what = 'this endpoint';
    if (graphql) {
      const { parentType, fieldName } = GqlExecutionContext.create(context).getInfo<{ parentType: { name: string }; fieldName: string }>();
      // A field of an object type (a nested resolver) was allowed with its operation.
      if (!Object.hasOwn(GRAPHQL_DEFAULT, parentType.name)) return declared === undefined || this.allows(context, declared, true, fieldName);
      level = declared ?? GRAPHQL_DEFAULT[parentType.name];
      what = `${parentType.name === 'Mutation' ? 'mutation' : 'query'} ${fieldName}`;
    }
    if (level === undefined) throw refused(graphql, 'FORBIDDEN', `${what} declares no access rule, so nobody may call it`);
    return this.allows(context, level, graphql, what);
  }

  private allows(context: ExecutionContext, level: AccessLevel, graphql: boolean, what: string): boolean {
    if (level === 'public' || (level === 'metrics' && this.config.metricsOpen)) return true;
    const caller = principalOf(requestOf(context));
    if (!caller) throw refused(graphql, 'UNAUTHENTICATED', UNAUTHORIZED_MESSAGE);
    if (level === 'caller' || level === 'metrics' || caller.roles.includes(level)) return true;
    throw refused(graphql, 'FORBIDDEN', `${what} needs the ${level} role; key "${caller.name}" has ${caller.roles.join('+')}`, { required: level });
  }
}

function refused(graphql: boolean, code: 'UNAUTHENTICATED' | 'FORBIDDEN', message: string, extra: Record<string, string> = {}): Error {
  if (graphql) return new GraphQLError(message, { extensions: { code, ...extra } });
  const body = { error: code === 'UNAUTHENTICATED' ? 'UNAUTHORIZED' : 'FORBIDDEN', message, ...extra };
  return code === 'UNAUTHENTICATED' ? new UnauthorizedException(body) : new ForbiddenException(body);
}
