import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

/**
 * The API has queries and mutations only. A subscription would otherwise reach graphql-js,
 * which has no root type to run it on, and come back as an internal error.
 */
export function subscriptionsRefusedPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'subscription') return;
          throw new GraphQLError('subscriptions are not supported; send a query (reports are computed on demand)', {
            extensions: { code: 'SUBSCRIPTIONS_NOT_SUPPORTED', http: { status: 400 } },
          });
        },
      };
    },
  };
}
