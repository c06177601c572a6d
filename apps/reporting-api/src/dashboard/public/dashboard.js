// The shared dashboard. Every number comes from the public GraphQL API (POST /graphql); the page
// keeps its whole state in the query string, so a pasted link shows the same view.
const Chart = window.Chart;
Chart.defaults.animation = false; // numbers for meetings, not motion; also keeps screenshots exact
Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
Chart.defaults.color = '#5d6b82';
Chart.defaults.maintainAspectRatio = false;

const STAGES = ['CAPTURED', 'MQL', 'SAL', 'SQL', 'OPPORTUNITY', 'WON'];
const STAGE_LABEL = { CAPTURED: 'Captured', MQL: 'MQL', SAL: 'SAL', SQL: 'SQL', OPPORTUNITY: 'Opportunity', WON: 'Won' };
const DIMENSIONS = ['CAMPAIGN', 'CHANNEL', 'SEGMENT', 'REGION', 'PRODUCT', 'OWNER'];
const MODELS = ['W_SHAPED', 'FULL_PATH', 'U_SHAPED', 'POSITION_BASED', 'LINEAR', 'TIME_DECAY', 'FIRST_TOUCH', 'LAST_TOUCH'];
const TARGETS = STAGES.slice(1);
/** Heatmap columns: conversion to the target within N days of capture, then with no window. */
const COHORT_WINDOWS = [30, 90, 180];
const STALLED_PAGE = 15;
const KEY_STORAGE = 'funnel-ledger.api-key';
const PALETTE = ['#2f5bea', '#f08c2e', '#1f9d6b', '#9b51e0', '#d64545', '#17a2b8', '#c9a227', '#6c7a93'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

// ---------------------------------------------------------------------------------------------
// State in the URL

function defaultRange(now = new Date()) {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const day = (yy, mm) => new Date(Date.UTC(yy, mm, 1)).toISOString().slice(0, 10);
  return { from: day(y, m - 11), to: day(y, m + 1) }; // the last 12 calendar months, this one included
}

const validDay = (s) => typeof s === 'string' && DAY.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
const oneOf = (value, allowed, fallback) => (allowed.includes(value) ? value : fallback);

/** Reads the view from the query string; anything missing or unknown takes its default. */
function readState(search) {
  const q = new URLSearchParams(search);
  const range = defaultRange();
  const version = Number(q.get('version'));
  return {
    from: validDay(q.get('from')) ? q.get('from') : range.from,
    to: validDay(q.get('to')) ? q.get('to') : range.to,
    breakdown: oneOf(q.get('breakdown'), DIMENSIONS, ''),
    model: oneOf(q.get('model'), MODELS, 'W_SHAPED'),
    target: oneOf(q.get('target'), TARGETS, 'WON'),
    version: Number.isInteger(version) && version > 0 ? version : undefined,
  };
}

function writeState(state) {
  const q = new URLSearchParams({ from: state.from, to: state.to });
  if (state.breakdown) q.set('breakdown', state.breakdown);
  q.set('model', state.model);
  q.set('target', state.target);
  if (state.version !== undefined) q.set('version', String(state.version));
  history.replaceState(null, '', `${location.pathname}?${q}`);
}

// ---------------------------------------------------------------------------------------------
// GraphQL

class NeedsKeyError extends Error {}

async function gql(query, variables) {
  const headers = { 'content-type': 'application/json' };
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (key) headers.authorization = `Bearer ${key}`;
  const res = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  if (res.status === 401) throw new NeedsKeyError('a valid API key is required');
  const body = await res.json().catch(() => ({ errors: [{ message: `HTTP ${res.status}` }] }));
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data;
}

const instant = (day) => `${day}T00:00:00.000Z`;

/** Variables every report shares; reports "as of" the period end, or now while it is running. */
function periodVariables(state) {
  const to = instant(state.to);
  const asOf = Date.parse(to) < Date.now() ? to : new Date().toISOString();
  return { from: instant(state.from), to, asOf, v: state.version ?? null };
}

// ---------------------------------------------------------------------------------------------
// Formatting (fixed locale: the same link reads the same everywhere)

const nf0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const nf1 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const nf2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const fmt = {
  int: (x) => (x == null ? '—' : nf0.format(x)),
  credit: (x) => (x == null ? '—' : nf1.format(x)),
  money: (x) => (x == null ? '—' : nf0.format(x)),
  compactMoney: (x) => (x == null ? '—' : compact.format(x)),
  pct: (x) => (x == null ? '—' : `${nf1.format(x * 100)}%`),
  ratio: (x) => (x == null ? '—' : `${nf2.format(x)}×`),
  days: (x) => (x == null ? '—' : `${nf1.format(x)} d`),
  minutes: (x) => {
    if (x == null) return '—';
    if (x < 60) return `${nf0.format(x)} min`;
    if (x < 2880) return `${nf1.format(x / 60)} h`;
    return `${nf1.format(x / 1440)} d`;
  },
};

// ---------------------------------------------------------------------------------------------
// DOM helpers: every number cell carries its raw value in data-value (tests and copy-paste)

function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('data')) node.setAttribute(k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), v);
    else node.setAttribute(k, v);
  }
  for (const c of [].concat(children)) if (c != null) node.append(c);
  return node;
}

