import { redactedUrl } from './redact-url';

describe('redactedUrl', () => {
  it('masks the api_key of a report URL wherever it stands, and leaves other URLs alone', () => {
    expect(redactedUrl('/v1/reports/funnel.csv?api_key=s3cret-0123456789&from=2026-01-01')).toBe('/v1/reports/funnel.csv?api_key=***&from=2026-01-01');
    expect(redactedUrl('/v1/reports/funnel.csv?from=x&api_key=s3cret')).toBe('/v1/reports/funnel.csv?from=x&api_key=***');
    expect(redactedUrl('/v1/status?my_api_key=1')).toBe('/v1/status?my_api_key=1');
    expect(redactedUrl(undefined)).toBeUndefined();
  });
});
