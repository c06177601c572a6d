import { PassThrough } from 'node:stream';
import { announcer, createLogger, type LogOutput } from './logger';

/** A stream that records what was written, optionally posing as a terminal. */
function output(isTTY: boolean): { out: LogOutput; text: () => string } {
  const stream = Object.assign(new PassThrough(), { isTTY });
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { out: stream, text: () => text };
}

describe('createLogger', () => {
  it('writes one JSON object per line when the output is not a terminal', () => {
    const { out, text } = output(false);
    const logger = createLogger('ingest-api', 'info', out);

    logger.info({ requestId: 'r-1' }, 'accepted 3 events');
    logger.debug('hidden at info');

    const lines = text().trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toEqual([expect.objectContaining({ level: 30, name: 'ingest-api', requestId: 'r-1', msg: 'accepted 3 events' })]);
  });

  it('writes human-readable lines on a terminal', () => {
    const { out, text } = output(true);
    createLogger('funnel-ledger', 'info', out).info('listening on http://127.0.0.1:3000 (GraphQL at /graphql)');

    expect(text()).toMatch(/INFO.*\(funnel-ledger\).*listening on http:\/\/127\.0\.0\.1:3000 \(GraphQL at \/graphql\)/);
    expect(text().trim().startsWith('{')).toBe(false);
  });
});

describe('announcer', () => {
  it('prints banner lines at info even when LOG_LEVEL is warn, without lowering the level of the rest', () => {
    const { out, text } = output(false);
    const logger = createLogger('projector', 'warn', out);

    announcer(logger).info('ready in 1.0 s');
    logger.info('not shown at warn');

    expect(text().trim().split('\n').map((line) => JSON.parse(line).msg)).toEqual(['ready in 1.0 s']);
  });
});