/** A numeric cell: formatted text, raw value (empty for null) and the field it shows. */
const numCell = (field, value, format, extra = {}) =>
  el('td', { class: `num ${extra.class ?? ''}`.trim(), dataField: field, dataValue: value == null ? '' : String(value), title: extra.title }, format(value));
const textCell = (field, value, text = value ?? '(none)') => el('td', { dataField: field, dataValue: value ?? '' }, text);

/** Fills a table from column specs: { label, num?, cell(row) }. */
function fillTable(table, columns, rows, { rowAttrs = () => ({}), emptyText = 'No data in this period', footer } = {}) {
  const head = el('thead', {}, el('tr', {}, columns.map((c) => el('th', { class: c.num ? 'num' : undefined, title: c.title }, c.label))));
  const body = el('tbody');
  if (rows.length === 0) body.append(el('tr', {}, el('td', { class: 'empty', colspan: String(columns.length) }, emptyText)));
  for (const row of rows) body.append(el('tr', rowAttrs(row), columns.map((c) => c.cell(row))));
  table.replaceChildren(head, body, ...(footer ? [el('tfoot', {}, footer)] : []));
}

const charts = new Map();
/** (Re)draws a chart; one without data is hidden, its table says so. */
function drawChart(canvasId, config) {
  charts.get(canvasId)?.destroy();
  const canvas = document.getElementById(canvasId);
  canvas.parentElement.hidden = config.data.labels.length === 0;
  charts.set(canvasId, new Chart(canvas, config));
}

const panel = (name) => document.querySelector(`[data-panel="${name}"]`);
const setHint = (name, text) => { panel(name).querySelector('[data-hint]').textContent = text; };
const color = (i) => PALETTE[i % PALETTE.length];
const money = (value) => fmt.compactMoney(value);

// Campaign ids are what reports key on; people read names.
let campaignNames = new Map();
const campaignLabel = (id) => (id == null ? '(none)' : campaignNames.get(id) ?? id);
const keyLabel = (dimension, key) => (key == null ? 'All leads' : dimension === 'CAMPAIGN' ? campaignLabel(key) : key);

// ---------------------------------------------------------------------------------------------
// Panels: each names the state it depends on, fetches with GraphQL and renders table + chart

const FUNNEL_STAGE_FIELDS = 'stage entered reached skipped conversionFromPrevious conversionFromAnchor';

/** The period just before the chosen one, of the same length: the base of conversionChange. */
function previousPeriod(s) {
  const [from, to] = [Date.parse(instant(s.from)), Date.parse(instant(s.to))];
  return { baseFrom: new Date(from - (to - from)).toISOString(), baseTo: new Date(from).toISOString() };
}
/** conversionChange needs a key: the chosen breakdown, else where the leads came from. */
const changeKey = (s) => s.breakdown || 'CHANNEL';

