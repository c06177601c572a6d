import type { FunnelEvent, LogEvent } from '@funnel/contracts';
import type { EntityManager } from 'typeorm';

/** The events of one batch, as each read model wants them. */
export interface ReadModelBatch {
  /** Everything read from the log, definition events included. */
  readonly all: readonly LogEvent[];
  /** The business events (no definition events). */
  readonly events: readonly FunnelEvent[];
}

/**
 * One PostgreSQL read model: the tables it owns (each with its key), how a batch changes them
 * (inside the caller's transaction, which holds the other read models' changes and the
 * checkpoint), and how to empty them for a replay. Nothing else (dead letters included) is its to touch.
 */
export interface ReadModel {
  readonly name: string;
  readonly tables: Readonly<Record<string, string>>;
  /** Views over its tables, each with its key (read by dumps; reset leaves them). */
  readonly views?: Readonly<Record<string, string>>;
  apply(em: EntityManager, batch: ReadModelBatch): Promise<void>;
  reset(em: EntityManager): Promise<void>;
}

/** Empties the read model's own tables. */
export async function truncateTables(em: EntityManager, model: Pick<ReadModel, 'tables'>): Promise<void> {
  await em.query(`TRUNCATE ${Object.keys(model.tables).join(', ')}`);
}
