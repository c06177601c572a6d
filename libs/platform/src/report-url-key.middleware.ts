import type { NextFunction, Request, Response } from 'express';

/** URL parameter that may carry the API key of a report URL. */
export const REPORT_URL_KEY_PARAM = 'api_key';

/**
 * Spreadsheet "from web" imports (Google Sheets IMPORTDATA) cannot send headers, so a report URL
 * may carry its key as `?api_key=`; it is moved into `X-API-Key` before the key check and checked
 * exactly like a header. Only GET report URLs accept it: they read, and nothing else needs it.
 */
export function reportUrlKeyMiddleware() {
  return (req: Request, _res: Response, next: NextFunction) => {
    const key = new URL(req.originalUrl, 'http://x').searchParams.get(REPORT_URL_KEY_PARAM);
    if (req.method === 'GET' && key && !req.header('x-api-key') && !req.header('authorization')) req.headers['x-api-key'] = key;
    next();
  };
}