const panels = {
  change: {
    deps: ['from', 'to', 'breakdown', 'target', 'version'],
    load: (s) => gql(
      `query DashboardChange($baseFrom: DateTime!, $baseTo: DateTime!, $from: DateTime!, $to: DateTime!, $target: FunnelStage!, $by: Dimension!, $v: Int) {
        conversionChange(baseFrom: $baseFrom, baseTo: $baseTo, from: $from, to: $to, target: $target, by: $by, definitionVersion: $v) {
          baseLeads leads baseRate rate change mixEffect rateEffect
          rows { key baseLeads leads baseShare share baseRate rate mixEffect rateEffect }
          steps { fromStage toStage owner baseRate rate logChange } } }`,
      { ...periodVariables(s), ...previousPeriod(s), target: s.target, by: changeKey(s) },
    ),
    render: (d, s) => renderChange(d.conversionChange, s),
  },
  funnel: {
    deps: ['from', 'to', 'breakdown', 'version'],
    load: (s) => gql(
      `query DashboardFunnel($from: DateTime!, $to: DateTime!, $breakdown: Dimension, $v: Int) {
        funnel(from: $from, to: $to, breakdown: $breakdown, definitionVersion: $v) {
          definitionVersion groups { key stages { ${FUNNEL_STAGE_FIELDS} } } } }`,
      { ...periodVariables(s), breakdown: s.breakdown || null },
    ),
    render: (d, s) => renderFunnel(d.funnel, s),
  },
  campaigns: {
    deps: ['from', 'to', 'model', 'version'],
    load: (s) => gql(
      `query DashboardCampaigns($from: DateTime!, $to: DateTime!, $model: AttributionModel, $v: Int) {
        campaignPerformance(from: $from, to: $to, model: $model, definitionVersion: $v) {
          campaignId name channel cost leads mqls sqls opportunities attributedPipeline wonDeals attributedRevenue
          costPerLead costPerWonDeal roas } }`,
      { ...periodVariables(s), model: s.model },
    ),
    render: (d, s) => renderCampaigns(d.campaignPerformance, s),
  },
  cohorts: {
    deps: ['from', 'to', 'target', 'version'],
    load: (s) => {
      const fields = 'cohort size converted rate maturity';
      const args = 'from: $from, to: $to, grain: MONTH, target: $target, asOf: $asOf, definitionVersion: $v';
      const windows = COHORT_WINDOWS.map((w) => `w${w}: cohorts(${args}, windowDays: ${w}) { ${fields} }`).join('\n');
      return gql(
        `query DashboardCohorts($from: DateTime!, $to: DateTime!, $asOf: DateTime, $target: FunnelStage!, $v: Int) {
          ${windows}
          all: cohorts(${args}) { ${fields} } }`,
        { ...periodVariables(s), target: s.target },
      );
    },
    render: (d, s) => renderCohorts(d, s),
  },
  sla: {
    deps: ['from', 'to', 'version'],
    load: (s) => gql(
      `query DashboardSla($from: DateTime!, $to: DateTime!, $asOf: DateTime!, $v: Int) {
        slaCompliance(from: $from, to: $to, asOf: $asOf, breakdown: OWNER, definitionVersion: $v) {
          key met breached pending complianceRate neverFollowedUp p50MinutesToFirstActivity speedToLeadMinutes } }`,
      periodVariables(s),
    ),
    render: (d, s) => renderSla(d.slaCompliance, s),
  },
  reconciliation: {
    deps: ['from', 'to', 'version'],
    load: (s) => gql(
      `query DashboardReconciliation($from: DateTime!, $to: DateTime!, $v: Int) {
        reconciliation(from: $from, to: $to, breakdown: CAMPAIGN, definitionVersion: $v) {
          key mqls won lost opportunityOpen qualifiedNoOpportunity rejected acceptedNotQualified neverAccepted } }`,
      periodVariables(s),
    ),
    render: (d) => renderReconciliation(d.reconciliation),
  },
  stalled: {
    deps: ['from', 'to', 'version'],
    load: (s) => loadStalled(s),
    render: (d, s) => renderStalled(d, s),
  },
};

// --- Who moved the number: conversion change against the previous period ---------------------

const points = (x) => (x == null ? '—' : `${x >= 0 ? '+' : '−'}${nf1.format(Math.abs(x) * 100)} pts`);
const effectClass = (x) => (x == null || x === 0 ? '' : x > 0 ? 'rate-good' : 'rate-bad');

function renderChange(report, s) {
  const dim = changeKey(s);
  const { baseFrom } = previousPeriod(s);
  const against = `the previous period (${baseFrom.slice(0, 10)} → ${s.from}, same length)`;
  setHint('change', report.change == null
    ? `${STAGE_LABEL[s.target]} rate ${fmt.pct(report.rate)}; ${against} has ${report.baseLeads ? 'leads but this one has none' : 'no leads'} to compare with · by ${dim.toLowerCase()}`
    : `${STAGE_LABEL[s.target]} rate against ${against}: ${fmt.pct(report.baseRate)} → ${fmt.pct(report.rate)}, ${points(report.change)} = `
      + `mix ${points(report.mixEffect)} (where the leads came from: marketing) + rate ${points(report.rateEffect)} (how each kind converted: mostly sales) · by ${dim.toLowerCase()}`);
  fillTable(document.getElementById('change-table'), [
    { label: dim[0] + dim.slice(1).toLowerCase(), cell: (r) => textCell('key', r.key, keyLabel(dim, r.key)) },
    { label: 'Leads before', num: true, cell: (r) => numCell('baseLeads', r.baseLeads, fmt.int) },
    { label: 'Leads', num: true, cell: (r) => numCell('leads', r.leads, fmt.int) },
    { label: 'Share before', num: true, cell: (r) => numCell('baseShare', r.baseShare, fmt.pct) },
    { label: 'Share', num: true, cell: (r) => numCell('share', r.share, fmt.pct) },
    { label: 'Rate before', num: true, cell: (r) => numCell('baseRate', r.baseRate, fmt.pct) },
    { label: 'Rate', num: true, cell: (r) => numCell('rate', r.rate, fmt.pct) },
    { label: 'Mix effect', num: true, title: 'Where the leads came from', cell: (r) => numCell('mixEffect', r.mixEffect, points, { class: effectClass(r.mixEffect) }) },
    { label: 'Rate effect', num: true, title: 'How this kind of lead converted', cell: (r) => numCell('rateEffect', r.rateEffect, points, { class: effectClass(r.rateEffect) }) },
  ], report.rows, { rowAttrs: (r) => ({ dataKey: r.key }), emptyText: 'No leads in either period' });
  fillTable(document.getElementById('change-steps-table'), [
    { label: 'Step', cell: (r) => textCell('step', `${r.fromStage}-${r.toStage}`, `${STAGE_LABEL[r.fromStage]} → ${STAGE_LABEL[r.toStage]}`) },
    { label: 'Owner', cell: (r) => textCell('owner', r.owner, r.owner === 'MARKETING' ? 'Marketing' : 'Sales') },
    { label: 'Rate before', num: true, cell: (r) => numCell('baseRate', r.baseRate, fmt.pct) },
    { label: 'Rate', num: true, cell: (r) => numCell('rate', r.rate, fmt.pct) },
    { label: 'Log change', num: true, title: 'ln(rate / rate before): the steps add up to the whole', cell: (r) => numCell('logChange', r.logChange, (x) => (x == null ? '—' : nf2.format(x)), { class: effectClass(r.logChange) }) },
  ], report.steps, { rowAttrs: (r) => ({ dataKey: `${r.fromStage}-${r.toStage}` }), emptyText: 'The target is the anchor: no step' });
}

