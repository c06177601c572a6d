import type { FunnelEvent } from '@funnel/contracts';
import { expectEventually } from '@funnel/testing';

/** The ids the server answered 2xx for (accepted or duplicate): every one must be in the log. */
export class AckedIds {
  readonly ids = new Set<string>();

  /** Posts `batch` as NDJSON; resolves with the response, or rejects when the connection fails. */
  async post(url: string, batch: readonly FunnelEvent[]): Promise<{ accepted: number; duplicates: number }> {
    const res = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: batch.map((e) => JSON.stringify(e)).join('\n'),
    });
    const body = (await res.json()) as { accepted: number; duplicates: number; results: { id: string; status: string }[] };
    if (res.status !== 202) throw new Error(`POST /v1/events answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
    for (const r of body.results) if (r.status === 'accepted' || r.status === 'duplicate') this.ids.add(r.id);
    return body;
  }
}

export const status = async (url: string) => (await fetch(`${url}/v1/status`)).json() as Promise<any>;

export async function gql(url: string, query: string): Promise<any> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return res.json();
}

/** Waits until the log holds exactly `accepted` events and every projection has processed them all, with no dead letter. */
export async function caughtUp(url: string, accepted: number, timeoutMs = 120_000): Promise<void> {
  await expectEventually(async () => {
    const s = await status(url);
    expect(s.accepted).toBe(accepted);
    for (const p of s.projections) expect(p).toMatchObject({ processed: accepted, lag: 0, deadLetters: 0 });
  }, timeoutMs, 250);
}
