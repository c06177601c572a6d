import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { TEAMS } from '@funnel/contracts';
import { CRITERIA, DEFINITION_RANGES, EVIDENCE_STAGES, MAX_HALF_LIFE_DAYS } from '@funnel/domain';
import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsPositive,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

const asEnum = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as Record<T, T>;
export const TeamEnum = asEnum(TEAMS);
export const CriterionEnum = asEnum(CRITERIA);
export const EvidenceStageEnum = asEnum(EVIDENCE_STAGES);
registerEnumType(TeamEnum, { name: 'Team' });
registerEnumType(CriterionEnum, { name: 'EntryCriterion', description: 'An entry criterion a stage entry missed' });
registerEnumType(EvidenceStageEnum, { name: 'EvidenceStage', description: 'The highest stage the evidence supports' });

/**
 * A whole number in one of the domain's ranges (DEFINITION_RANGES), with the domain's message.
 * The input is checked here at the edge (inputValidationPipe); checkDefinition in libs/domain
 * still guards every command, whoever sends it.
 */
const WholeNumberIn = ({ min, max }: { readonly min: number; readonly max: number }) => {
  const message = { message: ({ value }: { value: unknown }) => `must be a whole number from ${min} to ${max}, got ${String(value)}` };
  return applyDecorators(IsInt(message), Min(min, message), Max(max, message));
};

@InputType()
export class StallDaysInput {
  @Field() @IsNotEmpty({ message: 'must not be empty' }) stage!: string;
  @Field(() => Int) @WholeNumberIn(DEFINITION_RANGES.stallDays) days!: number;
}

@InputType({ description: 'SLA business hours: the clock counts only these local hours of these days' })
export class WorkingHoursInput {
  @Field(() => [String], { description: 'Days of the week: MON TUE WED THU FRI SAT SUN' }) days!: string[];
  @Field({ description: 'Local start, HH:MM' }) start!: string;
  @Field({ description: 'Local end, HH:MM (24:00 = midnight)' }) end!: string;
}

