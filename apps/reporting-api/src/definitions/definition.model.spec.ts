import { checkDefinition, DefinitionError, resolveFields, VERSION_ONE } from '@funnel/domain';
import { GraphQLError } from 'graphql';
import { inputValidationPipe } from '../common/input-validation.pipe';
import { FunnelDefinitionInput } from './definition.model';

const pipe = inputValidationPipe('INVALID_DEFINITION');
const validate = (input: object) => pipe.transform(input, { type: 'body', metatype: FunnelDefinitionInput });

/** The error validating `input` rejects with; fails the test when it is valid. */
async function violationOf(input: object): Promise<GraphQLError> {
  const error = await validate(input).then(
    () => new Error(`expected ${JSON.stringify(input)} to be rejected`),
    (e: unknown) => e,
  );
  if (error instanceof GraphQLError) return error;
  throw error;
}

/** What the domain says about the same input, for comparison. */
function domainErrorOf(input: { name: string } & Record<string, unknown>): DefinitionError {
  try {
    checkDefinition(input.name, resolveFields(input, VERSION_ONE));
  } catch (error) {
    if (error instanceof DefinitionError) return error;
    throw error;
  }
  throw new Error('expected the domain to reject it too');
}

describe('FunnelDefinitionInput validation', () => {
  it('passes a valid input through as a FunnelDefinitionInput', async () => {
    const input = await validate({ name: 'v2', mqlMinScore: 70, stallDays: [{ stage: 'proposal', days: 10 }] });
    expect(input).toBeInstanceOf(FunnelDefinitionInput);
    expect(input).toMatchObject({ name: 'v2', mqlMinScore: 70 });
  });

  it.each([
    [{ name: 'x', mqlMinScore: 150 }, 'mqlMinScore'],
    [{ name: 'x', speedToLeadMinutes: 0 }, 'speedToLeadMinutes'],
    [{ name: 'x', stallDays: [{ stage: 'proposal', days: 10 }, { stage: 'won', days: -1 }] }, 'stallDays[1].days'],
    [{ name: 'x', attributionHalfLifeDays: -1 }, 'attributionHalfLifeDays'],
    [{ name: 'x', dispositions: [] }, 'dispositions'],
    [{ name: 'x', dispositions: ['a', 'a'] }, 'dispositions'],
    [{ name: '' }, 'name'],
  ])('rejects %j as INVALID_DEFINITION naming %s, with the domain message', async (input, field) => {
    const error = await violationOf(input);
    expect(error.extensions).toEqual({ code: 'INVALID_DEFINITION', field });
    expect(error.message).toBe(domainErrorOf(input).message);
  });
});
