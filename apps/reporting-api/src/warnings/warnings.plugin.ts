import type { ApolloServerPlugin } from '@apollo/server';
import type { ReportingContext } from './report-warnings';

/**
 * Puts the request's data-quality warnings into the response's `extensions.warnings`, in the
 * order of the fields they qualify: the reports of one request run side by side and add their
 * warnings as they finish, but the same query must always read the same.
 */
export function warningsPlugin(): ApolloServerPlugin<ReportingContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const warnings = contextValue.warnings?.list() ?? [];
          if (warnings.length === 0 || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const fields = Object.keys(result.data ?? {});
          const rank = (w: (typeof warnings)[number]) => fields.indexOf(String(w.path[0]));
          // A stable sort: the warnings of one field keep the order its resolver gave them.
          result.extensions = { ...result.extensions, warnings: [...warnings].sort((a, b) => rank(a) - rank(b)) };
        },
      };
    },
  };
}
