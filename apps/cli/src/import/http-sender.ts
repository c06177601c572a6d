import { outcomesOf, type EventOutcome, type SendBatch } from '@funnel/import';

/** The server cannot take the import (unreachable, wrong key, an error answer): the import stops. */
export class ServerError extends Error {}

interface IngestResponse {
  results?: { index: number; status: EventOutcome['status'] }[];
  rejected?: { index: number; errors: NonNullable<EventOutcome['errors']> }[];
  message?: string;
}

/** Posts each batch to a running server's POST /v1/events as NDJSON, as any other client would. */
export function httpSender(baseUrl: string, key?: string): SendBatch {
  const endpoint = new URL('/v1/events', baseUrl).toString();
  const headers: Record<string, string> = { 'content-type': 'application/x-ndjson' };
  if (key !== undefined) headers.authorization = `Bearer ${key}`;
  return async (events) => {
    let res: Response;
    try {
      res = await fetch(endpoint, { method: 'POST', headers, body: events.map((e) => JSON.stringify(e)).join('\n') });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
      throw new ServerError(`cannot reach the server at ${baseUrl} (${cause}); start it with \`npm start\` or pass --url`);
    }
    const text = await res.text();
    let body: IngestResponse;
    try {
      body = JSON.parse(text) as IngestResponse;
    } catch {
      body = {};
    }
    if ((res.status !== 202 && res.status !== 422) || !Array.isArray(body.results)) {
      const hint = res.status === 401 ? ' (pass an API key with an ingest role: --key)' : res.status === 403 ? ' (the key lacks the ingest role)' : '';
      throw new ServerError(`the server answered ${res.status}${hint}: ${body.message ?? text.slice(0, 300)}`);
    }
    return outcomesOf({ results: body.results, rejected: body.rejected ?? [] });
  };
}
