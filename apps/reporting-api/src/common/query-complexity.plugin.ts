import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, visit, type DocumentNode } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import type { Lane } from './report-scheduler';

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
            throw new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...variableNamed(message, document), http: { status: 400 } } });
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

/**
 * The variable a coercion error is about (graphql-js starts those messages with `Variable "$x"`)
 * and the first argument it feeds, so a client can point at the field without parsing text.
 */
function variableNamed(message: string, document: DocumentNode): { variable?: string; argument?: string } {
  const variable = /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)"/.exec(message)?.[1];
  if (variable === undefined) return {};
  let argument: string | undefined;
  visit(document, {
    Argument(node) {
      if (argument === undefined && node.value.kind === Kind.VARIABLE && node.value.name.value === variable) argument = node.name.value;
    },
  });
  return { variable, ...(argument === undefined ? {} : { argument }) };
}

/**
 * What one evaluation of each report costs in complexity points: its measured time relative to a
 * plain `funnel` (= 10 points), from `npm run bench:costs` over the bench generator's data
 * (scale 0.1, 2026-12: funnel 151 ms, campaignPerformance 674 ms, conversionChange 885 ms):
 * round(10 x ms / funnel ms), at least 10, since every report is a ClickHouse evaluation, not a
 * property read. definitionCompliance measured 951 (14 s) and is capped at half the limit so it
 * can still be asked at all. compareDefinitionDraft is compareDefinitions on a draft. The one
 * home of report costs: the complexity limit and the scheduler's lanes both read them.
 * Re-measure when a report's SQL changes shape.
 */
export const REPORT_COSTS = {
  funnel: 10,
  cohorts: 10,
  velocity: 10,
  attribution: 10,
  slaCompliance: 10,
  stalledOpportunities: 10,
  reconciliation: 10,
  pipelineVelocity: 10,
  campaignPerformance: 45,
  leadQualityVsHandling: 10,
  scoreCalibration: 10,
  definitionCompliance: 500,
  compareDefinitions: 27,
  compareDefinitionDraft: 27,
  routingCoverage: 13,
  routingCoverageLeads: 21,
  activityVsMovement: 10,
  conversionChange: 59,
  reviewSample: 11,
} as const satisfies Readonly<Record<string, number>>;

/** The cost of the report a Query field evaluates; undefined for fields that are not reports. */
export function reportCost(field: string): number | undefined {
  return Object.hasOwn(REPORT_COSTS, field) ? REPORT_COSTS[field as keyof typeof REPORT_COSTS] : undefined;
}

/** Reports costing less than this run in the cheap lane, so they never wait behind expensive ones. */
export const CHEAP_COST_BELOW = 30;

export function laneOf(cost: number): Lane {
  return cost < CHEAP_COST_BELOW ? 'cheap' : 'expensive';
}
