import { businessEvents, type LogEvent } from '@funnel/contracts';
import type { EntityManager } from 'typeorm';
import { CAMPAIGNS_READ_MODEL } from './campaigns/campaigns.read-model';
import { CONTACTS_READ_MODEL } from './contacts/contacts.read-model';
import { DEFINITIONS_READ_MODEL } from './definitions/definitions.read-model';
import { HISTORY_READ_MODEL } from './history/history.read-model';
import { LEADS_READ_MODEL } from './leads/leads.read-model';
import { OPPORTUNITIES_READ_MODEL } from './opportunities/opportunities.read-model';
import type { ReadModel } from './read-model';
import { RETRACTIONS_READ_MODEL, withoutRetracted } from './retractions/retractions.read-model';

/**
 * Every PostgreSQL read model, in the order a batch is applied (definitions read the history;
 * retractions rebuild from the history, after the batch is in).
 */
export const READ_MODELS: readonly ReadModel[] = [
  LEADS_READ_MODEL,
  OPPORTUNITIES_READ_MODEL,
  CAMPAIGNS_READ_MODEL,
  HISTORY_READ_MODEL,
  CONTACTS_READ_MODEL,
  DEFINITIONS_READ_MODEL,
  RETRACTIONS_READ_MODEL,
];

/** Applies a batch, without its retracted events, to every read model inside the caller's transaction. */
export async function applyReadModels(em: EntityManager, batchEvents: readonly LogEvent[]): Promise<void> {
  const all = await withoutRetracted(em, batchEvents);
  const batch = { all, events: businessEvents(all) };
  for (const model of READ_MODELS) await model.apply(em, batch);
}
