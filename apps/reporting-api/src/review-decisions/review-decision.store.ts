import { Inject, Injectable } from '@nestjs/common';
import type { LogEvent, ReviewDecisionRecorded, ReviewSubjectKind } from '@funnel/contracts';
import { READ_MODEL } from '@funnel/platform';
import type { DataSource } from 'typeorm';

/**
 * The review decisions as the PostgreSQL projection stored them: in `subject_events`, under the
 * subject each is about, beside everything else that happened to that subject.
 */
@Injectable()
export class ReviewDecisionStore {
  constructor(@Inject(READ_MODEL) private readonly ds: DataSource) {}

  /** What the subject id names in the read model: a lead, an opportunity, or (an id used for both) both. */
  async kindsOf(subjectId: string): Promise<ReviewSubjectKind[]> {
    const rows: { kind: ReviewSubjectKind }[] = await this.ds.query(
      `SELECT 'lead' AS kind FROM leads WHERE lead_id = $1
       UNION ALL SELECT 'opportunity' AS kind FROM opportunities WHERE opportunity_id = $1`,
      [subjectId],
    );
    return rows.map((r) => r.kind);
  }

  async decision(id: string): Promise<ReviewDecisionRecorded | undefined> {
    const [row] = await this.ds.query(`SELECT event FROM subject_events WHERE event_id = $1 AND type = 'ReviewDecisionRecorded'`, [id]);
    return row?.event;
  }

  /** Decisions of the meetings whose weekOf is in [from, to), by weekOf, then when decided. */
  async decisions(from: string, to: string): Promise<ReviewDecisionRecorded[]> {
    const rows: { event: ReviewDecisionRecorded }[] = await this.ds.query(
      `SELECT event FROM subject_events
        WHERE type = 'ReviewDecisionRecorded'
          AND (event->'data'->>'weekOf')::timestamptz >= $1 AND (event->'data'->>'weekOf')::timestamptz < $2
        ORDER BY (event->'data'->>'weekOf')::timestamptz, occurred_at, event_id`,
      [from, to],
    );
    return rows.map((r) => r.event);
  }

  /** The subject's events from `at` on (the decision itself left out), in business-time order. */
  async since(kind: ReviewSubjectKind, subjectId: string, at: string, decisionId: string): Promise<LogEvent[]> {
    const rows: { event: LogEvent }[] = await this.ds.query(
      `SELECT event FROM subject_events
        WHERE subject_kind = $1 AND subject_id = $2 AND occurred_at >= $3 AND event_id <> $4
        ORDER BY occurred_at, event_id`,
      [kind, subjectId, at, decisionId],
    );
    return rows.map((r) => r.event);
  }
}
