import type { LogEvent } from '@funnel/contracts';
import { retractionOf, RetractionError } from './retraction';

const won = { id: 'E-1', type: 'OpportunityWon', occurredAt: '2026-02-01T00:00:00.000Z', schemaVersion: 1, data: { opportunityId: 'O-1', amount: 5 } } as LogEvent;
const at = '2026-03-01T00:00:00.000Z';

describe('retractionOf', () => {
  it('sits under the retracted event\'s subject, with who, why and what', () => {
    expect(retractionOf(won, { reason: 'typo', by: 'mia', at })).toEqual({
      id: 'retract:E-1', type: 'EventRetracted', occurredAt: at, schemaVersion: 1,
      data: { eventId: 'E-1', reason: 'typo', by: 'mia', retractedType: 'OpportunityWon', subjectKind: 'opportunity', subjectId: 'O-1' },
    });
  });

  it('needs a reason', () => {
    for (const reason of [undefined, '', '  ', 7, 'x'.repeat(2001)]) {
      expect(() => retractionOf(won, { reason, by: 'mia', at })).toThrow(expect.objectContaining({ code: 'INVALID_REASON' }));
    }
  });

  it('refuses the events Funnel Ledger writes itself, a retraction included', () => {
    const retraction = retractionOf(won, { reason: 'typo', by: 'mia', at });
    expect(() => retractionOf(retraction, { reason: 'again', by: 'mia', at })).toThrow(RetractionError);
    expect(() => retractionOf(retraction, { reason: 'again', by: 'mia', at })).toThrow(expect.objectContaining({ code: 'NOT_RETRACTABLE' }));
  });
});