// --- KPIs: from the funnel and campaign panels, so no query is made twice -------------------

const kpiInputs = {};
function renderKpis() {
  const { funnel, campaigns } = kpiInputs;
  if (!funnel || !campaigns) return;
  // Funnel groups partition the leads (one key per lead), so summing them gives the total.
  const reached = (stage) => funnel.groups.reduce((n, g) => n + g.stages.find((x) => x.stage === stage).reached, 0);
  const captured = reached('CAPTURED');
  const won = reached('WON');
  const sum = (f) => campaigns.reduce((n, r) => n + r[f], 0);
  const cost = sum('cost');
  const revenue = sum('attributedRevenue');
  const tiles = [
    ['captured', 'Leads captured', captured, fmt.int, 'anchor of the funnel'],
    ['mql', 'MQLs', reached('MQL'), fmt.int, `${fmt.pct(captured ? reached('MQL') / captured : null)} of captured`],
    ['sql', 'SQLs', reached('SQL'), fmt.int, `${fmt.pct(captured ? reached('SQL') / captured : null)} of captured`],
    ['opportunity', 'Opportunities', reached('OPPORTUNITY'), fmt.int, `${fmt.pct(captured ? reached('OPPORTUNITY') / captured : null)} of captured`],
    ['won', 'Won', won, fmt.int, `${fmt.pct(captured ? won / captured : null)} of captured`],
    ['cost', 'Campaign cost', cost, fmt.compactMoney, 'prorated to the period'],
    ['revenue', 'Attributed revenue', revenue, fmt.compactMoney, `${fmt.ratio(cost ? revenue / cost : null)} ROAS`],
  ];
  document.getElementById('kpis').replaceChildren(...tiles.map(([id, label, value, format, sub]) =>
    el('div', { class: 'kpi', dataKpi: id, dataValue: String(value) }, [
      el('div', { class: 'label' }, label), el('div', { class: 'value' }, format(value)), el('div', { class: 'sub' }, sub),
    ])));
}

// --- Funnel ----------------------------------------------------------------------------------

