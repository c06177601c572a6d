import { validateEvent } from '@funnel/contracts';
import { generateFunnelEvents } from './event-generator';

describe('generateFunnelEvents', () => {
  it('makes only events that ingest accepts and returns unchanged', () => {
    for (const routing of [false, true]) {
      for (let seed = 1; seed <= 12; seed++) {
        for (const event of generateFunnelEvents({ leads: 30, seed, routing, prefix: `s${seed}` })) {
          const result = validateEvent(JSON.parse(JSON.stringify(event)), { reportingCurrency: 'USD' });
          expect(result).toEqual({ ok: true, event });
        }
      }
    }
  });

  it('is deterministic per seed', () => {
    expect(generateFunnelEvents({ leads: 25, seed: 7 })).toEqual(generateFunnelEvents({ leads: 25, seed: 7 }));
    expect(generateFunnelEvents({ leads: 25, seed: 7 })).not.toEqual(generateFunnelEvents({ leads: 25, seed: 8 }));
  });
});
