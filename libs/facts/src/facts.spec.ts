import { generateFunnelEvents } from '@funnel/testing';
import { existsSync, readdirSync } from 'node:fs';
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
});