function renderFunnel(report, s) {
  kpiInputs.funnel = report;
  renderKpis();
  const dim = s.breakdown;
  const groups = report.groups;
  setHint('funnel', `Leads captured in the period · reached = entered + skipped · ${dim ? `by ${dim.toLowerCase()}` : 'all leads'}`);
  const columns = [
    ...(dim ? [{ label: dim[0] + dim.slice(1).toLowerCase(), cell: (r) => textCell('key', r.key, keyLabel(dim, r.key)) }] : []),
    { label: 'Stage', cell: (r) => textCell('stage', r.stage, STAGE_LABEL[r.stage]) },
    { label: 'Entered', num: true, cell: (r) => numCell('entered', r.entered, fmt.int) },
    { label: 'Skipped', num: true, title: 'Reached without an explicit entry', cell: (r) => numCell('skipped', r.skipped, fmt.int) },
    { label: 'Reached', num: true, cell: (r) => numCell('reached', r.reached, fmt.int) },
    { label: 'From previous', num: true, cell: (r) => numCell('conversionFromPrevious', r.conversionFromPrevious, fmt.pct) },
    { label: 'From captured', num: true, cell: (r) => numCell('conversionFromAnchor', r.conversionFromAnchor, fmt.pct) },
  ];
  const rows = groups.flatMap((g) => g.stages.map((st, i) => ({ ...st, key: g.key, first: i === 0 })));
  fillTable(document.getElementById('funnel-table'), columns, rows, {
    rowAttrs: (r) => ({ dataKey: r.key ?? '', dataStage: r.stage, class: dim && r.first ? 'group-start' : undefined }),
  });

  if (!dim) {
    const stages = groups[0]?.stages ?? [];
    drawChart('funnel-chart', {
      type: 'bar',
      data: {
        labels: stages.map((x) => [STAGE_LABEL[x.stage], x.conversionFromAnchor == null ? '' : `${fmt.pct(x.conversionFromAnchor)} of captured`]),
        datasets: [
          { label: 'Entered', data: stages.map((x) => x.entered), backgroundColor: '#2f5bea', stack: 'reached' },
          { label: 'Skipped (reached without entering)', data: stages.map((x) => x.skipped), backgroundColor: '#a9bcf5', stack: 'reached' },
        ],
      },
      options: { indexAxis: 'y', scales: { x: { stacked: true, grid: { color: '#eef1f6' } }, y: { stacked: true, grid: { display: false } } },
        plugins: { legend: { position: 'bottom' } } },
    });
    return;
  }
  // By a dimension: conversion from capture per stage, for the largest groups.
  const top = [...groups].sort((a, b) => b.stages[0].reached - a.stages[0].reached).slice(0, PALETTE.length);
  drawChart('funnel-chart', {
    type: 'line',
    data: {
      labels: STAGES.map((x) => STAGE_LABEL[x]),
      datasets: top.map((g, i) => ({
        label: `${keyLabel(dim, g.key)} (${fmt.int(g.stages[0].reached)})`,
        data: g.stages.map((x) => (x.conversionFromAnchor == null ? null : x.conversionFromAnchor * 100)),
        borderColor: color(i), backgroundColor: color(i), pointRadius: 3,
      })),
    },
    options: {
      scales: { y: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` }, grid: { color: '#eef1f6' } }, x: { grid: { display: false } } },
      plugins: { legend: { position: 'bottom' }, tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${nf1.format(c.parsed.y)}%` } } },
    },
  });
}

// --- Campaign performance --------------------------------------------------------------------

function renderCampaigns(rows, s) {
  kpiInputs.campaigns = rows;
  renderKpis();
  setHint('campaigns', `Cost prorated to the period · opportunities, pipeline, wins and revenue credited by ${s.model.replace('_', '-').toLowerCase()} attribution`);
  const columns = [
    { label: 'Campaign', cell: (r) => textCell('campaignId', r.campaignId, r.name ?? r.campaignId) },
    { label: 'Channel', cell: (r) => textCell('channel', r.channel) },
    { label: 'Cost', num: true, cell: (r) => numCell('cost', r.cost, fmt.money) },
    { label: 'Leads', num: true, cell: (r) => numCell('leads', r.leads, fmt.int) },
    { label: 'MQLs', num: true, cell: (r) => numCell('mqls', r.mqls, fmt.int) },
    { label: 'SQLs', num: true, cell: (r) => numCell('sqls', r.sqls, fmt.int) },
    { label: 'Opp. credit', num: true, title: 'OPPORTUNITY_CREATED credit under the model', cell: (r) => numCell('opportunities', r.opportunities, fmt.credit) },
    { label: 'Pipeline', num: true, cell: (r) => numCell('attributedPipeline', r.attributedPipeline, fmt.money) },
    { label: 'Won credit', num: true, title: 'WON credit under the model', cell: (r) => numCell('wonDeals', r.wonDeals, fmt.credit) },
    { label: 'Revenue', num: true, cell: (r) => numCell('attributedRevenue', r.attributedRevenue, fmt.money) },
    { label: 'Cost / lead', num: true, cell: (r) => numCell('costPerLead', r.costPerLead, fmt.money) },
    { label: 'Cost / won', num: true, cell: (r) => numCell('costPerWonDeal', r.costPerWonDeal, fmt.money) },
    { label: 'ROAS', num: true, cell: (r) => numCell('roas', r.roas, fmt.ratio, { class: r.roas == null ? '' : r.roas >= 1 ? 'rate-good' : 'rate-bad' }) },
  ];
  fillTable(document.getElementById('campaigns-table'), columns, rows, { rowAttrs: (r) => ({ dataKey: r.campaignId }) });
  drawChart('campaigns-chart', {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.name ?? r.campaignId),
      datasets: [
        { label: 'Cost', data: rows.map((r) => r.cost), backgroundColor: '#c3ccdb', yAxisID: 'money', order: 2 },
        { label: 'Attributed pipeline', data: rows.map((r) => r.attributedPipeline), backgroundColor: '#a9bcf5', yAxisID: 'money', order: 2 },
        { label: 'Attributed revenue', data: rows.map((r) => r.attributedRevenue), backgroundColor: '#2f5bea', yAxisID: 'money', order: 2 },
        { label: 'ROAS', type: 'line', data: rows.map((r) => r.roas), borderColor: '#f08c2e', backgroundColor: '#f08c2e', yAxisID: 'roas', order: 1, pointRadius: 4, showLine: false },
      ],
    },
    options: {
      scales: {
        money: { position: 'left', ticks: { callback: (v) => money(v) }, grid: { color: '#eef1f6' } },
        roas: { position: 'right', min: 0, ticks: { callback: (v) => `${v}×` }, grid: { display: false } },
        x: { grid: { display: false } },
      },
      plugins: { legend: { position: 'bottom' } },
    },
  });
}

