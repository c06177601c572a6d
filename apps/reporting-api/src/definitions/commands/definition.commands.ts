import { Command } from '@nestjs/cqrs';
import type { DefinitionCommand, DefinitionInput, DefinitionRegistry, Team } from '@funnel/domain';

/**
 * The funnel definition commands on the @nestjs/cqrs command bus. Each names its decider
 * command (`decision`); every one answers with the registry once its event is projected.
 */
export abstract class DefinitionBusCommand extends Command<DefinitionRegistry> {
  abstract readonly decision: DefinitionCommand;
  /** Who the event is recorded as written by (DESIGN §8): the caller's key name, or `local`. */
  abstract readonly writer: string;
}

export class CreateFunnelDefinitionDraft extends DefinitionBusCommand {
  readonly decision: DefinitionCommand;
  constructor(readonly writer: string, draftId: string, input: DefinitionInput, by?: string) {
    super();
    this.decision = { kind: 'create', draftId, input, by };
  }
}

export class UpdateFunnelDefinitionDraft extends DefinitionBusCommand {
  readonly decision: DefinitionCommand;
  constructor(readonly writer: string, draftId: string, input: DefinitionInput, by?: string) {
    super();
    this.decision = { kind: 'update', draftId, input, by };
  }
}

export class SignOffFunnelDefinition extends DefinitionBusCommand {
  readonly decision: DefinitionCommand;
  constructor(readonly writer: string, draftId: string, team: Team, by: string) {
    super();
    this.decision = { kind: 'signOff', draftId, team, by };
  }
}

export class PublishFunnelDefinition extends DefinitionBusCommand {
  readonly decision: DefinitionCommand;
  constructor(readonly writer: string, draftId: string) {
    super();
    this.decision = { kind: 'publish', draftId };
  }
}

export class DiscardFunnelDefinitionDraft extends DefinitionBusCommand {
  readonly decision: DefinitionCommand;
  constructor(readonly writer: string, draftId: string, by?: string) {
    super();
    this.decision = { kind: 'discard', draftId, by };
  }
}
