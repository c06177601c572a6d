import { isDefinitionEvent, type DefinitionEvent } from '@funnel/contracts';
import { foldDefinitions } from '@funnel/domain';
import { truncateTables, type ReadModel } from '../read-model';

/**
 * `funnel_definition_versions` and `funnel_definition_drafts`: the definition registry, a fold
 * of its (few) events, recomputed from `subject_events` whenever one arrives. Runs after the
 * history read model in the same transaction, so the batch's own definition events are there.
 */
export const DEFINITIONS_READ_MODEL: ReadModel = {
  name: 'definitions',
  tables: { funnel_definition_versions: 'version', funnel_definition_drafts: 'draft_id' },
  async apply(em, { all }) {
    if (!all.some(isDefinitionEvent)) return;
    // One refresh at a time, whichever projector process runs it.
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('funnel_definition_registry', 0))`);
    const rows: { event: DefinitionEvent }[] = await em.query(`SELECT event FROM subject_events WHERE subject_kind = 'definition'`);
    const registry = foldDefinitions(rows.map((r) => r.event));
    await em.query(`DELETE FROM funnel_definition_versions`);
    await em.query(`DELETE FROM funnel_definition_drafts`);
    await em.query(
      `INSERT INTO funnel_definition_versions (version, definition) SELECT (d->>'version')::int, d FROM jsonb_array_elements($1::jsonb) AS d`,
      [JSON.stringify(registry.published)],
    );
    await em.query(
      `INSERT INTO funnel_definition_drafts (draft_id, draft) SELECT d->>'id', d FROM jsonb_array_elements($1::jsonb) AS d`,
      [JSON.stringify([...registry.drafts.values()])],
    );
  },
  reset: (em) => truncateTables(em, DEFINITIONS_READ_MODEL),
};
