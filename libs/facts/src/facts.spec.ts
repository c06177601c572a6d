import { generateFunnelEvents } from '@funnel/testing';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FACT_MIGRATIONS_DIR, LEAD_EVENT_FACTS, factsOf } from './index';

describe('the fact contract', () => {
  it('owns its migrations', () => {
    expect(existsSync(FACT_MIGRATIONS_DIR)).toBe(true);
    expect(readdirSync(FACT_MIGRATIONS_DIR)).toContain('001_facts.sql');
  });

  it('LEAD_EVENT_FACTS holds exactly the fact rows of events that have a data.leadId', () => {
    const leadEventTables = new Set(LEAD_EVENT_FACTS.map((f) => f.table));
    for (const event of generateFunnelEvents({ leads: 60, seed: 3 })) {
      const isLeadEvent = 'leadId' in event.data;
      // A capture's own touch and OpportunityCreated's links are filtered out by LEAD_EVENT_FACTS' conditions.
      const [first] = factsOf(event);
      expect({ type: event.type, leadEvent: leadEventTables.has(first.table) })
        .toEqual({ type: event.type, leadEvent: isLeadEvent });
    }
  });

  it('lead_state has one materialized view per table of LEAD_EVENT_FACTS, with its condition', () => {
    // Every migration in order: a later one (004) replaces a view an earlier one created.
    const sql = readdirSync(FACT_MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort()
      .map((f) => readFileSync(join(FACT_MIGRATIONS_DIR, f), 'utf8')).join('\n');
    const latest = new Map([...sql.matchAll(/CREATE MATERIALIZED VIEW IF NOT EXISTS lead_state_from_(\w+) [^]*?\nFROM (\w+)( WHERE ([^\n]*?))? GROUP BY/g)]
      .map(([, name, table, , where]) => [name, { name, table, where }]));
    const views = [...latest.values()];
    const byTable = (a: { table: string }, b: { table: string }) => a.table.localeCompare(b.table);
    expect(views.map(({ table, where }) => ({ table, where: table === 'touches' ? 'from_capture = 0' : where })).sort(byTable))
      .toEqual(LEAD_EVENT_FACTS.map(({ table, where }) => ({ table, where })).sort(byTable));
    expect(views.every((v) => v.name === v.table)).toBe(true);
    // The touches view sees captures' own touches too (for the first touch), so its first_at is conditional.
    expect(sql).toContain('minIfOrNull(occurred_at, from_capture = 0) AS first_at');
  });
});