@InputType({ description: 'Omitted fields take the values of the latest published version' })
export class FunnelDefinitionInput {
  @Field()
  @Length(DEFINITION_RANGES.name.min, DEFINITION_RANGES.name.max, {
    message: `must be ${DEFINITION_RANGES.name.min}–${DEFINITION_RANGES.name.max} characters`,
  })
  name!: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @WholeNumberIn(DEFINITION_RANGES.mqlMinScore) mqlMinScore?: number;
  @Field({ nullable: true }) sqlRequireBudget?: boolean;
  @Field({ nullable: true }) sqlRequireAuthority?: boolean;
  @Field({ nullable: true }) sqlRequireNeed?: boolean;
  @Field(() => Int, { nullable: true }) @IsOptional() @WholeNumberIn(DEFINITION_RANGES.sqlMaxTimelineDays) sqlMaxTimelineDays?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @WholeNumberIn(DEFINITION_RANGES.speedToLeadMinutes) speedToLeadMinutes?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @WholeNumberIn(DEFINITION_RANGES.stallDaysDefault) stallDaysDefault?: number;
  @Field(() => [StallDaysInput], { nullable: true })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => StallDaysInput)
  stallDays?: StallDaysInput[];
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @WholeNumberIn(DEFINITION_RANGES.attributionLookbackDays)
  attributionLookbackDays?: number;
  @Field(() => Float, { nullable: true })
  @IsOptional()
  @IsPositive({ message: ({ value }) => `must be > 0 and <= ${MAX_HALF_LIFE_DAYS}, got ${String(value)}` })
  @Max(MAX_HALF_LIFE_DAYS, { message: ({ value }) => `must be > 0 and <= ${MAX_HALF_LIFE_DAYS}, got ${String(value)}` })
  attributionHalfLifeDays?: number;
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayNotEmpty({ message: 'must list at least one disposition' })
  @ArrayUnique({ message: 'must not repeat a value' })
  @IsNotEmpty({ each: true, message: 'must not contain an empty value' })
  dispositions?: string[];
  @Field(() => [String], { nullable: true, description: 'Queues that mean "nobody owns this yet" (routing coverage)' })
  @IsOptional()
  @ArrayUnique({ message: 'must not repeat a value' })
  @IsNotEmpty({ each: true, message: 'must not contain an empty value' })
  fallbackQueues?: string[];
  @Field(() => WorkingHoursInput, { nullable: true, description: 'SLA business hours; null removes them (calendar minutes)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => WorkingHoursInput)
  workingHours?: WorkingHoursInput | null;
  @Field({ nullable: true, description: 'IANA time zone of the working hours (default UTC)' }) timeZone?: string;
}

@ObjectType()
export class SignOffModel {
  @Field(() => TeamEnum) team!: string;
  @Field() by!: string;
  @Field() at!: Date;
}

@ObjectType('StallDays')
export class StallDaysModel {
  @Field() stage!: string;
  @Field(() => Int) days!: number;
}

@ObjectType('WorkingHours')
export class WorkingHoursModel {
  @Field(() => [String]) days!: string[];
  @Field() start!: string;
  @Field() end!: string;
}

@ObjectType({ isAbstract: true })
abstract class DefinitionFieldsModel {
  @Field() name!: string;
  @Field(() => [SignOffModel]) signOffs!: SignOffModel[];
  @Field(() => Int) mqlMinScore!: number;
  @Field() sqlRequireBudget!: boolean;
  @Field() sqlRequireAuthority!: boolean;
  @Field() sqlRequireNeed!: boolean;
  @Field(() => Int) sqlMaxTimelineDays!: number;
  @Field(() => Int) speedToLeadMinutes!: number;
  @Field(() => Int) stallDaysDefault!: number;
  @Field(() => [StallDaysModel]) stallDays!: StallDaysModel[];
  @Field(() => Int) attributionLookbackDays!: number;
  @Field(() => Float) attributionHalfLifeDays!: number;
  @Field(() => [String]) dispositions!: string[];
  @Field(() => [String]) fallbackQueues!: string[];
  @Field(() => WorkingHoursModel, { nullable: true, description: 'SLA business hours; null = calendar minutes' }) workingHours?: WorkingHoursModel;
  @Field({ description: 'IANA time zone of the working hours', defaultValue: 'UTC' }) timeZone!: string;
}

@ObjectType('FunnelDefinition', { description: 'A published, immutable version of the funnel definition' })
export class FunnelDefinitionModel extends DefinitionFieldsModel {
  @Field(() => Int) version!: number;
  @Field() publishedAt!: Date;
}

@ObjectType('FunnelDefinitionDraft', { description: 'A proposed definition; published once MARKETING and SALES have both signed it' })
export class FunnelDefinitionDraftModel extends DefinitionFieldsModel {
  @Field(() => ID) id!: string;
  @Field({ description: 'DRAFT, PUBLISHED or DISCARDED' }) status!: string;
  @Field(() => Int, { nullable: true }) publishedVersion!: number | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
  @Field(() => [String], { description: 'Teams whose sign-off is still missing' }) missingSignOffs!: string[];
}

@ObjectType()
export class MissingCriterionModel {
  @Field(() => CriterionEnum) criterion!: string;
  @Field(() => Int) count!: number;
  @Field(() => [ID]) leadIds!: string[];
}

@ObjectType('DefinitionComplianceRow', { description: 'Stage entries of the period that met the entry criteria and those that did not' })
export class ComplianceRowModel {
  @Field() stage!: string;
  @Field(() => Int) entries!: number;
  @Field(() => Int) compliant!: number;
  @Field(() => Int) nonCompliant!: number;
  @Field(() => [MissingCriterionModel]) missing!: MissingCriterionModel[];
  @Field(() => [ID]) compliantLeadIds!: string[];
  @Field(() => [ID]) nonCompliantLeadIds!: string[];
  @Field(() => Int) definitionVersion!: number;
}

@ObjectType()
export class StageSupportModel {
  @Field(() => EvidenceStageEnum) stage!: string;
  @Field(() => Int, { description: 'Leads whose evidence supports this stage or later under version a' }) supportedUnderA!: number;
  @Field(() => Int) supportedUnderB!: number;
}

@ObjectType()
export class ClassChangeModel {
  @Field(() => ID) leadId!: string;
  @Field(() => EvidenceStageEnum) stageUnderA!: string;
  @Field(() => EvidenceStageEnum) stageUnderB!: string;
  @Field(() => [String]) reasons!: string[];
}

@ObjectType({ description: 'What-if: the same evidence judged by two definition versions' })
export class DefinitionComparison {
  @Field(() => Int) a!: number;
  @Field(() => Int, { nullable: true, description: 'null when b is an unpublished draft' }) b!: number | null;
  @Field(() => ID, { nullable: true }) bDraftId!: string | null;
  @Field(() => Int, { description: 'Leads captured in the period, judged on their evidence at its end' }) leads!: number;
  @Field(() => [StageSupportModel]) stages!: StageSupportModel[];
  @Field(() => [ClassChangeModel]) changes!: ClassChangeModel[];
}
