import { expectEventually, generateFunnelEvents } from '@funnel/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The built server (npm test builds first), run as a user runs it, so SIGKILL hits a real process.
const MAIN = resolve(__dirname, '../dist/apps/standalone/src/main.js');

function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build (npm test does it first)`);
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolveStart, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m && /ready in/.test(output)) resolveStart({ child, url: m[1] });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => reject(new Error(`server exited with ${code} before it was ready:\n${output}`)));
  });
}

function stopped(child: ChildProcess): Promise<void> {
  return new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
}

describe('embedded server killed with SIGKILL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'funnel-kill-'));
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child) {
      child.kill('SIGKILL');
      await stopped(child);
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
    await stopped(child);

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
    await stopped(child);
    expect(child.exitCode).toBe(0);
    child = undefined;
  });
});
