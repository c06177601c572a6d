import { loadConfig } from '@funnel/config';
import type { FunnelEvent } from '@funnel/contracts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStandalone, type StandaloneApp } from '../../apps/standalone/src/standalone.app';

export const INGEST_BATCH = 10_000;

interface Status {
  accepted: number;
  projections: { name: string; processed: number; lag: number }[];
}

export async function status(url: string): Promise<Status> {
  return (await (await fetch(`${url}/v1/status`)).json()) as Status;
}

/** POST /v1/events as NDJSON; throws unless every event was accepted. Returns the count. */
export async function post(url: string, events: readonly FunnelEvent[]): Promise<number> {
  const body = events.map((e) => JSON.stringify(e)).join('\n') + '\n';
  const res = await fetch(`${url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
  const reply = (await res.json()) as { accepted: number; rejected: unknown[] };
  if (res.status !== 202 || reply.rejected.length > 0) throw new Error(`ingest answered ${res.status}: ${JSON.stringify(reply).slice(0, 500)}`);
  return reply.accepted;
}

/** Resolves once every projection has processed `accepted` events; polls every `pollMs`. */
export async function visibleEverywhere(url: string, accepted: number, pollMs = 20): Promise<void> {
  for (;;) {
    const s = await status(url);
    if (s.projections.every((p) => p.processed >= accepted)) return;
    await sleep(pollMs);
  }
}

/** The embedded product on a fresh DATA_DIR, shared by ingest_embedded, lag and replay. */
export interface EmbeddedServer {
  readonly dataDir: string;
  app: StandaloneApp | undefined;
  /** Every event posted so far, in order. */
  readonly posted: FunnelEvent[];
  close(): Promise<void>;
}

export async function embeddedServer(): Promise<EmbeddedServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'funnel-bench-embedded-'));
  const server: EmbeddedServer = {
    dataDir,
    app: await startStandalone(loadConfig({ PORT: '0', LOG_LEVEL: 'warn', DATA_DIR: dataDir })),
    posted: [],
    async close() {
      await server.app?.close();
      server.app = undefined;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}
