import type { FunnelEvent } from '@funnel/contracts';
import { appendResultOf, firstOfEachId } from './first-id-wins';

function event(id: string, leadId: string): FunnelEvent {
  return { id, type: 'LeadRecycled', occurredAt: '2026-03-02T10:15:00.000Z', schemaVersion: 1, data: { leadId } };
}

describe('first id wins', () => {
  const batch = [event('a', 'L-1'), event('b', 'L-2'), event('a', 'L-3'), event('c', 'L-4'), event('a', 'L-5')];

  it('keeps the first event of each id, in input order', () => {
    expect(firstOfEachId(batch).map((e) => e.data)).toEqual([{ leadId: 'L-1' }, { leadId: 'L-2' }, { leadId: 'L-4' }]);
  });

  it('reports every later occurrence, and every id the log already had, as a duplicate', () => {
    expect(appendResultOf(batch, new Set(['a', 'c']))).toEqual({ accepted: ['a', 'c'], duplicates: ['b', 'a', 'a'] });
  });
});
