import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { AppConfig } from '@funnel/config';
import { actorOf, ActorRefused, APP_CONFIG, CurrentPrincipal, signerOf, type Principal } from '@funnel/platform';
import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { DateTimeScalar } from '../common/date-time.scalar';
import {
  compareEvidence,
  complianceRows,
  publishedVersion,
  definitionVersion,
  type DefinitionDraft,
  type DefinitionInput,
  type FunnelDefinition,
  type FunnelDefinitionFields,
  type Team,
} from '@funnel/domain';
import { runCapturedEvidence, runEntryEvidence } from '@funnel/reporting';
import { GraphQLError } from 'graphql';
import { randomUUID } from 'node:crypto';
import { inputValidationPipe } from '../common/input-validation.pipe';
import { REPORT_COSTS } from '../common/query-complexity.plugin';
import { period } from '../common/report-args';
import { ReportContext } from '../common/report-context';
import {
  CreateFunnelDefinitionDraft,
  DiscardFunnelDefinitionDraft,
  PublishFunnelDefinition,
  SignOffFunnelDefinition,
  UpdateFunnelDefinitionDraft,
  type DefinitionBusCommand,
} from './commands/definition.commands';
import {
  ComplianceRowModel,
  DefinitionComparison,
  FunnelDefinitionDraftModel,
  FunnelDefinitionInput,
  FunnelDefinitionModel,
  TeamEnum,
} from './definition.model';
import { DefinitionStore } from './definition.store';

const hoursOf = (d: FunnelDefinitionFields) => ({
  workingHours: d.workingHours ? { ...d.workingHours, days: [...d.workingHours.days] } : undefined,
  timeZone: d.timeZone ?? 'UTC',
});

const toDefinition = (d: FunnelDefinition): FunnelDefinitionModel => ({
  ...d,
  stallDays: [...d.stallDays],
  dispositions: [...d.dispositions],
  fallbackQueues: [...d.fallbackQueues],
  ...hoursOf(d),
  publishedAt: new Date(d.publishedAt),
  signOffs: d.signOffs.map((s) => ({ ...s, at: new Date(s.at) })),
});

const toDraft = (d: DefinitionDraft): FunnelDefinitionDraftModel => ({
  ...d,
  stallDays: [...d.stallDays],
  dispositions: [...d.dispositions],
  fallbackQueues: [...d.fallbackQueues],
  ...hoursOf(d),
  publishedVersion: d.publishedVersion ?? null,
  createdAt: new Date(d.createdAt),
  updatedAt: new Date(d.updatedAt),
  signOffs: d.signOffs.map((s) => ({ ...s, at: new Date(s.at) })),
  missingSignOffs: (['MARKETING', 'SALES'] as const).filter((t) => !d.signOffs.some((s) => s.team === t)),
});

const BY = 'Who acts; with API_KEYS set it is always the calling key (omit it, or give that name)';

/** The actor of a recorded action, or the refusal as GraphQL's FORBIDDEN naming the argument. */
function actor(of: () => string): string {
  try {
    return of();
  } catch (e) {
    if (e instanceof ActorRefused) throw new GraphQLError(e.message, { extensions: { code: e.code, field: e.field } });
    throw e;
  }
}

/** Class-validator rules of FunnelDefinitionInput, reported as the domain's INVALID_DEFINITION. */
const definitionInput = inputValidationPipe('INVALID_DEFINITION');

// An explicit `workingHours: null` is kept: it removes the working hours (back to calendar minutes).
const toInput = (input: FunnelDefinitionInput): DefinitionInput =>
  Object.fromEntries(Object.entries(input).filter(([k, v]) => v !== undefined && (v !== null || k === 'workingHours'))) as unknown as DefinitionInput;

/**
 * The funnel definition both teams sign (DESIGN §3): draft, sign off as MARKETING and SALES,
 * publish as the next immutable version; plus compliance of the data with a version and a
 * what-if comparison of two versions on history.
 */
