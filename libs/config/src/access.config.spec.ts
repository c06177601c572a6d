import { hashSecret, isLoopback } from './access.config';
import { ConfigError, loadConfig } from './config.schema';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.join('\n');
    throw e;
  }
  throw new Error('expected a ConfigError');
}

const SECRET = 'a-long-enough-secret-1';

describe('API_KEYS', () => {
  it('reads name:roles:secret, holding only the SHA-256 of a plain secret', () => {
    const [key] = loadConfig({ API_KEYS: `crm:ingest:${SECRET}` }).apiKeys;
    expect(key).toEqual({ name: 'crm', roles: ['ingest'], secretSha256: hashSecret(SECRET).slice('sha256:'.length) });
    expect(JSON.stringify(key)).not.toContain(SECRET);
  });

  it('takes a hashed secret as sha256:<hex>, which the hash of the secret matches', () => {
    const hashed = hashSecret(SECRET);
    expect(hashed).toMatch(/^sha256:[0-9a-f]{64}$/);
    const [plain] = loadConfig({ API_KEYS: `bi:analyst:${SECRET}` }).apiKeys;
    const [fromHash] = loadConfig({ API_KEYS: `bi:analyst:${hashed.toUpperCase().replace('SHA256', 'sha256')}` }).apiKeys;
    expect(fromHash).toEqual(plain);
  });

  it('joins roles with +, admin including analyst (and not ingest)', () => {
    const keys = loadConfig({ API_KEYS: `ops:admin:${SECRET}2, all:ingest+admin:${SECRET}3` }).apiKeys;
    expect(keys.map((k) => [k.name, k.roles])).toEqual([
      ['ops', ['analyst', 'admin']],
      ['all', ['ingest', 'analyst', 'admin']],
    ]);
  });

  it('names every bad entry: no roles, unknown role, short secret, bad hash, duplicate or reserved name', () => {
    const text = problemsOf({
      API_KEYS: [`justasecretvalue123`, `a:reader:${SECRET}`, 'b:ingest:short', 'c:ingest:sha256:abc', `d:ingest:${SECRET}`, `d:analyst:${SECRET}x`, `local:ingest:${SECRET}`].join(','),
    });
    expect(text).toMatch(/API_KEYS entry 1 is not name:roles:secret/);
    expect(text).toMatch(/"a:reader:…": unknown role "reader"/);
    expect(text).toMatch(/"b:ingest:…": the secret must be at least 16 characters/);
    expect(text).toMatch(/"c:ingest:…": a hashed secret is sha256: and 64 hex digits/);
    expect(text).toMatch(/API_KEYS names "d" more than once/);
    expect(text).toMatch(/"local:ingest:…": the name must be/);
    // A problem never echoes a secret.
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('justasec');
  });
});

describe('SIGNERS', () => {
  const keys = `mia:admin:${SECRET}m,sam:admin:${SECRET}s`;

  it('reads name:TEAM', () => {
    expect(loadConfig({ API_KEYS: keys, SIGNERS: 'mia:MARKETING, sam:SALES' }).signers).toEqual([
      { name: 'mia', team: 'MARKETING' },
      { name: 'sam', team: 'SALES' },
    ]);
  });

  it('refuses one name for both teams, an unknown team, and a name no key has', () => {
    const text = problemsOf({ API_KEYS: keys, SIGNERS: 'mia:MARKETING,mia:SALES,sam:FINANCE,zoe:SALES' });
    expect(text).toMatch(/SIGNERS names "mia" for both MARKETING and SALES/);
    expect(text).toMatch(/SIGNERS entry "sam:FINANCE" must be name:TEAM/);
    expect(text).toMatch(/SIGNERS names "zoe", which is no key of API_KEYS/);
  });
});

describe('HOST', () => {
  it('is 127.0.0.1 by default, and any loopback address without keys', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '::1' }).host).toBe('::1');
    expect(['localhost', '127.0.0.2', '::1'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '::', '10.0.0.1', 'example.com'].some(isLoopback)).toBe(false);
  });

  it('refuses another interface without API_KEYS, and allows it with them', () => {
    expect(problemsOf({ HOST: '0.0.0.0' })).toMatch(/HOST=0.0.0.0 would expose an open server: set API_KEYS/);
    expect(loadConfig({ HOST: '0.0.0.0', API_KEYS: `crm:ingest:${SECRET}` }).host).toBe('0.0.0.0');
  });
});

describe('METRICS_OPEN and RATE_LIMIT_PER_MINUTE', () => {
  it('reads them and names bad values', () => {
    expect(loadConfig({ METRICS_OPEN: 'TRUE', RATE_LIMIT_PER_MINUTE: '0' })).toMatchObject({ metricsOpen: true, rateLimitPerMinute: 0 });
    const text = problemsOf({ METRICS_OPEN: 'yes', RATE_LIMIT_PER_MINUTE: '-1' });
    expect(text).toMatch(/METRICS_OPEN must be true or false/);
    expect(text).toMatch(/RATE_LIMIT_PER_MINUTE must be a whole number/);
  });
});
