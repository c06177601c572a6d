import { repoRoot } from '@funnel/clickhouse';
import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { Access } from '@funnel/platform';
import type { Response } from 'express';
import { dirname, join } from 'node:path';

/**
 * The static files live in the source tree, found from the repository root, so `npm start`,
 * jest and the Docker image (which copies this folder) serve the same files without a build
 * step. The chart library is served from node_modules: users run offline, behind firewalls.
 */
export const DASHBOARD_PUBLIC_DIR = join(repoRoot(), 'apps/reporting-api/src/dashboard/public');
// chart.js's package exports do not list its UMD build; it sits beside the CommonJS entry.
const CHART_JS_UMD = join(dirname(require.resolve('chart.js')), 'chart.umd.js');

/** The files the page is made of; anything else under /dashboard is a 404. */
const ASSETS: Record<string, string> = {
  'dashboard.js': join(DASHBOARD_PUBLIC_DIR, 'dashboard.js'),
  'dashboard.css': join(DASHBOARD_PUBLIC_DIR, 'dashboard.css'),
  'chart.umd.js': CHART_JS_UMD,
};

/**
 * The shared dashboard: static HTML, CSS and JS that read every number from POST /graphql.
 * It holds no data itself, so it stays open when API_KEYS is set; the page asks for a key.
 */
@Controller()
@Access('public')
export class DashboardController {
  @Get()
  index(@Res() res: Response): void {
    res.sendFile(join(DASHBOARD_PUBLIC_DIR, 'index.html'), { headers: { 'cache-control': 'no-cache' } });
  }

  @Get('dashboard/:file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    const path = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!path) throw new NotFoundException(`no dashboard file ${file}`);
    res.sendFile(path, { headers: { 'cache-control': 'no-cache' } });
  }
}
