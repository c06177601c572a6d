import { funnelEventBuilder, expectEventually, spawnApp, type SpawnedApp } from '@funnel/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The complete JSON log lines an app printed (stdout is not a terminal here, so all are JSON). */
const logLines = (app: SpawnedApp): Record<string, any>[] =>
  app
    .output()
    .split('\n')
    .slice(0, -1) // the text after the last newline may be a line still being written
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, any>);

describe('structured logs with a request id that follows an event into both projections', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'funnel-logs-'));
  let app: SpawnedApp;
  beforeAll(async () => {
    app = await spawnApp('standalone', { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  });
  afterAll(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const post = (headers: Record<string, string>, id: string) =>
    fetch(`${app.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ events: [funnelEventBuilder(id).captured(`L-${id}`, '2026-03-02T10:15:00Z')] }),
    });

  it('prints the start-up banner as JSON lines', () => {
    const messages = logLines(app).map((line) => line.msg);
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/^listening on http:\/\/127\.0\.0\.1:\d+ /), expect.stringMatching(/^ready in /)]));
    expect(logLines(app).every((line) => line.name === 'funnel-ledger' && typeof line.level === 'number')).toBe(true);
  });

  it('echoes an incoming X-Request-Id, logs the request with it, and both projections log it when they apply the batch', async () => {
    const res = await post({ 'X-Request-Id': 'trace-4711' }, 'a');
    expect(res.status).toBe(202);
    expect(res.headers.get('x-request-id')).toBe('trace-4711');

    await expectEventually(() => {
      const lines = logLines(app);
      expect(lines).toContainEqual(expect.objectContaining({ req: expect.objectContaining({ id: 'trace-4711', method: 'POST', url: '/v1/events' }), res: { statusCode: 202 } }));
      for (const projection of ['postgres', 'clickhouse']) {
        expect(lines).toContainEqual(expect.objectContaining({ context: `projector:${projection}`, requestIds: ['trace-4711'] }));
      }
    });
    // The request's headers (API keys) are never logged.
    expect(app.output()).not.toContain('content-type');
  });

  it('gives a request without an acceptable id a new one', async () => {
    const none = (await post({}, 'b')).headers.get('x-request-id');
    const unsafe = (await post({ 'X-Request-Id': 'a b\tc' }, 'c')).headers.get('x-request-id');
    for (const id of [none, unsafe]) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(none).not.toBe(unsafe);
  });
});
