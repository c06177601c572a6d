import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestIdOf } from './request-id';

function exchange(header?: string) {
  const headers: Record<string, string> = {};
  const req = { headers: header === undefined ? {} : { 'x-request-id': header } } as unknown as IncomingMessage;
  const res = { setHeader: (name: string, value: string) => (headers[name] = value) } as unknown as ServerResponse;
  return { id: requestIdOf(req, res), echoed: () => headers['X-Request-Id'] };
}

describe('requestIdOf', () => {
  it("keeps the caller's X-Request-Id and echoes it", () => {
    const { id, echoed } = exchange('gw-7f3a:trace/1');
    expect(id).toBe('gw-7f3a:trace/1');
    expect(echoed()).toBe(id);
  });

  it.each([
    ['no header', undefined],
    ['an empty one', ''],
    ['one with spaces or control characters', 'a b\\nc'],
    ['one over 128 characters', 'x'.repeat(129)],
  ])('makes a new UUID for %s, and echoes it', (_case, header) => {
    const { id, echoed } = exchange(header);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(echoed()).toBe(id);
  });
});
