-- Reports read per-lead and per-opportunity state instead of re-deriving it from every event,
-- and the facts sit in the order reports filter and join on (DESIGN §4 is per lead and per
-- opportunity), so a report over a few leads reads their rows only through the primary key.
--
-- The double-brace placeholders (on_cluster, engine:<table>:<family>) are filled by the
-- migration runner (libs/clickhouse clickhouse-layout.ts); on one node they give today's engines.
-- Run it with the projector stopped (npm start migrates before it consumes): rows written into
-- a fact table while it is copied are not in the rebuilt copy.

-- 1. Rebuild every fact table sorted by its subject and time. Same names and columns. The extra
-- sort columns are fixed by the event (event_id decides lead, opportunity and time), so
-- ReplacingMergeTree still keeps one row per event (per lead for links) and every query stays
-- correct before merges. Each rebuild can run again after a failure at any statement: the copy
-- is dropped first and only the exchanged table is kept.

DROP TABLE IF EXISTS lead_captures_rebuild {{on_cluster}};
CREATE TABLE lead_captures_rebuild {{on_cluster}} AS lead_captures ENGINE = {{engine:lead_captures:ReplacingMergeTree}} ORDER BY (lead_id, occurred_at, event_id);
INSERT INTO lead_captures_rebuild SELECT * FROM lead_captures;
EXCHANGE TABLES lead_captures AND lead_captures_rebuild {{on_cluster}};
DROP TABLE lead_captures_rebuild {{on_cluster}};

DROP TABLE IF EXISTS touches_rebuild {{on_cluster}};
CREATE TABLE touches_rebuild {{on_cluster}} AS touches ENGINE = {{engine:touches:ReplacingMergeTree}} ORDER BY (lead_id, occurred_at, event_id);
INSERT INTO touches_rebuild SELECT * FROM touches;
EXCHANGE TABLES touches AND touches_rebuild {{on_cluster}};
DROP TABLE touches_rebuild {{on_cluster}};

DROP TABLE IF EXISTS lead_stage_entries_rebuild {{on_cluster}};
CREATE TABLE lead_stage_entries_rebuild {{on_cluster}} AS lead_stage_entries ENGINE = {{engine:lead_stage_entries:ReplacingMergeTree}} ORDER BY (lead_id, occurred_at, event_id);
INSERT INTO lead_stage_entries_rebuild SELECT * FROM lead_stage_entries;
EXCHANGE TABLES lead_stage_entries AND lead_stage_entries_rebuild {{on_cluster}};
DROP TABLE lead_stage_entries_rebuild {{on_cluster}};

DROP TABLE IF EXISTS lead_scores_rebuild {{on_cluster}};
CREATE TABLE lead_scores_rebuild {{on_cluster}} AS lead_scores ENGINE = {{engine:lead_scores:ReplacingMergeTree}} ORDER BY (lead_id, occurred_at, event_id);
INSERT INTO lead_scores_rebuild SELECT * FROM lead_scores;
EXCHANGE TABLES lead_scores AND lead_scores_rebuild {{on_cluster}};
DROP TABLE lead_scores_rebuild {{on_cluster}};

DROP TABLE IF EXISTS lead_qualifications_rebuild {{on_cluster}};
CREATE TABLE lead_qualifications_rebuild {{on_cluster}} AS lead_qualifications ENGINE = {{engine:lead_qualifications:ReplacingMergeTree}} ORDER BY (lead_id, occurred_at, event_id);
INSERT INTO lead_qualifications_rebuild SELECT * FROM lead_qualifications;
EXCHANGE TABLES lead_qualifications AND lead_qualifications_rebuild {{on_cluster}};
DROP TABLE lead_qualifications_rebuild {{on_cluster}};

DROP TABLE IF EXISTS lead_assignments_rebuild {{on_cluster}};
CREATE TABLE lead_assignments_rebuild {{on_cluster}} AS lead_assignments ENGINE = {{engine:lead_assignments:ReplacingMergeTree}} ORDER BY (lead_id, occurred_at, event_id);
INSERT INTO lead_assignments_rebuild SELECT * FROM lead_assignments;
EXCHANGE TABLES lead_assignments AND lead_assignments_rebuild {{on_cluster}};
DROP TABLE lead_assignments_rebuild {{on_cluster}};

