import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { responsePathAsArray } from 'graphql';
import type { FieldWarnings, ReportingContext } from './report-warnings';

/** Resolver parameter: the request's warnings, bound to this field's response path. */
export const Warnings = createParamDecorator((_: unknown, ctx: ExecutionContext): FieldWarnings => {
  const gql = GqlExecutionContext.create(ctx);
  const { warnings } = gql.getContext<ReportingContext>();
  const path = responsePathAsArray(gql.getInfo().path);
  return { add: (code, message, subPath = []) => warnings.add({ code, path: [...path, ...subPath], message }) };
});
