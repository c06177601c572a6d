import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

/** What a process of another OS user gets when it connects to `path` ("EACCES", or "CONNECTED"). */
function connectAsNobody(path: string): string {
  const script = `process.setgid(65534); process.setuid(65534);
    require('node:net').connect(${JSON.stringify(path)})
      .on('connect', () => { console.log('CONNECTED'); process.exit(0); })
      .on('error', (e) => { console.log(e.code); process.exit(0); });`;
  return spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' }).stdout.trim();
}

describe('embedded PostgreSQL', () => {
  let pg: EmbeddedPostgres;
  beforeAll(async () => {
    pg = await startEmbeddedPostgres('memory://');
  });
  afterAll(() => pg.close());

  it('serves pg over a Unix socket, with no TCP port at all', async () => {
    const url = new URL(pg.url);
    expect(url.port).toBe('');
    expect(url.searchParams.get('host')).toBe(dirname(pg.socketPath));
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await client.end();
  });

  it('is reachable only by this OS user: the socket directory is 0700 and the socket 0600', () => {
    expect(statSync(dirname(pg.socketPath)).mode & 0o777).toBe(0o700);
    expect(statSync(pg.socketPath).mode & 0o777).toBe(0o600);
    expect(statSync(pg.socketPath).uid).toBe(process.getuid?.());
    // Proven, not only read off the modes, wherever the test may switch users (as root: CI, Docker).
    if (process.getuid?.() === 0) expect(connectAsNobody(pg.socketPath)).toBe('EACCES');
  });

  it('removes its socket directory on close', async () => {
    const other = await startEmbeddedPostgres('memory://');
    await other.close();
    expect(() => statSync(dirname(other.socketPath))).toThrow(/ENOENT/);
  });
});