@Resolver()
export class DefinitionsResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly store: DefinitionStore,
    private readonly ctx: ReportContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async draftAfter(command: DefinitionBusCommand): Promise<FunnelDefinitionDraftModel> {
    const registry = await this.commands.execute(command);
    return toDraft(registry.drafts.get(command.decision.draftId) as DefinitionDraft);
  }

  @Mutation(() => FunnelDefinitionDraftModel, { description: 'Proposes a definition; omitted fields take the latest published values' })
  createFunnelDefinitionDraft(
    @CurrentPrincipal() caller: Principal,
    @Args('input', definitionInput) input: FunnelDefinitionInput,
    @Args('by', { nullable: true, description: BY }) by?: string,
  ): Promise<FunnelDefinitionDraftModel> {
    return this.draftAfter(new CreateFunnelDefinitionDraft(caller.name, `draft-${randomUUID()}`, toInput(input), actor(() => actorOf(caller, by))));
  }

  @Mutation(() => FunnelDefinitionDraftModel, { description: 'Replaces a draft; any sign-offs are withdrawn because the text changed' })
  updateFunnelDefinitionDraft(
    @CurrentPrincipal() caller: Principal,
    @Args('draftId', { type: () => ID }) draftId: string,
    @Args('input', definitionInput) input: FunnelDefinitionInput,
    @Args('by', { nullable: true, description: BY }) by?: string,
  ): Promise<FunnelDefinitionDraftModel> {
    return this.draftAfter(new UpdateFunnelDefinitionDraft(caller.name, draftId, toInput(input), actor(() => actorOf(caller, by))));
  }

  @Mutation(() => FunnelDefinitionDraftModel, { description: 'One sign-off per team; publishing needs MARKETING and SALES' })
  signOffFunnelDefinition(
    @CurrentPrincipal() caller: Principal,
    @Args('draftId', { type: () => ID }) draftId: string,
    @Args('team', { type: () => TeamEnum }) team: Team,
    @Args('by', { nullable: true, description: `${BY}; must be listed in SIGNERS for the team` }) by?: string,
  ): Promise<FunnelDefinitionDraftModel> {
    const signer = actor(() => signerOf(caller, this.config.signers, team, by));
    return this.draftAfter(new SignOffFunnelDefinition(caller.name, draftId, team, signer));
  }

  @Mutation(() => FunnelDefinitionModel, { description: 'Publishes a draft signed by both teams as the next version' })
  async publishFunnelDefinition(
    @CurrentPrincipal() caller: Principal,
    @Args('draftId', { type: () => ID }) draftId: string,
  ): Promise<FunnelDefinitionModel> {
    const registry = await this.commands.execute(new PublishFunnelDefinition(caller.name, draftId));
    const version = registry.drafts.get(draftId)?.publishedVersion as number;
    return toDefinition(definitionVersion(registry, version));
  }

  @Mutation(() => FunnelDefinitionDraftModel, { description: 'Abandons an unpublished draft' })
  discardFunnelDefinitionDraft(
    @CurrentPrincipal() caller: Principal,
    @Args('draftId', { type: () => ID }) draftId: string,
    @Args('by', { nullable: true, description: BY }) by?: string,
  ): Promise<FunnelDefinitionDraftModel> {
    return this.draftAfter(new DiscardFunnelDefinitionDraft(caller.name, draftId, actor(() => actorOf(caller, by))));
  }

  @Query(() => FunnelDefinitionModel, { description: 'A published version; the latest when version is omitted' })
  async funnelDefinition(@Args('version', { type: () => Int, nullable: true }) version?: number): Promise<FunnelDefinitionModel> {
    return toDefinition(await this.ctx.definition(version));
  }

  @Query(() => [FunnelDefinitionModel], { description: 'Every published version, oldest first' })
  async funnelDefinitions(): Promise<FunnelDefinitionModel[]> {
    return (await this.store.registry()).published.map(toDefinition);
  }

  @Query(() => [FunnelDefinitionDraftModel], { description: 'Drafts, newest first' })
  async funnelDefinitionDrafts(): Promise<FunnelDefinitionDraftModel[]> {
    const drafts = [...(await this.store.registry()).drafts.values()];
    return drafts.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1)).map(toDraft);
  }

  @Query(() => [ComplianceRowModel], {
    complexity: REPORT_COSTS.definitionCompliance,
    description: 'Per stage, entries in [from, to) that met the entry criteria of the version and those that did not, by missing criterion',
  })
  async definitionCompliance(
    @Args('from', { type: () => DateTimeScalar }) from: Date,
    @Args('to', { type: () => DateTimeScalar }) to: Date,
    @Args('definitionVersion', { type: () => Int, nullable: true }) version?: number,
  ): Promise<ComplianceRowModel[]> {
    const definition = await this.ctx.definition(version);
    const entries = await runEntryEvidence(this.ctx.ch, period(from, to));
    return complianceRows(entries, definition).map((r) => ({ ...r, definitionVersion: definition.version }));
  }

  @Query(() => DefinitionComparison, {
    complexity: REPORT_COSTS.compareDefinitions,
    description: 'What-if: how many leads captured in [from, to) the evidence supports per stage under versions a and b, and who changes class and why',
  })
  async compareDefinitions(
    @Args('a', { type: () => Int }) a: number,
    @Args('b', { type: () => Int }) b: number,
    @Args('from', { type: () => DateTimeScalar }) from: Date,
    @Args('to', { type: () => DateTimeScalar }) to: Date,
  ): Promise<DefinitionComparison> {
    const [da, db] = await Promise.all([this.ctx.definition(a), this.ctx.definition(b)]);
    const evidence = await runCapturedEvidence(this.ctx.ch, period(from, to));
    return { a, b, bDraftId: null, leads: evidence.length, ...compareEvidence(evidence, publishedVersion(da), publishedVersion(db)) };
  }

  @Query(() => DefinitionComparison, {
    complexity: REPORT_COSTS.compareDefinitionDraft,
    description: 'The same what-if for a draft before anyone signs it: the draft (as b) against a published version (a, default latest)',
  })
  async compareDefinitionDraft(
    @Args('draftId', { type: () => ID }) draftId: string,
    @Args('from', { type: () => DateTimeScalar }) from: Date,
    @Args('to', { type: () => DateTimeScalar }) to: Date,
    @Args('against', { type: () => Int, nullable: true }) against?: number,
  ): Promise<DefinitionComparison> {
    const da = await this.ctx.definition(against);
    const draft = (await this.store.registry()).drafts.get(draftId);
    if (!draft) throw new GraphQLError(`no draft ${draftId}`, { extensions: { code: 'DRAFT_NOT_FOUND', field: 'draftId' } });
    const evidence = await runCapturedEvidence(this.ctx.ch, period(from, to));
    const comparison = compareEvidence(evidence, publishedVersion(da), { definition: draft, label: `draft ${draftId}` });
    return { a: da.version, b: draft.publishedVersion ?? null, bDraftId: draftId, leads: evidence.length, ...comparison };
  }
}
