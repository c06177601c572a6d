import { registerEnumType } from '@nestjs/graphql';
import { ATTRIBUTION_MODELS, DIMENSIONS, FUNNEL_STAGES, GRAINS, MILESTONES } from '@funnel/domain';

/** GraphQL enums of DESIGN §5, built from the domain's own vocabularies so they cannot drift. */
const asEnum = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as Record<T, T>;

export const FunnelStageEnum = asEnum(FUNNEL_STAGES);
export const DimensionEnum = asEnum(DIMENSIONS);
export const GrainEnum = asEnum(GRAINS);
export const AttributionModelEnum = asEnum(ATTRIBUTION_MODELS);
export const MilestoneEnum = asEnum(MILESTONES);

registerEnumType(FunnelStageEnum, { name: 'FunnelStage', description: 'Unified stage order CAPTURED < MQL < SAL < SQL < OPPORTUNITY < WON' });
registerEnumType(DimensionEnum, { name: 'Dimension', description: 'Breakdown key of a lead (DESIGN §4 Breakdowns)' });
registerEnumType(GrainEnum, { name: 'Grain', description: 'Calendar bucket: DAY YYYY-MM-DD, ISO WEEK YYYY-Www, MONTH YYYY-MM' });
registerEnumType(AttributionModelEnum, { name: 'AttributionModel' });
registerEnumType(MilestoneEnum, { name: 'Milestone', description: 'The conversion that receives credit' });
