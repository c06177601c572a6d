import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { GraphQLError } from 'graphql';

/** `stallDays[0].days` from class-validator's tree (array items are properties named by index). */
function firstViolation(errors: readonly ValidationError[], parent = ''): { field: string; message: string } | undefined {
  for (const e of errors) {
    const field = /^\d+$/.test(e.property) ? `${parent}[${e.property}]` : parent ? `${parent}.${e.property}` : e.property;
    const message = Object.values(e.constraints ?? {})[0];
    if (message !== undefined) return { field, message: `${field} ${message}` };
    const nested = firstViolation(e.children ?? [], field);
    if (nested) return nested;
  }
  return undefined;
}

/**
 * A ValidationPipe for GraphQL input types validated with class-validator: the first broken
 * rule becomes a GraphQL error with `code` and the field at fault (`field`), like the domain's
 * coded errors, instead of Nest's generic 400. The DTO's messages are written without the
 * property name (`must be ...`); the path is put in front here.
 */
export function inputValidationPipe(code: string): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const violation = firstViolation(errors) ?? { field: '', message: 'the input is invalid' };
      return new GraphQLError(violation.message, { extensions: { code, field: violation.field } });
    },
  });
}
