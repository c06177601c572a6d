#!/usr/bin/env node
'use strict';
// The `funnel` command: runs the built CLI (TypeScript compiled by `npm run build`).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'funnel.main.js');
if (!existsSync(main)) {
  console.error(`funnel: ${main} is missing; run npm run build first`);
  process.exit(1);
}
require(main);
