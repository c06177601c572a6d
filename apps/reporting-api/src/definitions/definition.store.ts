import { Inject, Injectable } from '@nestjs/common';
import { EMPTY_REGISTRY, type DefinitionDraft, type DefinitionRegistry, type FunnelDefinition } from '@funnel/domain';
import { READ_MODEL } from '@funnel/platform';
import type { DataSource } from 'typeorm';

/** The definition registry as the PostgreSQL projection last folded it. */
@Injectable()
export class DefinitionStore {
  constructor(@Inject(READ_MODEL) private readonly ds: DataSource) {}

  async registry(): Promise<DefinitionRegistry> {
    const [versions, drafts] = await Promise.all([
      this.ds.query(`SELECT definition FROM funnel_definition_versions ORDER BY version`) as Promise<{ definition: FunnelDefinition }[]>,
      this.ds.query(`SELECT draft FROM funnel_definition_drafts ORDER BY draft_id`) as Promise<{ draft: DefinitionDraft }[]>,
    ]);
    // Before the first definition event nothing is folded yet: version 1 alone is in force.
    if (versions.length === 0) return EMPTY_REGISTRY;
    return { published: versions.map((v) => v.definition), drafts: new Map(drafts.map((d) => [d.draft.id, d.draft])) };
  }

  /** Whether the projection has applied this event (the registry tables change in the same transaction). */
  async hasApplied(eventId: string): Promise<boolean> {
    const rows = await this.ds.query(`SELECT 1 FROM subject_events WHERE event_id = $1`, [eventId]);
    return rows.length > 0;
  }

  /** Business time of the latest definition event, so the next one sorts after it. */
  async lastEventAt(): Promise<string | undefined> {
    const [row] = await this.ds.query(`SELECT max(occurred_at) AS at FROM subject_events WHERE subject_kind = 'definition'`);
    return row?.at ? new Date(row.at).toISOString() : undefined;
  }
}
