import { GraphQLError } from 'graphql';

/** A report argument that cannot be answered; mapped to BAD_USER_INPUT naming the argument. */
export class ReportInputError extends GraphQLError {
  constructor(argument: string, message: string, code = 'BAD_USER_INPUT') {
    super(`${argument}: ${message}`, { extensions: { code, argument } });
  }
}
