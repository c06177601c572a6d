-- Closed-loop attribution facts. One row per event (per lead for links), ReplacingMergeTree
-- keyed by event id: a redelivered event is a duplicate row until a merge, so every query over
-- these tables must be correct before merges (FINAL, argMax or uniqExact(event_id)).

CREATE TABLE IF NOT EXISTS lead_captures (
  event_id String,
  lead_id String,
  occurred_at DateTime64(3, 'UTC'),
  account_id Nullable(String),
  campaign_id Nullable(String),
  channel Nullable(String),
  owner_id Nullable(String),
  segment Nullable(String),
  region Nullable(String),
  product Nullable(String),
  industry Nullable(String),
  company_size Nullable(String)
) ENGINE = ReplacingMergeTree ORDER BY event_id;

-- A LeadTouched, or a LeadCaptured that has a campaign (touch_type form_fill, from_capture 1).
CREATE TABLE IF NOT EXISTS touches (
  event_id String,
  lead_id String,
  occurred_at DateTime64(3, 'UTC'),
  campaign_id Nullable(String),
  channel Nullable(String),
  touch_type LowCardinality(String),
  from_capture UInt8
) ENGINE = ReplacingMergeTree ORDER BY event_id;

CREATE TABLE IF NOT EXISTS lead_stage_entries (
  event_id String,
  lead_id String,
  occurred_at DateTime64(3, 'UTC'),
  stage LowCardinality(String)
) ENGINE = ReplacingMergeTree ORDER BY event_id;

CREATE TABLE IF NOT EXISTS lead_scores (
  event_id String,
  lead_id String,
  occurred_at DateTime64(3, 'UTC'),
  score Float64,
  fit Nullable(Float64),
  engagement Nullable(Float64)
) ENGINE = ReplacingMergeTree ORDER BY event_id;

CREATE TABLE IF NOT EXISTS lead_qualifications (
  event_id String,
  lead_id String,
  occurred_at DateTime64(3, 'UTC'),
  budget Nullable(UInt8),
  authority Nullable(UInt8),
  need Nullable(UInt8),
  timeline_days Nullable(Int32)
) ENGINE = ReplacingMergeTree ORDER BY event_id;

CREATE TABLE IF NOT EXISTS lead_assignments (
  event_id String,
  lead_id String,
  occurred_at DateTime64(3, 'UTC'),
  owner_id String,
  queue Nullable(String),
  rule Nullable(String)
) ENGINE = ReplacingMergeTree ORDER BY event_id;

CREATE TABLE IF NOT EXISTS lead_activities (
  event_id String,
  lead_id String,
  occurred_at DateTime64(3, 'UTC'),
  owner_id Nullable(String),
  activity_type LowCardinality(String)
) ENGINE = ReplacingMergeTree ORDER BY event_id;

-- LeadDispositioned (disposition set) and LeadRecycled (kind 'recycled').
CREATE TABLE IF NOT EXISTS lead_dispositions (
  event_id String,
  lead_id String,
  occurred_at DateTime64(3, 'UTC'),
  kind LowCardinality(String),
  disposition Nullable(String),
  note Nullable(String)
) ENGINE = ReplacingMergeTree ORDER BY event_id;

-- LeadConverted (via 'converted') and each lead of OpportunityCreated.leadIds (via 'created').
CREATE TABLE IF NOT EXISTS lead_links (
  event_id String,
  lead_id String,
  opportunity_id String,
  occurred_at DateTime64(3, 'UTC'),
  via LowCardinality(String)
) ENGINE = ReplacingMergeTree ORDER BY (event_id, lead_id);

-- Every opportunity event: creation, stage and amount changes, status changes, next steps, stall acks.
CREATE TABLE IF NOT EXISTS opportunity_events (
  event_id String,
  opportunity_id String,
  occurred_at DateTime64(3, 'UTC'),
  type LowCardinality(String),
  stage Nullable(String),
  amount Nullable(Float64),
  account_id Nullable(String),
  owner_id Nullable(String),
  reason Nullable(String),
  next_step Nullable(String),
  due_at Nullable(DateTime64(3, 'UTC')),
  resume_by Nullable(DateTime64(3, 'UTC'))
) ENGINE = ReplacingMergeTree ORDER BY event_id;

CREATE TABLE IF NOT EXISTS campaigns (
  event_id String,
  campaign_id String,
  occurred_at DateTime64(3, 'UTC'),
  name String,
  channel String,
  budget Nullable(Float64)
) ENGINE = ReplacingMergeTree ORDER BY event_id;

CREATE TABLE IF NOT EXISTS campaign_costs (
  event_id String,
  campaign_id String,
  occurred_at DateTime64(3, 'UTC'),
  amount Float64,
  period_start DateTime64(3, 'UTC'),
  period_end DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree ORDER BY event_id;