DROP TABLE IF EXISTS lead_activities_rebuild {{on_cluster}};
CREATE TABLE lead_activities_rebuild {{on_cluster}} AS lead_activities ENGINE = {{engine:lead_activities:ReplacingMergeTree}} ORDER BY (lead_id, occurred_at, event_id);
INSERT INTO lead_activities_rebuild SELECT * FROM lead_activities;
EXCHANGE TABLES lead_activities AND lead_activities_rebuild {{on_cluster}};
DROP TABLE lead_activities_rebuild {{on_cluster}};

DROP TABLE IF EXISTS lead_dispositions_rebuild {{on_cluster}};
CREATE TABLE lead_dispositions_rebuild {{on_cluster}} AS lead_dispositions ENGINE = {{engine:lead_dispositions:ReplacingMergeTree}} ORDER BY (lead_id, occurred_at, event_id);
INSERT INTO lead_dispositions_rebuild SELECT * FROM lead_dispositions;
EXCHANGE TABLES lead_dispositions AND lead_dispositions_rebuild {{on_cluster}};
DROP TABLE lead_dispositions_rebuild {{on_cluster}};

DROP TABLE IF EXISTS lead_links_rebuild {{on_cluster}};
CREATE TABLE lead_links_rebuild {{on_cluster}} AS lead_links ENGINE = {{engine:lead_links:ReplacingMergeTree}} ORDER BY (lead_id, opportunity_id, event_id);
INSERT INTO lead_links_rebuild SELECT * FROM lead_links;
EXCHANGE TABLES lead_links AND lead_links_rebuild {{on_cluster}};
DROP TABLE lead_links_rebuild {{on_cluster}};

DROP TABLE IF EXISTS opportunity_events_rebuild {{on_cluster}};
CREATE TABLE opportunity_events_rebuild {{on_cluster}} AS opportunity_events ENGINE = {{engine:opportunity_events:ReplacingMergeTree}} ORDER BY (opportunity_id, occurred_at, event_id);
INSERT INTO opportunity_events_rebuild SELECT * FROM opportunity_events;
EXCHANGE TABLES opportunity_events AND opportunity_events_rebuild {{on_cluster}};
DROP TABLE opportunity_events_rebuild {{on_cluster}};

DROP TABLE IF EXISTS campaigns_rebuild {{on_cluster}};
CREATE TABLE campaigns_rebuild {{on_cluster}} AS campaigns ENGINE = {{engine:campaigns:ReplacingMergeTree}} ORDER BY (campaign_id, occurred_at, event_id);
INSERT INTO campaigns_rebuild SELECT * FROM campaigns;
EXCHANGE TABLES campaigns AND campaigns_rebuild {{on_cluster}};
DROP TABLE campaigns_rebuild {{on_cluster}};

DROP TABLE IF EXISTS campaign_costs_rebuild {{on_cluster}};
CREATE TABLE campaign_costs_rebuild {{on_cluster}} AS campaign_costs ENGINE = {{engine:campaign_costs:ReplacingMergeTree}} ORDER BY (campaign_id, occurred_at, event_id);
INSERT INTO campaign_costs_rebuild SELECT * FROM campaign_costs;
EXCHANGE TABLES campaign_costs AND campaign_costs_rebuild {{on_cluster}};
DROP TABLE campaign_costs_rebuild {{on_cluster}};

