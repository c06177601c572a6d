import { Catch } from '@nestjs/common';
import type { GqlExceptionFilter } from '@nestjs/graphql';
import { DefinitionError } from '@funnel/domain';
import { GraphQLError } from 'graphql';

/**
 * Rule and input errors go back to the GraphQL client with their code (and the field at
 * fault) without being logged as server errors; anything else keeps Nest's default handling,
 * is logged, and reaches the client as INTERNAL_SERVER_ERROR (see formatError).
 */
@Catch(GraphQLError, DefinitionError)
export class GraphQLErrorFilter implements GqlExceptionFilter {
  catch(error: GraphQLError | DefinitionError): GraphQLError {
    if (error instanceof GraphQLError) return error;
    return new GraphQLError(error.message, { extensions: { code: error.code, ...(error.field ? { field: error.field } : {}) } });
  }
}
