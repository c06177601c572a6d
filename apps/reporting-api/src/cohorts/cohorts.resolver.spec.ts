import type { ClickHouse, QueryParams } from '@funnel/clickhouse';
import type { ReportContext } from '../common/report-context';
import { CohortsResolver } from './cohorts.resolver';

describe('CohortsResolver', () => {
  it('given no asOf, when cohorts are asked for, then maturity is measured at the injected clock', async () => {
    const asked: (QueryParams | undefined)[] = [];
    const ch = { query: async (_sql: string, params?: QueryParams) => (asked.push(params), []) } as unknown as ClickHouse;
    const ctx = { ch, definition: async () => ({ version: 3 }) } as unknown as ReportContext;
    const resolver = new CohortsResolver(ctx, { now: () => new Date('2026-02-03T04:05:06.789Z') });

    await resolver.cohorts(new Date('2026-01-01T00:00:00Z'), new Date('2026-02-01T00:00:00Z'), 'MONTH', 'SQL', 'CAPTURED');

    expect(asked).toEqual([expect.objectContaining({ asOf: '2026-02-03T04:05:06.789Z' })]);
  });
});
