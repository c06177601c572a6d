import { REPORT_URL_KEY_PARAM } from '@funnel/platform';

const KEY_IN_URL = new RegExp(`([?&]${REPORT_URL_KEY_PARAM}=)[^&#]*`, 'g');

/** A request URL fit for the log: a report URL's `?api_key=` secret masked, like headers are left out. */
export function redactedUrl(url: string | undefined): string | undefined {
  return url?.replace(KEY_IN_URL, '$1***');
}
