import { expectEventually } from './expect-eventually';

/** A small client for end-to-end tests of a running server: GraphQL, ingest, and catch-up. */
export function testClient(baseUrl: () => string) {
  async function gql(query: string, variables: Record<string, unknown> = {}): Promise<any> {
    const res = await fetch(`${baseUrl()}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return res.json();
  }
  return {
    gql,
    /** The data of a query that must succeed; its errors fail the test with their text. */
    async data(query: string, variables: Record<string, unknown> = {}): Promise<any> {
      const body = await gql(query, variables);
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    },
    /** Posts events as NDJSON and returns the parsed response. */
    async postEvents(events: readonly object[]): Promise<{ status: number; body: any }> {
      const res = await fetch(`${baseUrl()}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body: events.map((e) => JSON.stringify(e)).join('\n'),
      });
      return { status: res.status, body: await res.json() };
    },
    /** Waits until every projection has caught up with the log. */
    caughtUp(timeoutMs = 30_000): Promise<unknown> {
      return expectEventually(async () => {
        const s: any = await (await fetch(`${baseUrl()}/v1/status`)).json();
        for (const p of s.projections) expect(p.lag).toBe(0);
        return s;
      }, timeoutMs);
    },
  };
}
