/**
 * The wire and log shape of every event. `occurredAt` is normalised to UTC with millisecond
 * precision (`2026-03-02T10:15:00.000Z`) by validation, so string comparison orders by time.
 */
export interface EventEnvelope<TType extends string = string, TData = unknown> {
  readonly id: string;
  readonly type: TType;
  readonly occurredAt: string;
  readonly schemaVersion: number;
  readonly source?: string;
  readonly currency?: string;
  readonly data: TData;
}

/** One field-level problem, e.g. `{ path: 'data.amount', message: 'must be >= 0' }`. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export type SubjectKind = 'lead' | 'opportunity' | 'campaign' | 'definition';

/** The subject an event is ordered by (its Kafka key, its partition). */
export interface SubjectRef {
  readonly kind: SubjectKind;
  readonly id: string;
}
