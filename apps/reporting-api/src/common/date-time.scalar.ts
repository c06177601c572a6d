import { instantProblemMessage, parseInstant } from '@funnel/contracts';
import {
  GraphQLError,
  GraphQLScalarType,
  Kind,
  getNamedType,
  print,
  type ASTVisitor,
  type ValidationContext,
  type ValueNode,
} from 'graphql';
import { ReportInputError } from './report-input.error';

const EXAMPLE = '2026-03-02T10:15:00Z';

// What an invalid literal parses to. The dateTimeArgumentsRule below has already failed the
// request for it, naming the argument, so no resolver ever receives it.
const INVALID_LITERAL = Symbol('invalid DateTime literal');

/** The instant `value` denotes, parsed exactly as ingest parses `occurredAt`, or why not. */
function parse(value: unknown): Date | string {
  if (typeof value !== 'string') return `must be a date-time string such as ${EXAMPLE}`;
  const parsed = parseInstant(value, false);
  if ('iso' in parsed) return new Date(parsed.iso);
  return `${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)} ${instantProblemMessage(parsed.problem, EXAMPLE)}`;
}

/**
 * `DateTime`, the name GraphQLISODateTime had, so the schema stays compatible: ISO-8601 with `Z`
 * or `±hh:mm`, a real calendar date, years 1 to 9999. `2018-02-30T00:00:00Z`, `01/02/2018` and
 * `yesterday` are BAD_USER_INPUT instead of being rolled over, guessed or failing inside a report.
 */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: `An instant: ISO-8601 with Z or an offset (e.g. ${EXAMPLE}), parsed as strictly as ingest parses occurredAt`,
  serialize(value) {
    const instant = value instanceof Date ? value : new Date(value as string | number);
    if (Number.isNaN(instant.getTime())) throw new GraphQLError(`DateTime cannot represent ${String(value)}`);
    return instant.toISOString();
  },
  parseValue(value) {
    const parsed = parse(value);
    if (parsed instanceof Date) return parsed;
    // graphql-js prefixes it with the variable's name; the code makes it a 400, not a 500.
    throw new GraphQLError(parsed, { extensions: { code: 'BAD_USER_INPUT' } });
  },
  parseLiteral(node) {
    const parsed = parse(node.kind === Kind.STRING ? node.value : print(node));
    return (parsed instanceof Date ? parsed : INVALID_LITERAL) as Date;
  },
});

/**
 * Validation rule: a DateTime literal that does not parse fails the request as BAD_USER_INPUT
 * naming its argument (graphql-js's own rule could only say which type was expected).
 */
export function dateTimeArgumentsRule(context: ValidationContext): ASTVisitor {
  const check = (node: ValueNode) => {
    if (getNamedType(context.getInputType() ?? undefined)?.name !== DateTimeScalar.name) return;
    const parsed = parse(node.kind === Kind.STRING ? node.value : print(node));
    if (typeof parsed === 'string') {
      const argument = context.getArgument()?.name ?? 'argument';
      context.reportError(new ReportInputError(argument, parsed));
    }
  };
  return {
    StringValue: check,
    IntValue: check,
    FloatValue: check,
    BooleanValue: check,
    EnumValue: check,
  };
}
