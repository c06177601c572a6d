import type { ConsumerProgress, EventLog } from './event-log.port';

export interface IngestionStatus {
  readonly accepted: number;
  readonly projections: ConsumerProgress[];
}

/** The body of GET /v1/status and of the GraphQL `status` query. */
export async function ingestionStatus(log: EventLog, projections: readonly string[]): Promise<IngestionStatus> {
  const [accepted, progress] = await Promise.all([
    log.acceptedCount(),
    Promise.all(projections.map((p) => log.progress(p))),
  ]);
  return { accepted, projections: progress };
}
