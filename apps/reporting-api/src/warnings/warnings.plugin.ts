import type { ApolloServerPlugin } from '@apollo/server';
import type { ReportingContext } from './report-warnings';

/** Puts the request's data-quality warnings into the response's `extensions.warnings`. */
export function warningsPlugin(): ApolloServerPlugin<ReportingContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const warnings = contextValue.warnings?.list() ?? [];
          if (warnings.length === 0 || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, warnings };
        },
      };
    },
  };
}
