import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { unstorableTextProblem } from '@funnel/contracts';
import { ReportInputError } from './report-input.error';

/**
 * Every string argument, also inside lists and input objects, must be text the stores can
 * compare: a NUL makes PostgreSQL fail the query (an internal error before), and a lone
 * surrogate matches nothing that ingest could ever have accepted.
 */
// Nest hands a global pipe every resolver parameter (parent, context, info too); only the
// arguments are the client's, and @nestjs/graphql passes those as 'body'.
const GRAPHQL_ARGS: ArgumentMetadata['type'] = 'body';

@Injectable()
export class StorableTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === GRAPHQL_ARGS) check(value, metadata.data ?? 'argument');
    return value;
  }
}

function check(value: unknown, path: string): void {
  if (typeof value === 'string') {
    const problem = unstorableTextProblem(value);
    if (problem !== undefined) throw new ReportInputError(path, problem);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => check(item, `${path}[${i}]`));
  } else if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) check(item, `${path}.${key}`);
  }
}
