import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { DefinitionError, foldDefinitions, type DefinitionEventBody, type DefinitionRegistry } from '@funnel/domain';
import type { DefinitionEvent } from '@funnel/contracts';
import { GraphQLError } from 'graphql';
import { GraphQLErrorFilter } from '../../common/graphql-error.filter';
import { DEFINITION_COMMAND_HANDLERS } from './definition-command.handlers';
import { CreateFunnelDefinitionDraft, PublishFunnelDefinition, SignOffFunnelDefinition } from './definition.commands';
import { DefinitionRecorder } from './definition-recorder.service';

/** The recorder's IO replaced by an in-memory log: the handlers and the bus are the real ones. */
function inMemoryRecorder() {
  const log: DefinitionEvent[] = [];
  const recorded: DefinitionEventBody[] = [];
  const writers: string[] = [];
  const recorder: Pick<DefinitionRecorder, 'currentRegistry' | 'record'> = {
    currentRegistry: async () => foldDefinitions(log),
    record: async (body, writer): Promise<DefinitionRegistry> => {
      recorded.push(body);
      writers.push(writer);
      log.push({ id: `d${log.length}`, occurredAt: new Date(Date.UTC(2026, 0, 1, 0, log.length)).toISOString(), schemaVersion: 1, ...body } as DefinitionEvent);
      return foldDefinitions(log);
    },
  };
  return { recorder, recorded, writers };
}

async function commandBus(recorder: Pick<DefinitionRecorder, 'currentRegistry' | 'record'>): Promise<CommandBus> {
  const module = await Test.createTestingModule({
    imports: [CqrsModule.forRoot()],
    providers: [...DEFINITION_COMMAND_HANDLERS, { provide: DefinitionRecorder, useValue: recorder }],
  }).compile();
  await module.init(); // registers the handlers on the bus
  return module.get(CommandBus);
}

/** The rejection of `p`; fails the test when `p` resolves. */
async function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected the command to be rejected, but it succeeded');
    },
    (error: unknown) => error,
  );
}

describe('definition command handlers on the command bus', () => {
  it('given a draft without sign-offs, when it is published, then the caller gets MISSING_SIGN_OFF and nothing is recorded', async () => {
    const { recorder, recorded } = inMemoryRecorder();
    const bus = await commandBus(recorder);
    await bus.execute(new CreateFunnelDefinitionDraft('mia', 'D', { name: 'v2' }));

    const error = await rejectionOf(bus.execute(new PublishFunnelDefinition('sam', 'D')));

    expect(error).toBeInstanceOf(DefinitionError);
    expect(error).toMatchObject({ code: 'MISSING_SIGN_OFF', field: 'draftId' });
    expect(recorded.map((e) => e.type)).toEqual(['FunnelDefinitionDrafted']);
    // What the GraphQL client receives for it.
    const sent = new GraphQLErrorFilter().catch(error as DefinitionError);
    expect(sent).toBeInstanceOf(GraphQLError);
    expect(sent.extensions).toEqual({ code: 'MISSING_SIGN_OFF', field: 'draftId' });
    expect(sent.message).toContain('MARKETING and SALES');
  });

  it('given both sign-offs, when it is published, then the registry holds version 2', async () => {
    const { recorder, writers } = inMemoryRecorder();
    const bus = await commandBus(recorder);
    await bus.execute(new CreateFunnelDefinitionDraft('mia', 'D', { name: 'v2', mqlMinScore: 70 }));
    await bus.execute(new SignOffFunnelDefinition('maria', 'D', 'MARKETING', 'maria'));
    await bus.execute(new SignOffFunnelDefinition('sam', 'D', 'SALES', 'sam'));

    const registry = await bus.execute(new PublishFunnelDefinition('sam', 'D'));

    expect(registry.published.map((d) => [d.version, d.mqlMinScore])).toEqual([[1, 60], [2, 70]]);
    // Each event is recorded as written by the command's caller.
    expect(writers).toEqual(['mia', 'maria', 'sam', 'sam']);
  });
});
