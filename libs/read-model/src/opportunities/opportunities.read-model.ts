import { subjectOf, type OpportunityEvent } from '@funnel/contracts';
import { evolveOpportunity } from '@funnel/domain';
import { truncateTables, type ReadModel } from '../read-model';
import { OPPORTUNITIES } from './opportunities.table';

/** `opportunities`: the fold of each opportunity's events. */
export const OPPORTUNITIES_READ_MODEL: ReadModel = {
  name: 'opportunities',
  tables: { [OPPORTUNITIES.name]: OPPORTUNITIES.key },
  apply: (em, { events }) =>
    OPPORTUNITIES.merge(em, events.filter((e): e is OpportunityEvent => subjectOf(e).kind === 'opportunity'), evolveOpportunity),
  reset: (em) => truncateTables(em, OPPORTUNITIES_READ_MODEL),
};
