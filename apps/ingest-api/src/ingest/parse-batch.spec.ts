import { BatchParseError, isUnparseable, MAX_EVENTS_PER_REQUEST, parseBatch } from './parse-batch';

/** The BatchParseError `parse` throws; fails the test when it throws nothing. */
function parseErrorOf(parse: () => unknown): BatchParseError {
  try {
    parse();
  } catch (error) {
    if (error instanceof BatchParseError) return error;
    throw error;
  }
  throw new Error('expected a BatchParseError, but the body parsed');
}

const event = (id: string) => ({ id, type: 'LeadCaptured' });

describe('parseBatch', () => {
  describe('JSON', () => {
    it('takes {"events":[...]} and a bare array, with or without a charset', () => {
      expect(parseBatch(JSON.stringify({ events: [event('a'), event('b')] }), 'application/json')).toEqual([event('a'), event('b')]);
      expect(parseBatch(JSON.stringify([event('a')]), 'Application/JSON; charset=utf-8')).toEqual([event('a')]);
    });

    it('treats a missing Content-Type as JSON', () => {
      expect(parseBatch(JSON.stringify([event('a')]), undefined)).toEqual([event('a')]);
    });

    it.each([
      ['an empty body', '  \n', 400, 'EMPTY_BODY'],
      ['a body that is not JSON', '{"events":', 400, 'INVALID_JSON'],
      ['an object without events', '{"event":[]}', 400, 'INVALID_BATCH'],
      ['null', 'null', 400, 'INVALID_BATCH'],
      ['an empty events array', '{"events":[]}', 400, 'EMPTY_BATCH'],
    ])('rejects %s with %i %s', (_case, body, status, code) => {
      expect(parseErrorOf(() => parseBatch(body, 'application/json'))).toMatchObject({ status, code });
    });

    it(`accepts ${MAX_EVENTS_PER_REQUEST} events and rejects one more with 413`, () => {
      const batch = (n: number) => JSON.stringify({ events: Array.from({ length: n }, (_, i) => event(`e${i}`)) });
      expect(parseBatch(batch(MAX_EVENTS_PER_REQUEST), 'application/json')).toHaveLength(MAX_EVENTS_PER_REQUEST);
      const error = parseErrorOf(() => parseBatch(batch(MAX_EVENTS_PER_REQUEST + 1), 'application/json'));
      expect(error).toMatchObject({ status: 413, code: 'TOO_MANY_EVENTS' });
      expect(error.message).toContain(String(MAX_EVENTS_PER_REQUEST + 1));
    });
  });

  describe('NDJSON', () => {
    it.each(['application/x-ndjson', 'application/ndjson', 'application/jsonl'])('reads one event per line as %s', (type) => {
      expect(parseBatch(`${JSON.stringify(event('a'))}\n${JSON.stringify(event('b'))}\n`, type)).toEqual([event('a'), event('b')]);
    });

    it('rejects only the line that is not JSON, naming it, and keeps its neighbours in order', () => {
      const items = parseBatch([JSON.stringify(event('a')), '{not json', JSON.stringify(event('c'))].join('\n'), 'application/x-ndjson');
      expect(items).toHaveLength(3);
      expect(items[0]).toEqual(event('a'));
      expect(isUnparseable(items[1])).toBe(true);
      expect(items[1]).toMatchObject({ unparseable: { path: '', message: expect.stringMatching(/^line 2 is not valid JSON/) } });
      expect(items[2]).toEqual(event('c'));
    });

    it('skips blank lines and CRLF endings', () => {
      expect(parseBatch(`\r\n${JSON.stringify(event('a'))}\r\n\r\n${JSON.stringify(event('b'))}\r\n`, 'application/x-ndjson')).toEqual([
        event('a'),
        event('b'),
      ]);
    });

    it('rejects more than the limit of lines with 413', () => {
      const body = Array.from({ length: MAX_EVENTS_PER_REQUEST + 1 }, () => '{}').join('\n');
      expect(parseErrorOf(() => parseBatch(body, 'application/x-ndjson'))).toMatchObject({ status: 413, code: 'TOO_MANY_EVENTS' });
    });
  });

  it('rejects another content type with 415 naming it', () => {
    const error = parseErrorOf(() => parseBatch('a,b', 'text/csv'));
    expect(error).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(error.message).toContain('text/csv');
  });

  it('an event that is JSON but not an object is passed on for validation, not judged here', () => {
    expect(parseBatch('[1, "x"]', 'application/json')).toEqual([1, 'x']);
    expect(isUnparseable(1)).toBe(false);
  });
});
