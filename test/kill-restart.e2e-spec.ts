import { exited, expectEventually, generateFunnelEvents, spawnApp } from '@funnel/testing';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The built server (npm test builds first), run as a user runs it, so SIGKILL hits a real process.
const startServer = (dataDir: string) => spawnApp('standalone', { PORT: '0', DATA_DIR: dataDir });

describe('embedded server killed with SIGKILL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'funnel-kill-'));
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child) {
      child.kill('SIGKILL');
      await exited(child);
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every accepted event and resumes projections from their checkpoints', async () => {
    const events = generateFunnelEvents({ leads: 300, seed: 11, prefix: 'kill' });
    let server = await startServer(dataDir);
    child = server.child;
    const res = await fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: events.map((e) => JSON.stringify(e)).join('\n'),
    });
    expect(await res.json()).toMatchObject({ accepted: events.length });
    // Killed right after the 202: projections are mid-way, nothing is flushed on purpose.
    child.kill('SIGKILL');
    await exited(child);

    server = await startServer(dataDir);
    child = server.child;
    const status = await expectEventually(async () => {
      const s: any = await (await fetch(`${server.url}/v1/status`)).json();
      expect(s.accepted).toBe(events.length);
      for (const p of s.projections) expect(p).toMatchObject({ processed: events.length, lag: 0 });
      return s;
    }, 60_000);
    expect(status.projections).toHaveLength(2);

    // Posting the same events again changes nothing: all duplicates.
    const again = await fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: events.map((e) => JSON.stringify(e)).join('\n'),
    });
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: events.length });

    child.kill('SIGTERM');
    await exited(child);
    expect(child.exitCode).toBe(0);
    child = undefined;
  });
});
