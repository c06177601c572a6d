import { runCommand, spawnApp, type SpawnedApp } from '@funnel/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';

/** An IPv4 address of this machine other than loopback (every CI runner and container has one). */
function externalAddress(): string {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  if (!address) throw new Error('this machine has no non-loopback IPv4 address to test the bind address with');
  return address;
}

/** "open" when something accepts a TCP connection at host:port, else the error code. */
function probe(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => (socket.destroy(), resolve('open')));
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

/** The embedded server as a user starts it (built main), and what its start-up line says. */
describe('the address the server binds (DESIGN §8)', () => {
  const dirs: string[] = [];
  let app: SpawnedApp | undefined;
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'funnel-bind-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('listens on 127.0.0.1 only without API_KEYS, and says so', async () => {
    app = await spawnApp('standalone', { PORT: '0', DATA_DIR: dataDir(), API_KEYS: '', HOST: '' });
    const url = new URL(app.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(await probe('127.0.0.1', Number(url.port))).toBe('open');
    expect(await probe(externalAddress(), Number(url.port))).toBe('ECONNREFUSED');
  }, 120_000);

  it('refuses to start open on another interface, with a clear message', async () => {
    const { code, output } = await runCommand('standalone', [], { PORT: '0', DATA_DIR: dataDir(), API_KEYS: '', HOST: '0.0.0.0' });
    expect(code).toBe(1);
    expect(output).toMatch(/HOST=0\.0\.0\.0 would expose an open server: set API_KEYS/);
  }, 120_000);

  it('listens where HOST says when keys are set, prints that address, and opens /metrics with METRICS_OPEN', async () => {
    app = await spawnApp('standalone', {
      PORT: '0',
      DATA_DIR: dataDir(),
      API_KEYS: 'ops:admin:ops-secret-0123456789',
      HOST: '0.0.0.0',
      METRICS_OPEN: 'true',
    });
    const url = new URL(app.url);
    expect(url.hostname).toBe('0.0.0.0');
    const external = `http://${externalAddress()}:${url.port}`;
    expect((await fetch(`${external}/metrics`)).status).toBe(200);
    expect((await fetch(`${external}/v1/status`)).status).toBe(401);
    expect((await fetch(`${external}/v1/status`, { headers: { 'x-api-key': 'ops-secret-0123456789' } })).status).toBe(200);
  }, 120_000);
});
