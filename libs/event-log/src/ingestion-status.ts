import type { ConsumerProgress, EventLog } from './event-log.port';

export interface ProjectionStatus extends ConsumerProgress {
  /** Events this projection parked in the dead-letter store and that are not replayed yet. */
  readonly deadLetters: number;
}

export interface IngestionStatus {
  readonly accepted: number;
  readonly projections: ProjectionStatus[];
}

/**
 * The body of GET /v1/status and of the GraphQL `status` query. `pendingDeadLetters` gives the
 * dead letters not replayed yet per projection (the store lives beside the read model).
 */
export async function ingestionStatus(
  log: EventLog,
  projections: readonly string[],
  pendingDeadLetters: () => Promise<ReadonlyMap<string, number>>,
): Promise<IngestionStatus> {
  const [accepted, progress, deadLetters] = await Promise.all([
    log.acceptedCount(),
    Promise.all(projections.map((p) => log.progress(p))),
    pendingDeadLetters(),
  ]);
  return { accepted, projections: progress.map((p) => ({ ...p, deadLetters: deadLetters.get(p.name) ?? 0 })) };
}
