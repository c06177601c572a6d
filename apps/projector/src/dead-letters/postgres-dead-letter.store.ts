import type { ProjectionName } from '@funnel/config';
import type { LogEvent } from '@funnel/contracts';
import type { LogRecord } from '@funnel/event-log';
import type { DataSource } from 'typeorm';
import { errorMessage } from '../error-message';
import type { DeadLetter, DeadLetterReplay, DeadLetterStore } from './dead-letter.store';

/** Dead letters in the `dead_letters` table (embedded mode and PostgreSQL-only deployments). */
export class PostgresDeadLetterStore implements DeadLetterStore {
  constructor(private readonly ds: DataSource) {}

  async put(projection: ProjectionName, record: LogRecord, error: string): Promise<void> {
    await this.ds.query(
      `INSERT INTO dead_letters (projection, event_id, position, error, event) VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (projection, event_id) DO UPDATE SET error = excluded.error, failed_at = now(), replayed_at = NULL`,
      [projection, storable(record.event.id), record.position, storable(error), JSON.stringify(record.event, storableValue)],
    );
  }

  /** Marks the letter of `eventId` replayed (the Kafka store keeps its rows here for the counts). */
  async markReplayed(projection: ProjectionName, eventId: string): Promise<void> {
    await this.ds.query(`UPDATE dead_letters SET replayed_at = now() WHERE projection = $1 AND event_id = $2`, [
      projection,
      storable(eventId),
    ]);
  }

  async replay(projection: ProjectionName, apply: (record: LogRecord) => Promise<void>): Promise<DeadLetterReplay> {
    const pending: { id: string; position: string; event: LogEvent }[] = await this.ds.query(
      `SELECT id::text AS id, position, event FROM dead_letters WHERE projection = $1 AND replayed_at IS NULL ORDER BY id`,
      [projection],
    );
    let replayed = 0;
    let failed = 0;
    for (const { id, position, event } of pending) {
      try {
        await apply({ position, event });
      } catch (error) {
        failed++;
        await this.ds.query(`UPDATE dead_letters SET error = $2, failed_at = now() WHERE id = $1`, [id, errorMessage(error)]);
        continue;
      }
      replayed++;
      await this.ds.query(`UPDATE dead_letters SET replayed_at = now() WHERE id = $1`, [id]);
    }
    return { replayed, failed };
  }

  async list(projection?: ProjectionName): Promise<DeadLetter[]> {
    const rows: (Omit<DeadLetter, 'failedAt'> & { failedAt: Date })[] = await this.ds.query(
      `SELECT projection, position, error, failed_at AS "failedAt", event FROM dead_letters
       WHERE replayed_at IS NULL AND ($1::text IS NULL OR projection = $1) ORDER BY id`,
      [projection ?? null],
    );
    return rows.map((r) => ({ ...r, failedAt: r.failedAt.toISOString() }));
  }

  async discard(projection: ProjectionName): Promise<void> {
    await this.ds.query(`DELETE FROM dead_letters WHERE projection = $1`, [projection]);
  }

  async close(): Promise<void> {}
}

// A letter must always be storable, or the projection could not get past it: an undecodable
// Kafka message may hold NUL or lone surrogates, which text and jsonb refuse. They become U+FFFD.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const storable = (text: string): string => text.replace(UNSTORABLE, '\uFFFD');
const storableValue = (_key: string, value: unknown): unknown => (typeof value === 'string' ? storable(value) : value);
