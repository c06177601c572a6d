/**
 * Data-quality warnings (DESIGN §5): a report whose numbers are right but would mislead without
 * a word says so in the response's `extensions.warnings`, next to the numbers it qualifies.
 */
export const WARNING_CODES = ['NO_ACTIVITY_DATA', 'NO_COST_DATA', 'NO_TOUCH_DATA', 'IMMATURE_COHORT'] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

export interface ReportWarning {
  readonly code: WarningCode;
  /** Response path of the field (or row) the warning is about, e.g. ["cohorts", 2]. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** One per request, in the GraphQL context; resolvers add to it, the plugin reports it. */
export class WarningsCollector {
  private readonly items: ReportWarning[] = [];

  add(warning: ReportWarning): void {
    this.items.push(warning);
  }

  list(): readonly ReportWarning[] {
    return this.items;
  }
}

/** The warnings of one field: adds carry the field's response path. */
export interface FieldWarnings {
  add(code: WarningCode, message: string, subPath?: readonly (string | number)[]): void;
}

/** What the GraphQL context of every request holds. */
export interface ReportingContext {
  readonly req?: unknown;
  readonly warnings: WarningsCollector;
}

export function reportingContext(req?: unknown): ReportingContext {
  return { req, warnings: new WarningsCollector() };
}
