import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { GraphQLModule, type BuildSchemaOptions } from '@nestjs/graphql';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { OpenApiPart } from '@funnel/platform';
import { AttributionResolver } from './attribution/attribution.resolver';
import { CampaignPerformanceResolver } from './campaign-performance/campaign-performance.resolver';
import { CohortsResolver } from './cohorts/cohorts.resolver';
import { DateTimeScalar, dateTimeArgumentsRule } from './common/date-time.scalar';
import { DEFINITION_CATALOG } from './common/definition-catalog.port';
import { GraphQLErrorFilter } from './common/graphql-error.filter';
import { queryComplexityPlugin } from './common/query-complexity.plugin';
import { ReportContext } from './common/report-context';
import { ReportGate } from './common/report-gate';
import { StorableTextPipe } from './common/storable-text.pipe';
import { subscriptionsRefusedPlugin } from './common/subscriptions-refused.plugin';
import { CLOCK, systemClock } from './common/clock';
import { DashboardController } from './dashboard/dashboard.controller';
import { ErasureController } from './erasure/erasure.controller';
import { ERASURE_OPENAPI } from './erasure/erasure.openapi';
import { DEFINITION_COMMAND_HANDLERS } from './definitions/commands/definition-command.handlers';
import { DefinitionRecorder } from './definitions/commands/definition-recorder.service';
import { DefinitionStore } from './definitions/definition.store';
import { DefinitionsResolver } from './definitions/definitions.resolver';
import { PostgresDefinitionCatalog } from './definitions/postgres-definition.catalog';
import { FunnelResolver } from './funnel/funnel.resolver';
import { LeadQualityResolver } from './lead-quality/lead-quality.resolver';
import { CampaignLookupResolver, LeadLookupResolver, OpportunityLookupResolver } from './lookups/lookups.resolver';
import { PipelineVelocityResolver } from './pipeline-velocity/pipeline-velocity.resolver';
import { LeadConnectionResolver, OpportunityConnectionResolver, RecordsResolver } from './records/records.resolver';
import { AlertDeliveriesResolver } from './alerts/alert-deliveries.resolver';
import { ReportUrlsController } from './report-urls/report-urls.controller';
import { REPORT_URLS_OPENAPI } from './report-urls/report-urls.openapi';
import { reportingContext } from './warnings/report-warnings';
import { warningsPlugin } from './warnings/warnings.plugin';
import { ReconciliationResolver } from './reconciliation/reconciliation.resolver';
import { ScoreCalibrationResolver } from './score-calibration/score-calibration.resolver';
import { SlaResolver } from './sla/sla.resolver';
import { StalledResolver } from './stalled/stalled.resolver';
import { StatusResolver } from './status/status.resolver';
import { VelocityResolver } from './velocity/velocity.resolver';
import { ActivityMovementResolver } from './activity-movement/activity-movement.resolver';
import { ConversionChangeResolver } from './conversion-change/conversion-change.resolver';
import { ReviewDecisionRecorder } from './review-decisions/review-decision.recorder';
import { ReviewDecisionStore } from './review-decisions/review-decision.store';
import { ReviewDecisionsResolver } from './review-decisions/review-decisions.resolver';
import { ReviewSampleResolver } from './review-sample/review-sample.resolver';
import { RoutingCoverageResolver } from './routing-coverage/routing-coverage.resolver';

/** Every resolver of the reporting API; also what the schema printer builds from. */
export const REPORTING_RESOLVERS = [
  StatusResolver,
  FunnelResolver,
  CohortsResolver,
  VelocityResolver,
  AttributionResolver,
  SlaResolver,
  StalledResolver,
  ReconciliationResolver,
  PipelineVelocityResolver,
  CampaignPerformanceResolver,
  LeadQualityResolver,
  ScoreCalibrationResolver,
  LeadLookupResolver,
  OpportunityLookupResolver,
  CampaignLookupResolver,
  DefinitionsResolver,
  RecordsResolver,
  AlertDeliveriesResolver,
  LeadConnectionResolver,
  OpportunityConnectionResolver,
  // The weekly review (routing, effort, who moved the number, the sample and its decisions).
  RoutingCoverageResolver,
  ActivityMovementResolver,
  ConversionChangeResolver,
  ReviewSampleResolver,
  ReviewDecisionsResolver,
];

/**
 * How the schema is built, by the server and by the schema printer alike: every Date (argument
 * or field) is the strict DateTime scalar, never Nest's lenient GraphQLISODateTime.
 */
export const REPORTING_SCHEMA_OPTIONS: BuildSchemaOptions = { scalarsMap: [{ type: Date, scalar: DateTimeScalar }] };

/**
 * Internal errors keep their code but not their text: a BI tool sees INTERNAL_SERVER_ERROR, the
 * log has the details. Input errors (BAD_USER_INPUT and friends) pass through, naming the argument.
 */
function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (code === 'INTERNAL_SERVER_ERROR') {
    return { message: 'internal error while computing the report; see the server log', extensions: { code } };
  }
  const { stacktrace: _drop, ...extensions } = formatted.extensions ?? {};
  // Apollo files every validation error under GRAPHQL_VALIDATION_FAILED; one raised by our own
  // argument checks (dateTimeArgumentsRule) keeps its own code, as the same error in a variable has.
  const original = (error as GraphQLError | undefined)?.originalError;
  if (original instanceof GraphQLError && typeof original.extensions.code === 'string') extensions.code = original.extensions.code;
  return { ...formatted, extensions };
}

/** The OpenAPI parts of this module's HTTP endpoints (GraphQL is described by schema.graphql). */
export const REPORTING_API_OPENAPI: readonly OpenApiPart[] = [REPORT_URLS_OPENAPI, ERASURE_OPENAPI];

/** GraphQL (code-first) over both read sides; queries only. */
@Module({})
export class ReportingApiModule {
  static register(extraProviders: Provider[] = []): DynamicModule {
    return {
      module: ReportingApiModule,
      imports: [
        CqrsModule.forRoot(),
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: '/graphql',
          autoSchemaFile: true,
          sortSchema: true,
          introspection: true,
          includeStacktraceInErrorResponses: false,
          formatError,
          buildSchemaOptions: REPORTING_SCHEMA_OPTIONS,
          validationRules: [dateTimeArgumentsRule],
          // Refusing a subscription comes first: it could not be estimated either.
          plugins: [subscriptionsRefusedPlugin(), queryComplexityPlugin(), warningsPlugin()],
          // A report's TOO_MANY_REQUESTS (429 + Retry-After) and QUERY_TIMEOUT (504) keep their
          // status; Nest would reset every response with data to 200. No other resolver error sets one.
          preserveHttpStatusForExecutionErrors: false,
          // One warnings collector per request (see warnings/); report URLs pass their own.
          context: ({ req }: { req: unknown }) => reportingContext(req),
        }),
      ],
      controllers: [DashboardController, ReportUrlsController, ErasureController],
      providers: [
        ReportContext,
        DefinitionStore,
        DefinitionRecorder,
        ...DEFINITION_COMMAND_HANDLERS,
        ReviewDecisionStore,
        ReviewDecisionRecorder,
        { provide: DEFINITION_CATALOG, useClass: PostgresDefinitionCatalog },
        { provide: CLOCK, useValue: systemClock },
        { provide: APP_FILTER, useClass: GraphQLErrorFilter },
        ReportGate,
        { provide: APP_INTERCEPTOR, useExisting: ReportGate },
        { provide: APP_PIPE, useClass: StorableTextPipe },
        ...REPORTING_RESOLVERS,
        ...extraProviders,
      ],
    };
  }
}
