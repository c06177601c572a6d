// Test runs log warnings and errors only, unless LOG_LEVEL says otherwise: the suites send
// thousands of requests, and the apps they spawn inherit this. The start-up banner still prints
// (libs/runtime announcer), so spawnApp finds the URL.
process.env.LOG_LEVEL ??= 'warn';