// --- Cohort heatmap --------------------------------------------------------------------------

function renderCohorts(d, s) {
  const target = STAGE_LABEL[s.target];
  setHint('cohorts', `Leads by month captured · share that reached ${target} within N days · * still maturing`);
  const byWindow = Object.fromEntries([...COHORT_WINDOWS.map((w) => [`w${w}`, d[`w${w}`]]), ['all', d.all]]
    .map(([k, rows]) => [k, new Map(rows.map((r) => [r.cohort, r]))]));
  const cohorts = d.all.map((r) => r.cohort);
  const max = Math.max(0.0001, ...Object.values(byWindow).flatMap((m) => [...m.values()].map((r) => r.rate ?? 0)));
  const cell = (windowKey, cohort) => {
    const r = byWindow[windowKey].get(cohort);
    if (!r) return el('td', { class: 'cell', dataField: windowKey, dataValue: '' }, '—');
    const alpha = (r.rate ?? 0) / max;
    return el('td', {
      class: `cell ${r.maturity < 1 ? 'immature' : ''}`.trim(),
      dataField: windowKey, dataValue: r.rate == null ? '' : String(r.rate), dataConverted: String(r.converted),
      dataSize: String(r.size), dataMaturity: String(r.maturity),
      style: `background: rgba(47, 91, 234, ${(0.06 + 0.84 * alpha).toFixed(3)}); color: ${alpha > 0.5 ? '#fff' : '#1c2433'}`,
      title: `${cohort}: ${fmt.int(r.converted)} of ${fmt.int(r.size)} reached ${target} · maturity ${fmt.pct(r.maturity)}`,
    }, fmt.pct(r.rate));
  };
  const columns = [
    { label: 'Cohort', cell: (c) => textCell('cohort', c) },
    { label: 'Leads', num: true, cell: (c) => numCell('size', byWindow.all.get(c).size, fmt.int) },
    ...COHORT_WINDOWS.map((w) => ({ label: `≤ ${w} d`, cell: (c) => cell(`w${w}`, c) })),
    { label: 'To date', cell: (c) => cell('all', c) },
  ];
  fillTable(document.getElementById('cohorts-table'), columns, cohorts, { rowAttrs: (c) => ({ dataKey: c }) });
}

// --- SLA by owner ----------------------------------------------------------------------------

function renderSla(rows, s) {
  const limit = rows[0]?.speedToLeadMinutes;
  setHint('sla', `MQLs of the period · first activity within ${limit == null ? 'the limit' : fmt.minutes(limit)} · as of ${periodVariables(s).asOf.slice(0, 10)}`);
  const columns = [
    { label: 'Owner', cell: (r) => textCell('key', r.key) },
    { label: 'Met', num: true, cell: (r) => numCell('met', r.met, fmt.int) },
    { label: 'Breached', num: true, cell: (r) => numCell('breached', r.breached, fmt.int) },
    { label: 'Pending', num: true, cell: (r) => numCell('pending', r.pending, fmt.int) },
    { label: 'Compliance', num: true, cell: (r) => numCell('complianceRate', r.complianceRate, fmt.pct, { class: r.complianceRate == null ? '' : r.complianceRate >= 0.8 ? 'rate-good' : 'rate-bad' }) },
    { label: 'Never followed up', num: true, cell: (r) => numCell('neverFollowedUp', r.neverFollowedUp, fmt.int) },
    { label: 'Median to 1st activity', num: true, cell: (r) => numCell('p50MinutesToFirstActivity', r.p50MinutesToFirstActivity, fmt.minutes) },
  ];
  fillTable(document.getElementById('sla-table'), columns, rows, { rowAttrs: (r) => ({ dataKey: r.key ?? '' }) });
  drawChart('sla-chart', {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.key ?? '(none)'),
      datasets: [
        { label: 'Met', data: rows.map((r) => r.met), backgroundColor: '#1f9d6b' },
        { label: 'Breached', data: rows.map((r) => r.breached), backgroundColor: '#d64545' },
        { label: 'Pending', data: rows.map((r) => r.pending), backgroundColor: '#c3ccdb' },
      ],
    },
    options: { indexAxis: 'y', scales: { x: { stacked: true, grid: { color: '#eef1f6' } }, y: { stacked: true, grid: { display: false } } },
      plugins: { legend: { position: 'bottom' } } },
  });
}

// --- Reconciliation --------------------------------------------------------------------------

