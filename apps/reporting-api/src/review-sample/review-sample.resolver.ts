import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { DEFAULT_REVIEW_SEED, DEFAULT_REVIEW_SIZE, MAX_REVIEW_SIZE, stallDaysOf } from '@funnel/domain';
import { runReviewSample } from '@funnel/reporting';
import { DateTimeScalar } from '../common/date-time.scalar';
import { REPORT_COSTS } from '../common/query-complexity.plugin';
import { iso } from '../common/report-args';
import { ReportContext } from '../common/report-context';
import { ReportInputError } from '../common/report-input.error';
import { ReviewSample } from './review-sample.model';

@Resolver()
export class ReviewSampleResolver {
  constructor(private readonly ctx: ReportContext) {}

  @Query(() => ReviewSample, {
    complexity: REPORT_COSTS.reviewSample,
    description: 'What the weekly review looks at: a stratified, reproducible sample of the week before weekOf',
  })
  async reviewSample(
    @Args('weekOf', { type: () => DateTimeScalar, description: 'End of the week, used as given (not moved to a Monday)' }) weekOf: Date,
    @Args('size', { type: () => Int, nullable: true, defaultValue: DEFAULT_REVIEW_SIZE }) sizeArg?: number | null,
    @Args('seed', { type: () => Int, nullable: true, defaultValue: DEFAULT_REVIEW_SEED }) seedArg?: number | null,
    @Args('definitionVersion', { type: () => Int, nullable: true }) definitionVersion?: number,
  ): Promise<ReviewSample> {
    // An explicit null means the default too.
    const [size, seed] = [sizeArg ?? DEFAULT_REVIEW_SIZE, seedArg ?? DEFAULT_REVIEW_SEED];
    if (!Number.isInteger(size) || size < 0 || size > MAX_REVIEW_SIZE) throw new ReportInputError('size', `must be from 0 to ${MAX_REVIEW_SIZE}, got ${size}`);
    const definition = await this.ctx.definition(definitionVersion);
    const sample = await runReviewSample(this.ctx.ch, {
      weekOf: iso(weekOf),
      size,
      seed,
      speedToLeadMinutes: definition.speedToLeadMinutes,
      stallDays: stallDaysOf(definition),
    });
    return { ...sample, weekOf: new Date(sample.weekOf), definitionVersion: definition.version };
  }
}