-- 2. lead_state: one row per lead after merges (several before), each column a state that
-- duplicates cannot change (min, argMin/argMax over (occurred_at, event_id)). Readers GROUP BY
-- lead_id and merge; libs/reporting lead-reach.sql.ts is the only reader of its columns.
-- A lead is a lead_id with first_at set (an event whose data.leadId is the lead: the tables of
-- LEAD_EVENT_FACTS with their conditions, one view each below).
CREATE TABLE IF NOT EXISTS lead_state {{on_cluster}} (
  lead_id String,
  first_at SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
  captured_at SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
  -- the earliest LeadCaptured's (campaign_id, channel, segment, region, product)
  capture AggregateFunction(argMin, Tuple(Nullable(String), Nullable(String), Nullable(String), Nullable(String), Nullable(String)), Tuple(DateTime64(3, 'UTC'), String)),
  mql_at SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
  sal_at SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
  sql_at SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
  -- the earliest touch's (campaign_id, channel), captures' own touches included
  first_touch AggregateFunction(argMin, Tuple(Nullable(String), Nullable(String)), Tuple(DateTime64(3, 'UTC'), String)),
  -- the latest assignee, as a 1-tuple so that a lead never assigned reads NULL, not ''
  owner AggregateFunction(argMax, Tuple(Nullable(String)), Tuple(DateTime64(3, 'UTC'), String))
) ENGINE = {{engine:lead_state:AggregatingMergeTree}} ORDER BY lead_id;

-- 3. opportunity_state: creation and earliest win per opportunity.
CREATE TABLE IF NOT EXISTS opportunity_state {{on_cluster}} (
  opportunity_id String,
  created_at SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
  -- OpportunityCreated.amount is required, so the state needs no NULL
  created_amount AggregateFunction(argMin, Float64, Tuple(DateTime64(3, 'UTC'), String)),
  won_at SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
  -- a 1-tuple keeps a NULL amount (argMin skips a bare NULL argument)
  won_amount AggregateFunction(argMin, Tuple(Nullable(Float64)), Tuple(DateTime64(3, 'UTC'), String))
) ENGINE = {{engine:opportunity_state:AggregatingMergeTree}} ORDER BY opportunity_id;

-- 4. One materialized view per fact table keeps the state current on every insert; then the
-- state is filled from the facts already there. A row inserted between the two is counted by
-- both, which the states absorb (that is also why this can run twice).

CREATE MATERIALIZED VIEW IF NOT EXISTS lead_state_from_lead_captures {{on_cluster}} TO lead_state AS
SELECT lead_id, min(occurred_at) AS first_at, min(occurred_at) AS captured_at,
       argMinState(tuple(campaign_id, channel, segment, region, product), (occurred_at, event_id)) AS capture
FROM lead_captures GROUP BY lead_id;
INSERT INTO lead_state (lead_id, first_at, captured_at, capture)
SELECT lead_id, min(occurred_at) AS first_at, min(occurred_at) AS captured_at,
       argMinState(tuple(campaign_id, channel, segment, region, product), (occurred_at, event_id)) AS capture
FROM lead_captures GROUP BY lead_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS lead_state_from_touches {{on_cluster}} TO lead_state AS
SELECT lead_id, minIfOrNull(occurred_at, from_capture = 0) AS first_at,
       argMinState(tuple(campaign_id, channel), (occurred_at, event_id)) AS first_touch
FROM touches GROUP BY lead_id;
INSERT INTO lead_state (lead_id, first_at, first_touch)
SELECT lead_id, minIfOrNull(occurred_at, from_capture = 0) AS first_at,
       argMinState(tuple(campaign_id, channel), (occurred_at, event_id)) AS first_touch
FROM touches GROUP BY lead_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS lead_state_from_lead_stage_entries {{on_cluster}} TO lead_state AS
SELECT lead_id, min(occurred_at) AS first_at,
       minIfOrNull(occurred_at, stage = 'MQL') AS mql_at, minIfOrNull(occurred_at, stage = 'SAL') AS sal_at,
       minIfOrNull(occurred_at, stage = 'SQL') AS sql_at
FROM lead_stage_entries GROUP BY lead_id;
INSERT INTO lead_state (lead_id, first_at, mql_at, sal_at, sql_at)
SELECT lead_id, min(occurred_at) AS first_at,
       minIfOrNull(occurred_at, stage = 'MQL') AS mql_at, minIfOrNull(occurred_at, stage = 'SAL') AS sal_at,
       minIfOrNull(occurred_at, stage = 'SQL') AS sql_at
