import { DateTimeScalar } from '../common/date-time.scalar';
import { Args, Float, Int, Query, Resolver } from '@nestjs/graphql';
import { runScoreCalibration } from '@funnel/reporting';
import { checkScoreBands, DEFAULT_SCORE_BANDS } from '@funnel/domain';
import { period } from '../common/report-args';
import { REPORT_COSTS } from '../common/query-complexity.plugin';
import { ReportContext } from '../common/report-context';
import { ReportInputError } from '../common/report-input.error';
import { ScoreBandRow } from './score-calibration.model';

@Resolver()
export class ScoreCalibrationResolver {
  constructor(private readonly ctx: ReportContext) {}

  @Query(() => [ScoreBandRow], {
    complexity: REPORT_COSTS.scoreCalibration, description: 'Does the lead score predict outcomes? Conversion per score band at MQL entry' })
  async scoreCalibration(
    @Args('from', { type: () => DateTimeScalar }) from: Date,
    @Args('to', { type: () => DateTimeScalar }) to: Date,
    @Args('bands', { type: () => [Float], nullable: true, description: 'Ascending lower bounds; default 0,20,40,60,80' })
    bands?: number[],
    @Args('definitionVersion', { type: () => Int, nullable: true }) definitionVersion?: number,
  ): Promise<ScoreBandRow[]> {
    const lowers = bands ?? [...DEFAULT_SCORE_BANDS];
    try {
      checkScoreBands(lowers);
    } catch (e) {
      throw new ReportInputError('bands', (e as Error).message);
    }
    const definition = await this.ctx.definition(definitionVersion);
    const rows = await runScoreCalibration(this.ctx.ch, { ...period(from, to), bands: lowers });
    return rows.map((r) => ({ ...r, definitionVersion: definition.version }));
  }
}
