// Test runs log warnings and errors only, unless LOG_LEVEL says otherwise: the suites send
// thousands of requests, and the apps they spawn inherit this. The start-up banner still prints
// (libs/runtime announcer), so spawnApp finds the URL.
process.env.LOG_LEVEL ??= 'warn';

// The SLA breach checker appends derived events to the log (DESIGN §7): suites that count the
// events they posted run without it, in the apps they spawn (here) and in the standalone apps they
// start in-process (SLA_CHECK_SECONDS: '0' in their config); test/sla-alerts.e2e-spec.ts turns it on.
process.env.SLA_CHECK_SECONDS ??= '0';
