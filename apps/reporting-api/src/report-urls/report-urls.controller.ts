import type { ApolloServer } from '@apollo/server';
import type { ApolloDriver } from '@nestjs/apollo';
import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import { Access, REPORT_URL_KEY_PARAM } from '@funnel/platform';
import { stringify } from 'csv-stringify/sync';
import type { Request, Response } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { MAX_PAGE_SIZE } from '../common/keyset-cursor';
import { reportingContext, type ReportWarning } from '../warnings/report-warnings';
import { columnsOf, flatRows, operationOf, planReport, ReportUrlError, variablesOf, type ReportPlan } from './report-plan';
import { REPORT_TABLES } from './report-tables';
import { QUEUE_RETRY_AFTER_SECONDS } from '../common/report-gate';

/** HTTP status of a GraphQL error code: the caller's mistake is 4xx, ours is 500. */
const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  BAD_USER_INPUT: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  DEFINITION_NOT_FOUND: 400,
  QUERY_TOO_COMPLEX: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  TOO_MANY_REQUESTS: 429,
  QUERY_TIMEOUT: 504,
};

interface Outcome {
  readonly data?: unknown;
  readonly errors?: readonly GraphQLFormattedError[];
  readonly warnings: readonly ReportWarning[];
}

/**
 * Every report of the GraphQL API as a URL for spreadsheets and BI tools:
 * `GET /v1/reports/<query>.csv|.json?<arguments>`. The report runs as a GraphQL operation inside
 * this process, through the same server, validation, plugins and resolvers as POST /graphql, so
 * the URL form cannot answer differently.
 */
@Controller('v1/reports')
export class ReportUrlsController {
  private plans?: Map<string, ReportPlan>;

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly schemaHost: GraphQLSchemaHost,
  ) {}

  // The same role as the GraphQL queries it runs (DESIGN §5: same keys and roles).
  @Get(':file')
  @Access('analyst')
  async report(@Param('file') file: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const m = /^(\w+)\.(csv|json)$/.exec(file);
    const plan = m && this.plan(m[1]);
    if (!m || !plan) {
      res.status(404).json({
        errors: [{ message: `no report "${file}"; use /v1/reports/<query>.csv or .json with one of: ${[...this.allPlans().keys()].join(', ')}`, code: 'NOT_FOUND' }],
      });
      return;
    }
    const format = m[2];
    let outcome: Outcome;
    try {
      const params = new URL(req.originalUrl, 'http://localhost').searchParams;
      const variables = variablesOf(plan, params, [REPORT_URL_KEY_PARAM]);
      outcome = format === 'csv' && plan.connection && !('first' in variables)
        ? await this.allPages(plan, variables, req)
        : await this.execute(plan, variables, req);
    } catch (e) {
      if (!(e instanceof ReportUrlError)) throw e;
      res.status(400).json({ errors: [{ message: e.message, code: 'BAD_USER_INPUT', argument: e.argument }] });
      return;
    }
    if (outcome.errors?.length) {
      const status = Math.max(...outcome.errors.map((e) => STATUS_OF_CODE[String(e.extensions?.code)] ?? 500));
      if (status === 429) res.setHeader('retry-after', String(QUEUE_RETRY_AFTER_SECONDS));
      res.status(status).json({ errors: outcome.errors.map(errorBody) });
      return;
    }
    if (format === 'json') {
      res.status(200).json({ data: outcome.data, warnings: outcome.warnings });
      return;
    }
    const csv = stringify(flatRows(plan, outcome.data), {
      header: true,
      columns: columnsOf(plan),
      record_delimiter: 'windows', // RFC 4180
      cast: { boolean: (b) => String(b), object: (v) => (Array.isArray(v) ? v.join(';') : JSON.stringify(v)) },
    });
    res
      .status(200)
      .set('content-type', 'text/csv; charset=utf-8')
      .set('content-disposition', `attachment; filename="${plan.name}.csv"`)
      .send(csv || `${columnsOf(plan).join(',')}\r\n`);
  }

  private async execute(plan: ReportPlan, variables: Record<string, unknown>, req: Request): Promise<Outcome> {
    const context = reportingContext(req);
    const response = await this.server().executeOperation({ query: operationOf(plan, variables), variables }, { contextValue: context });
    if (response.body.kind !== 'single') throw new Error('incremental delivery is not used by report URLs');
    const { data, errors } = response.body.singleResult;
    return { data: data?.[plan.name], errors, warnings: context.warnings.list() };
  }

  /** A connection's every page from `after` on, as one list (a spreadsheet cannot follow cursors). */
  private async allPages(plan: ReportPlan, variables: Record<string, unknown>, req: Request): Promise<Outcome> {
    const edges: unknown[] = [];
    const warnings: ReportWarning[] = [];
    let vars: Record<string, unknown> = { ...variables, first: MAX_PAGE_SIZE };
    for (;;) {
      const page = await this.execute(plan, vars, req);
      if (page.errors?.length) return page;
      warnings.push(...page.warnings);
      const value = page.data as { edges: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      edges.push(...value.edges);
      if (!value.pageInfo.hasNextPage) return { data: { ...value, edges }, warnings };
      vars = { ...vars, after: value.pageInfo.endCursor };
    }
  }

  private server(): ApolloServer {
    return this.moduleRef.get(GraphQLModule<ApolloDriver>, { strict: false }).graphQlAdapter.instance;
  }

  private allPlans(): Map<string, ReportPlan> {
    this.plans ??= new Map(
      Object.entries(REPORT_TABLES)
        .filter(([name]) => this.schemaHost.schema.getQueryType()?.getFields()[name])
        .map(([name, table]) => [name, planReport(this.schemaHost.schema, name, table)]),
    );
    return this.plans;
  }

  private plan(name: string): ReportPlan | undefined {
    return this.allPlans().get(name);
  }
}

/** A GraphQL error as a URL client reads it: the code and argument at top level. */
function errorBody(e: GraphQLFormattedError) {
  const code = e.extensions?.code;
  // Variable coercion errors name the variable, which is the argument of the same name.
  const argument = e.extensions?.argument ?? /^Variable "\$(\w+)"/.exec(e.message)?.[1];
  return { message: e.message, code, ...(argument ? { argument } : {}) };
}
