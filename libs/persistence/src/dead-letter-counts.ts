import type { DataSource } from 'typeorm';

/** Dead letters of one projection, as the `dead_letters` table holds them. */
export interface DeadLetterCount {
  /** Every event ever parked, replayed or not: survives restarts, unlike an in-process counter. */
  readonly recorded: number;
  /** Parked and not replayed yet: what /v1/status reports. */
  readonly pending: number;
}

/**
 * Dead letters per projection. The table is the one record of them in every mode: the Kafka
 * dead-letter store keeps a row there beside each message of `<topic>.dlq`.
 */
export async function deadLetterCounts(ds: DataSource): Promise<ReadonlyMap<string, DeadLetterCount>> {
  const rows: { projection: string; recorded: number; pending: number }[] = await ds.query(
    `SELECT projection, count(*)::int AS recorded, (count(*) FILTER (WHERE replayed_at IS NULL))::int AS pending
     FROM dead_letters GROUP BY projection`,
  );
  return new Map(rows.map(({ projection, recorded, pending }) => [projection, { recorded, pending }]));
}

/** Dead letters not replayed yet, per projection: the `deadLetters` of /v1/status. */
export async function pendingDeadLetters(ds: DataSource): Promise<ReadonlyMap<string, number>> {
  const counts = await deadLetterCounts(ds);
  return new Map([...counts].map(([projection, { pending }]) => [projection, pending]));
}
