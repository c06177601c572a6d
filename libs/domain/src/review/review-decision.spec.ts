import { validateEvent } from '@funnel/contracts';
import { ReviewDecisionError, reviewDecisionEvents, type ReviewDecisionInput } from './review-decision';

const BASE: ReviewDecisionInput = {
  weekOf: '2026-03-09T00:00:00.000Z', subjectId: 'L-1', subjectKind: 'lead', decision: 'ADVANCE', by: 'local', at: '2026-03-09T10:00:00.000Z',
};

describe('reviewDecisionEvents', () => {
  it('given ADVANCE, records the commitment only', () => {
    const events = reviewDecisionEvents(BASE);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'ReviewDecisionRecorded', occurredAt: BASE.at, data: { decision: 'ADVANCE', by: 'local' } });
    expect(events[0].data).not.toHaveProperty('appliedEventId');
  });

  it('given ELIMINATE on a lead, appends LeadDispositioned other / review_eliminated', () => {
    const [recorded, applied] = reviewDecisionEvents({ ...BASE, decision: 'ELIMINATE', note: 'no budget this year' });
    expect(applied).toMatchObject({ type: 'LeadDispositioned', occurredAt: BASE.at, data: { leadId: 'L-1', disposition: 'other', note: 'review_eliminated' } });
    expect(recorded.data).toMatchObject({ note: 'no budget this year', appliedEventId: applied.id });
  });

  it('given ELIMINATE on an opportunity, appends OpportunityLost review_eliminated', () => {
    const [, applied] = reviewDecisionEvents({ ...BASE, subjectId: 'O-1', subjectKind: 'opportunity', decision: 'ELIMINATE' });
    expect(applied).toMatchObject({ type: 'OpportunityLost', data: { opportunityId: 'O-1', reason: 'review_eliminated' } });
  });

  it('given RECYCLE, appends LeadRecycled for a lead and refuses an opportunity', () => {
    expect(reviewDecisionEvents({ ...BASE, decision: 'RECYCLE' })[1]).toMatchObject({ type: 'LeadRecycled', data: { leadId: 'L-1' } });
    expect(() => reviewDecisionEvents({ ...BASE, subjectKind: 'opportunity', decision: 'RECYCLE' })).toThrow(ReviewDecisionError);
  });

  it('derives ids from week, subject and decision only: a retry later gives the same ids, another decision new ones', () => {
    const first = reviewDecisionEvents({ ...BASE, decision: 'ELIMINATE' }).map((e) => e.id);
    expect(reviewDecisionEvents({ ...BASE, decision: 'ELIMINATE', at: '2026-03-10T00:00:00.000Z', note: 'x' }).map((e) => e.id)).toEqual(first);
    expect(reviewDecisionEvents({ ...BASE, decision: 'RECYCLE' })[0].id).not.toBe(first[0]);
    expect(reviewDecisionEvents({ ...BASE, decision: 'ELIMINATE', weekOf: '2026-03-16T00:00:00.000Z' })[0].id).not.toBe(first[0]);
    expect(first[0].length).toBeLessThanOrEqual(128);
  });

  it('appends only events ingest itself would accept', () => {
    for (const [subjectKind, decision] of [['lead', 'ELIMINATE'], ['lead', 'RECYCLE'], ['opportunity', 'ELIMINATE']] as const) {
      const [, applied] = reviewDecisionEvents({ ...BASE, subjectId: 'X'.repeat(128), subjectKind, decision });
      expect(validateEvent(applied, { reportingCurrency: 'USD' })).toMatchObject({ ok: true });
    }
  });
});
