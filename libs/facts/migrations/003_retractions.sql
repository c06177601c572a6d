-- Corrections (DESIGN §2): the ids of retracted events, from their EventRetracted. The projection
-- leaves these events out of the facts, so a redelivered or replayed retracted event adds nothing;
-- emptied with the facts, a replay refills it from the log.
CREATE TABLE IF NOT EXISTS retracted_events {{on_cluster}} (
  event_id String,
  retraction_id String
) ENGINE = {{engine:retracted_events:ReplacingMergeTree}} ORDER BY event_id;
