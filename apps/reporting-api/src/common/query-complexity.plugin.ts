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
          } catch (e) {
            // getComplexity coerces the variables first; a bad one (an unknown enum value) is the caller's mistake.
            if (e instanceof GraphQLError) throw new GraphQLError(e.message, { extensions: { code: 'BAD_USER_INPUT' } });
            throw e;
          }
          if (complexity > max) {
            throw new GraphQLError(`query complexity ${complexity} exceeds the limit of ${max}; ask for fewer fields or split the query`, {
              extensions: { code: 'QUERY_TOO_COMPLEX', complexity, max },
            });
          }
        },
      };
    },
  };
}

/** Cost of one report query field: a ClickHouse evaluation, not a property read. */
export const REPORT_COMPLEXITY = 25;