const BUCKETS = [
  ['won', 'Won', '#1f9d6b'],
  ['opportunityOpen', 'Open opp.', '#2f5bea'],
  ['lost', 'Lost', '#6c7a93'],
  ['qualifiedNoOpportunity', 'SQL, no opp.', '#c9a227'],
  ['acceptedNotQualified', 'SAL, not SQL', '#f0c36d'],
  ['neverAccepted', 'Never accepted', '#f08c2e'],
  ['rejected', 'Rejected', '#d64545'],
];

function renderReconciliation(rows) {
  setHint('reconciliation', 'Each MQL of the period in exactly one bucket by its current state');
  const columns = [
    { label: 'Campaign', cell: (r) => textCell('key', r.key, campaignLabel(r.key)) },
    { label: 'MQLs', num: true, cell: (r) => numCell('mqls', r.mqls, fmt.int) },
    ...BUCKETS.map(([field, label]) => ({ label, num: true, cell: (r) => numCell(field, r[field], fmt.int) })),
  ];
  fillTable(document.getElementById('reconciliation-table'), columns, rows, { rowAttrs: (r) => ({ dataKey: r.key ?? '' }) });
  drawChart('reconciliation-chart', {
    type: 'bar',
    data: {
      labels: rows.map((r) => campaignLabel(r.key)),
      datasets: BUCKETS.map(([field, label, c]) => ({ label, data: rows.map((r) => r[field]), backgroundColor: c })),
    },
    options: { indexAxis: 'y', scales: { x: { stacked: true, grid: { color: '#eef1f6' } }, y: { stacked: true, grid: { display: false } } },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } } },
  });
}

// --- Stalled deals (cursor pages) ------------------------------------------------------------

const STALLED_QUERY = `query DashboardStalled($asOf: DateTime!, $first: Int, $after: String, $v: Int) {
  stalledOpportunities(asOf: $asOf, first: $first, after: $after, definitionVersion: $v) {
    totalCount edges { node { id stage amount ownerId daysInStage reasons } } pageInfo { hasNextPage endCursor } } }`;

async function loadStalled(s, previous) {
  const vars = periodVariables(s);
  const d = await gql(STALLED_QUERY, { asOf: vars.asOf, v: vars.v, first: STALLED_PAGE, after: previous?.pageInfo.endCursor ?? null });
  const page = d.stalledOpportunities;
  return previous ? { ...page, edges: [...previous.edges, ...page.edges] } : page;
}

let stalledShown;
function renderStalled(page, s) {
  stalledShown = page;
  setHint('stalled', `Open deals past their stage's stall days or next step · longest in stage first · as of ${periodVariables(s).asOf.slice(0, 10)}`);
  const columns = [
    { label: 'Opportunity', cell: (n) => textCell('id', n.id) },
    { label: 'Stage', cell: (n) => textCell('stage', n.stage) },
    { label: 'Owner', cell: (n) => textCell('ownerId', n.ownerId) },
    { label: 'Amount', num: true, cell: (n) => numCell('amount', n.amount, fmt.money) },
    { label: 'Days in stage', num: true, cell: (n) => numCell('daysInStage', n.daysInStage, (x) => nf1.format(x)) },
    { label: 'Why', cell: (n) => el('td', { dataField: 'reasons', dataValue: n.reasons.join(',') }, n.reasons.map((r) => el('span', { class: `tag ${r}` }, r.toLowerCase().replaceAll('_', ' ')))) },
  ];
  const nodes = page.edges.map((e) => e.node);
  fillTable(document.getElementById('stalled-table'), columns, nodes, {
    rowAttrs: (n) => ({ dataKey: n.id }),
    emptyText: 'No stalled deals',
    footer: el('tr', {}, el('td', { colspan: String(columns.length), dataField: 'totalCount', dataValue: String(page.totalCount) },
      `${fmt.int(nodes.length)} of ${fmt.int(page.totalCount)} stalled deals shown`)),
  });
  document.getElementById('stalled-more').hidden = !page.pageInfo.hasNextPage;
}

// ---------------------------------------------------------------------------------------------
// Orchestration

let state = readState(location.search);
/** Per panel, the number of its latest request: an older answer never overwrites a newer one. */
const requestOf = {};
const pending = new Set();
const banner = document.getElementById('banner');

function setPanelState(name, value) { panel(name).dataset.state = value; }
function setBodyState() {
  const failed = !banner.hidden || document.querySelector('[data-panel][data-state="error"]');
  document.body.dataset.state = pending.size ? 'loading' : failed ? 'error' : 'ready';
}

function showBanner(text) {
  banner.textContent = text ?? '';
  banner.hidden = !text;
}

function askForKey() {
  const form = document.getElementById('key-form');
  form.hidden = false;
  form.elements.key.focus();
}

