import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

export const MAX_QUERY_COMPLEXITY = 1000;

/**
 * Rejects operations whose estimated cost exceeds the limit before anything runs, so one BI
 * dashboard cannot ask for thousands of report evaluations in a single request.
 */
export function queryComplexityPlugin(max = MAX_QUERY_COMPLEXITY): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          let complexity: number;
          try {
            complexity = getComplexity({
              schema,
              operationName: request.operationName,
              query: document,
              variables: request.variables,
              estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch (error) {
            // Estimating coerces the variables first, so a missing or mistyped one fails here
            // before execution would report it; it is the client's mistake, not a 500.
            const message = error instanceof Error ? error.message : String(error);
            throw new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
          }
          if (complexity > max) {
            // Apollo answers errors thrown here with 500 unless they carry their own status.
            throw new GraphQLError(`query complexity ${complexity} exceeds the limit of ${max}; ask for fewer fields or split the query`, {
              extensions: { code: 'QUERY_TOO_COMPLEX', complexity, max, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

/** Cost of one report query field: a ClickHouse evaluation, not a property read. */
export const REPORT_COMPLEXITY = 25;