FROM lead_stage_entries GROUP BY lead_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS lead_state_from_lead_assignments {{on_cluster}} TO lead_state AS
SELECT lead_id, min(occurred_at) AS first_at,
       argMaxState(tuple(toNullable(owner_id)), (occurred_at, event_id)) AS owner
FROM lead_assignments GROUP BY lead_id;
INSERT INTO lead_state (lead_id, first_at, owner)
SELECT lead_id, min(occurred_at) AS first_at,
       argMaxState(tuple(toNullable(owner_id)), (occurred_at, event_id)) AS owner
FROM lead_assignments GROUP BY lead_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS lead_state_from_lead_scores {{on_cluster}} TO lead_state AS
SELECT lead_id, min(occurred_at) AS first_at
FROM lead_scores GROUP BY lead_id;
INSERT INTO lead_state (lead_id, first_at)
SELECT lead_id, min(occurred_at) AS first_at
FROM lead_scores GROUP BY lead_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS lead_state_from_lead_qualifications {{on_cluster}} TO lead_state AS
SELECT lead_id, min(occurred_at) AS first_at
FROM lead_qualifications GROUP BY lead_id;
INSERT INTO lead_state (lead_id, first_at)
SELECT lead_id, min(occurred_at) AS first_at
FROM lead_qualifications GROUP BY lead_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS lead_state_from_lead_activities {{on_cluster}} TO lead_state AS
SELECT lead_id, min(occurred_at) AS first_at
FROM lead_activities GROUP BY lead_id;
INSERT INTO lead_state (lead_id, first_at)
SELECT lead_id, min(occurred_at) AS first_at
FROM lead_activities GROUP BY lead_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS lead_state_from_lead_dispositions {{on_cluster}} TO lead_state AS
SELECT lead_id, min(occurred_at) AS first_at
FROM lead_dispositions GROUP BY lead_id;
INSERT INTO lead_state (lead_id, first_at)
SELECT lead_id, min(occurred_at) AS first_at
FROM lead_dispositions GROUP BY lead_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS lead_state_from_lead_links {{on_cluster}} TO lead_state AS
SELECT lead_id, min(occurred_at) AS first_at
FROM lead_links WHERE via = 'converted' GROUP BY lead_id;
INSERT INTO lead_state (lead_id, first_at)
SELECT lead_id, min(occurred_at) AS first_at
FROM lead_links WHERE via = 'converted' GROUP BY lead_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS opportunity_state_from_opportunity_events {{on_cluster}} TO opportunity_state AS
SELECT opportunity_id,
       minIfOrNull(occurred_at, type = 'OpportunityCreated') AS created_at,
       argMinStateIf(amount, (occurred_at, event_id), type = 'OpportunityCreated') AS created_amount,
       minIfOrNull(occurred_at, type = 'OpportunityWon') AS won_at,
       argMinStateIf(tuple(amount), (occurred_at, event_id), type = 'OpportunityWon') AS won_amount
FROM opportunity_events GROUP BY opportunity_id;
INSERT INTO opportunity_state (opportunity_id, created_at, created_amount, won_at, won_amount)
SELECT opportunity_id,
       minIfOrNull(occurred_at, type = 'OpportunityCreated') AS created_at,
       argMinStateIf(amount, (occurred_at, event_id), type = 'OpportunityCreated') AS created_amount,
       minIfOrNull(occurred_at, type = 'OpportunityWon') AS won_at,
       argMinStateIf(tuple(amount), (occurred_at, event_id), type = 'OpportunityWon') AS won_amount
FROM opportunity_events GROUP BY opportunity_id;

-- 5. The fill above leaves several partial rows per lead; merge them once now so reports start
-- from one row per subject (later inserts are merged in the background as usual).
OPTIMIZE TABLE lead_state {{on_cluster}} FINAL;
OPTIMIZE TABLE opportunity_state {{on_cluster}} FINAL;
