import { Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decide, type DefinitionRegistry } from '@funnel/domain';
import {
  CreateFunnelDefinitionDraft,
  DiscardFunnelDefinitionDraft,
  PublishFunnelDefinition,
  SignOffFunnelDefinition,
  UpdateFunnelDefinitionDraft,
  type DefinitionBusCommand,
} from './definition.commands';
import { DefinitionRecorder } from './definition-recorder.service';

/**
 * Decide on the current registry, then record the event. A broken rule is the decider's coded
 * DefinitionError: the command bus hands the handler's rejection to the caller unchanged (it
 * never goes to the event bus), and the GraphQL error filter gives it to the client with its code.
 */
@Injectable()
abstract class DefinitionCommandHandler<C extends DefinitionBusCommand> implements ICommandHandler<DefinitionBusCommand> {
  constructor(private readonly recorder: DefinitionRecorder) {}

  async execute(command: C): Promise<DefinitionRegistry> {
    const event = decide(await this.recorder.currentRegistry(), command.decision);
    return this.recorder.record(event, command.writer);
  }
}

@CommandHandler(CreateFunnelDefinitionDraft)
export class CreateFunnelDefinitionDraftHandler extends DefinitionCommandHandler<CreateFunnelDefinitionDraft> {}

@CommandHandler(UpdateFunnelDefinitionDraft)
export class UpdateFunnelDefinitionDraftHandler extends DefinitionCommandHandler<UpdateFunnelDefinitionDraft> {}

@CommandHandler(SignOffFunnelDefinition)
export class SignOffFunnelDefinitionHandler extends DefinitionCommandHandler<SignOffFunnelDefinition> {}

@CommandHandler(PublishFunnelDefinition)
export class PublishFunnelDefinitionHandler extends DefinitionCommandHandler<PublishFunnelDefinition> {}

@CommandHandler(DiscardFunnelDefinitionDraft)
export class DiscardFunnelDefinitionDraftHandler extends DefinitionCommandHandler<DiscardFunnelDefinitionDraft> {}

export const DEFINITION_COMMAND_HANDLERS = [
  CreateFunnelDefinitionDraftHandler,
  UpdateFunnelDefinitionDraftHandler,
  SignOffFunnelDefinitionHandler,
  PublishFunnelDefinitionHandler,
  DiscardFunnelDefinitionDraftHandler,
];
