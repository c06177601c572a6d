import { EmbeddedClickHouse, migrateClickHouse, CLICKHOUSE_MIGRATIONS_DIR } from '@funnel/clickhouse';
import { generateFunnelEvents, asLogRecords } from '@funnel/testing';
import { ClickHouseProjection } from '../../apps/projector/src/clickhouse/clickhouse.projection';
import { funnelSql } from '../../libs/reporting/src/funnel.sql';
it('runs', async () => {
  const ch = await EmbeddedClickHouse.open('/tmp/chtest-' + process.pid);
  await migrateClickHouse(ch, CLICKHOUSE_MIGRATIONS_DIR);
  await new ClickHouseProjection(ch).apply(asLogRecords(generateFunnelEvents({ leads: 50, seed: 2 })));
  for (const b of [undefined, 'CAMPAIGN', 'CHANNEL', 'OWNER'] as const) {
    const rows = await ch.query(funnelSql({ anchor: 'CAPTURED', windowDays: 30, breakdown: b }), { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z', windowDays: 30 });
    console.log(JSON.stringify(rows));
  }
  await ch.close();
});