/** Loads and renders one panel for the current state; `load` replaces its query (the next page of stalled deals). */
async function loadPanel(name, load = panels[name].load) {
  const request = (requestOf[name] = (requestOf[name] ?? 0) + 1);
  const shown = state;
  const error = panel(name).querySelector('[data-error]');
  pending.add(name);
  setPanelState(name, 'loading');
  try {
    const data = await load(shown);
    if (request !== requestOf[name]) return; // superseded by a newer request for this panel
    panels[name].render(data, shown);
    error.hidden = true;
    setPanelState(name, 'ready');
  } catch (e) {
    if (request !== requestOf[name]) return;
    if (e instanceof NeedsKeyError) askForKey();
    error.textContent = e.message;
    error.hidden = false;
    setPanelState(name, 'error');
  } finally {
    if (request === requestOf[name]) pending.delete(name);
  }
}

/** Reloads the panels whose inputs changed (all of them when `changed` is undefined). */
async function refresh(changed) {
  if (!(instant(state.from) < instant(state.to))) {
    showBanner('"To" must be after "From": periods are half-open [from, to).');
    setBodyState();
    return;
  }
  showBanner();
  const started = performance.now();
  const names = Object.keys(panels).filter((n) => !changed || panels[n].deps.some((k) => changed.includes(k)));
  const loads = names.map((n) => loadPanel(n));
  setBodyState();
  await Promise.all(loads);
  setBodyState();
  if (pending.size) return; // a later change is still loading; it writes the line below
  const ms = Math.round(performance.now() - started);
  document.body.dataset.loadMs = String(ms);
  const version = kpiInputs.funnel?.definitionVersion;
  const meta = document.getElementById('meta');
  meta.textContent = `${state.from} → ${state.to} (exclusive) · funnel definition v${version ?? '?'} · reports as of ${periodVariables(state).asOf.slice(0, 16).replace('T', ' ')} UTC`;
  meta.title = `loaded in ${ms} ms`;
}

/** Definition versions and campaign names: needed before the first reports are read. */
async function loadCatalog() {
  const d = await gql('query DashboardCatalog { funnelDefinitions { version name publishedAt } campaigns { id name } }', {});
  campaignNames = new Map(d.campaigns.map((c) => [c.id, c.name ?? c.id]));
  const versions = d.funnelDefinitions;
  const select = document.getElementById('controls').elements.version;
  select.replaceChildren(...[...versions].reverse().map((v) =>
    el('option', { value: String(v.version), title: `published ${v.publishedAt}` }, `v${v.version} · ${v.name}`)));
  // Pin the version in the link, so publishing a new one later does not change a shared view.
  const known = versions.some((v) => v.version === state.version);
  if (!known) state.version = versions.length ? versions[versions.length - 1].version : undefined;
}

function syncControls() {
  const f = document.getElementById('controls').elements;
  f.from.value = state.from;
  f.to.value = state.to;
  f.breakdown.value = state.breakdown;
  f.model.value = state.model;
  f.target.value = state.target;
  if (state.version !== undefined) f.version.value = String(state.version);
}

async function start() {
  // A key in the link is taken once, then removed from the address: links are for sharing.
  const params = new URLSearchParams(location.search);
  if (params.get('key')) sessionStorage.setItem(KEY_STORAGE, params.get('key'));
  try {
    await loadCatalog();
  } catch (e) {
    if (e instanceof NeedsKeyError) { writeState(state); syncControls(); askForKey(); document.body.dataset.state = 'needs-key'; return; }
    showBanner(`Could not load the funnel definitions: ${e.message}`);
    document.body.dataset.state = 'error';
    return;
  }
  writeState(state);
  syncControls();
  await refresh();
}

document.getElementById('controls').addEventListener('change', (event) => {
  const f = event.currentTarget.elements;
  const next = {
    from: validDay(f.from.value) ? f.from.value : state.from,
    to: validDay(f.to.value) ? f.to.value : state.to,
    breakdown: oneOf(f.breakdown.value, DIMENSIONS, ''),
    model: oneOf(f.model.value, MODELS, state.model),
    target: oneOf(f.target.value, TARGETS, state.target),
    version: Number(f.version.value) || state.version,
  };
  const changed = Object.keys(next).filter((k) => next[k] !== state[k]);
  if (changed.length === 0) return;
  state = next;
  writeState(state);
  refresh(changed);
});
document.getElementById('controls').addEventListener('submit', (e) => e.preventDefault());

document.getElementById('copy-link').addEventListener('click', async (event) => {
  const button = event.currentTarget;
  try {
    await navigator.clipboard.writeText(location.href);
    button.textContent = 'Link copied';
  } catch {
    window.prompt('Copy this link', location.href); // clipboard needs a secure context
  }
  setTimeout(() => { button.textContent = 'Copy link'; }, 1500);
});

document.getElementById('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  sessionStorage.setItem(KEY_STORAGE, form.elements.key.value.trim());
  form.hidden = true;
  start();
});

document.getElementById('stalled-more').addEventListener('click', async () => {
  const previous = stalledShown;
  const loading = loadPanel('stalled', (s) => loadStalled(s, previous));
  setBodyState();
  await loading;
  setBodyState();
});

start();
