-- attribution(model: W_SHAPED, milestone: WON, by: CAMPAIGN) on PostgreSQL, written by hand from
-- DESIGN §4 for the bench: the same report as attribution-w-shaped.sql over the facts loaded by
-- bench/postgres.ts (with their duplicated rows). Parameters: $1 from, $2 to, $3 lookback days.
-- A lead's events here are its captures, touches, stage entries and LeadConverted links (the
-- generated history has no other lead events).
WITH won AS (
  SELECT DISTINCT ON (opportunity_id) opportunity_id, occurred_at AS won_at, amount AS won_amount
  FROM opportunity_events
  WHERE type = 'OpportunityWon'
  ORDER BY opportunity_id, occurred_at, event_id
),
conversions AS (
  SELECT w.opportunity_id, w.won_at AS m, c.created_at,
         COALESCE(w.won_amount, (
           SELECT e.amount FROM opportunity_events AS e
           WHERE e.opportunity_id = w.opportunity_id AND e.type IN ('OpportunityCreated', 'OpportunityAmountChanged')
             AND e.occurred_at <= w.won_at AND e.amount IS NOT NULL
           ORDER BY e.occurred_at DESC, e.event_id DESC LIMIT 1)) AS amount
  FROM won AS w
  JOIN (SELECT opportunity_id, min(occurred_at) AS created_at FROM opportunity_events
        WHERE type = 'OpportunityCreated' GROUP BY opportunity_id) AS c USING (opportunity_id)
  WHERE w.won_at >= $1 AND w.won_at < $2
),
links AS (
  SELECT DISTINCT l.opportunity_id, l.lead_id FROM lead_links AS l JOIN conversions USING (opportunity_id)
),
captured AS (
  SELECT lead_id, COALESCE(min(t) FILTER (WHERE is_capture), min(t)) AS r_captured
  FROM (
    SELECT lead_id, occurred_at AS t, true AS is_capture FROM lead_captures WHERE lead_id IN (SELECT lead_id FROM links)
    UNION ALL SELECT lead_id, occurred_at, false FROM touches WHERE from_capture = 0 AND lead_id IN (SELECT lead_id FROM links)
    UNION ALL SELECT lead_id, occurred_at, false FROM lead_stage_entries WHERE lead_id IN (SELECT lead_id FROM links)
    UNION ALL SELECT lead_id, occurred_at, false FROM lead_links WHERE via = 'converted' AND lead_id IN (SELECT lead_id FROM links)
  ) AS e
  GROUP BY lead_id
),
cuts AS (
  SELECT l.opportunity_id, min(c.r_captured) AS lc_cut FROM links AS l JOIN captured AS c USING (lead_id) GROUP BY l.opportunity_id
),
journey AS (
  SELECT DISTINCT l.opportunity_id, t.occurred_at, t.event_id, t.campaign_id
  FROM touches AS t
  JOIN links AS l USING (lead_id)
  JOIN conversions AS c USING (opportunity_id)
  WHERE t.occurred_at >= c.m - make_interval(days => $3) AND t.occurred_at <= c.m
),
ranked AS (
  -- i = position by (time, event id); lc and oc = the last position at or before each cut.
  SELECT j.opportunity_id, j.campaign_id, c.amount,
         row_number() OVER (PARTITION BY j.opportunity_id ORDER BY j.occurred_at, j.event_id) AS i,
         count(*) OVER w AS n,
         count(*) FILTER (WHERE j.occurred_at <= k.lc_cut) OVER w AS lc,
         count(*) FILTER (WHERE j.occurred_at <= c.created_at) OVER w AS oc
  FROM journey AS j
  JOIN conversions AS c USING (opportunity_id)
  LEFT JOIN cuts AS k USING (opportunity_id)
  WINDOW w AS (PARTITION BY j.opportunity_id)
),
raw AS (
  SELECT opportunity_id, campaign_id, amount,
         0.3 * (i = 1)::int + 0.3 * (i = lc)::int + 0.3 * (i = oc)::int
           + CASE WHEN i = 1 OR i = lc OR i = oc THEN 0
                  ELSE 0.1 / (n - 1 - (lc > 1)::int - (oc > 1 AND oc <> lc)::int) END AS w
  FROM ranked
),
credits AS (
  SELECT COALESCE(campaign_id, '(none)') AS key, w / sum(w) OVER (PARTITION BY opportunity_id) AS credit, amount FROM raw
  UNION ALL
  SELECT '(none)', 1, c.amount FROM conversions AS c WHERE NOT EXISTS (SELECT 1 FROM journey AS j WHERE j.opportunity_id = c.opportunity_id)
)
SELECT key, sum(credit)::float8 AS credit, sum(credit * amount)::float8 AS value
FROM credits
GROUP BY key
ORDER BY key COLLATE "C"
