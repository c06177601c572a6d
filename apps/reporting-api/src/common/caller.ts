import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import type { ReportingContext } from '../warnings/report-warnings';

/**
 * Who a request comes from, for records that name their author (review decisions). The one place
 * that reads the caller's identity: API keys carry no name yet, so a key is named by a short
 * fingerprint (never the secret); without API_KEYS everything is `local`. TODO: when API_KEYS
 * entries get names (`name:roles:secret`, DESIGN §8), return the key's name here.
 */
export function callerOf(req: Request | undefined): string {
  const key = req?.header('x-api-key') ?? req?.header('authorization')?.replace(/^Bearer\s+/i, '');
  if (!key) return 'local';
  return `key:${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

/** Resolver parameter: the caller of this GraphQL request (see callerOf). */
export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const { req } = GqlExecutionContext.create(ctx).getContext<ReportingContext>();
  return callerOf(req as Request | undefined);
});
