import { createHash } from 'node:crypto';
import { isIP } from 'node:net';

/**
 * Access settings (DESIGN §8): API_KEYS, SIGNERS, HOST, METRICS_OPEN and RATE_LIMIT_PER_MINUTE,
 * read with the rest of the environment so every bad entry is reported in the same pass.
 */
export const ROLES = ['ingest', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const TEAMS = ['MARKETING', 'SALES'] as const;
export type SignerTeam = (typeof TEAMS)[number];

export interface ApiKey {
  readonly name: string;
  /** As granted, with what they imply: admin includes analyst. */
  readonly roles: readonly Role[];
  /** SHA-256 of the secret, hex. A plain secret is hashed on load, so memory holds no plaintext. */
  readonly secretSha256: string;
}

export interface Signer {
  readonly name: string;
  readonly team: SignerTeam;
}

export interface AccessConfig {
  /** Empty = open (local use): the server then binds loopback only. */
  readonly apiKeys: readonly ApiKey[];
  readonly signers: readonly Signer[];
  /** The interface HTTP listens on. */
  readonly host: string;
  /** /metrics without a key even when keys are set (a scraper inside a trusted network). */
  readonly metricsOpen: boolean;
  /** Requests per key per minute; 0 = unlimited. */
  readonly rateLimitPerMinute: number;
}

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 1200;
const SHA256_PREFIX = 'sha256:';
const NAME = /^[A-Za-z0-9._@-]{1,64}$/;
/** A plain secret shorter than this is guessable; `funnel keys new` makes 32 random bytes. */
const MIN_SECRET_LENGTH = 16;

/** The form API_KEYS takes a hashed secret in: `sha256:<hex>` of the secret's UTF-8 bytes. */
export function hashSecret(secret: string): string {
  return `${SHA256_PREFIX}${createHash('sha256').update(secret, 'utf8').digest('hex')}`;
}

/** `local` is the writer of open mode (DESIGN §8), so no key may take that name. */
export const LOCAL_NAME = 'local';

function parseApiKey(entry: string, index: number, problems: string[]): ApiKey | undefined {
  // The secret is everything after the second colon: `sha256:<hex>` holds one itself.
  const [name, roleText, ...rest] = entry.split(':');
  const secret = rest.join(':');
  const shown = `API_KEYS entry "${name}:${roleText ?? ''}:…"`;
  if (roleText === undefined || secret === '') {
    // Numbered, not shown: a bare entry is most likely a secret.
    problems.push(`API_KEYS entry ${index + 1} is not name:roles:secret (roles joined by + from ${ROLES.join(', ')}), e.g. bi:analyst:<secret>`);
    return undefined;
  }
  if (!NAME.test(name) || name === LOCAL_NAME) problems.push(`${shown}: the name must be 1-64 letters, digits or . _ @ - and not "${LOCAL_NAME}"`);
  const granted = roleText.split('+');
  const unknown = granted.filter((r) => !ROLES.includes(r as Role));
  if (unknown.length > 0 || granted.length === 0) problems.push(`${shown}: unknown role "${unknown.join('+')}"; use ${ROLES.join(', ')} joined by +`);
  let secretSha256: string;
  if (secret.startsWith(SHA256_PREFIX)) {
    secretSha256 = secret.slice(SHA256_PREFIX.length).toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(secretSha256)) problems.push(`${shown}: a hashed secret is sha256: and 64 hex digits (\`funnel keys hash\` prints one)`);
  } else {
    if (secret.length < MIN_SECRET_LENGTH) problems.push(`${shown}: the secret must be at least ${MIN_SECRET_LENGTH} characters (\`funnel keys new\` makes one)`);
    secretSha256 = hashSecret(secret).slice(SHA256_PREFIX.length);
  }
  const roles = new Set(granted as Role[]);
  if (roles.has('admin')) roles.add('analyst');
  return { name, roles: ROLES.filter((r) => roles.has(r)), secretSha256 };
}

function parseSigner(entry: string, problems: string[]): Signer | undefined {
  const [name, team, extra] = entry.split(':');
  if (extra !== undefined || !TEAMS.includes(team as SignerTeam) || !NAME.test(name)) {
    problems.push(`SIGNERS entry "${entry}" must be name:TEAM with TEAM ${TEAMS.join(' or ')}`);
    return undefined;
  }
  return { name, team: team as SignerTeam };
}

/** Loopback names and addresses: the only interfaces an open (keyless) server may listen on. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

export function checkAccessConfig(list: (key: string) => string[], get: (key: string) => string | undefined, problems: string[]): AccessConfig {
  const apiKeys = list('API_KEYS').flatMap((e, i) => parseApiKey(e, i, problems) ?? []);
  const names = apiKeys.map((k) => k.name);
  for (const dup of new Set(names.filter((n, i) => names.indexOf(n) !== i))) problems.push(`API_KEYS names "${dup}" more than once`);

  const signers = list('SIGNERS').flatMap((e) => parseSigner(e, problems) ?? []);
  for (const s of signers) {
    // One person signing for both teams is the very loophole two sign-offs exist to close.
    if (signers.some((o) => o.name === s.name && o.team !== s.team) && s.team === 'MARKETING') {
      problems.push(`SIGNERS names "${s.name}" for both MARKETING and SALES; a definition needs two different people`);
    }
    if (apiKeys.length > 0 && !names.includes(s.name)) problems.push(`SIGNERS names "${s.name}", which is no key of API_KEYS`);
  }

  const host = get('HOST') ?? '127.0.0.1';
  if (isIP(host) === 0 && !/^[A-Za-z0-9.-]{1,253}$/.test(host)) problems.push(`HOST must be an IP address or host name, got "${host}"`);
  if (!isLoopback(host) && apiKeys.length === 0) {
    problems.push(`HOST=${host} would expose an open server: set API_KEYS (DESIGN §8) or leave HOST unset to listen on 127.0.0.1 only`);
  }

  const metricsText = get('METRICS_OPEN')?.toLowerCase() ?? 'false';
  if (metricsText !== 'true' && metricsText !== 'false') problems.push(`METRICS_OPEN must be true or false, got "${metricsText}"`);

  const rateText = get('RATE_LIMIT_PER_MINUTE') ?? String(DEFAULT_RATE_LIMIT_PER_MINUTE);
  const rateLimitPerMinute = Number(rateText);
  if (!Number.isSafeInteger(rateLimitPerMinute) || rateLimitPerMinute < 0) {
    problems.push(`RATE_LIMIT_PER_MINUTE must be a whole number of requests per key per minute (0 = unlimited), got "${rateText}"`);
  }
  return { apiKeys, signers, host, metricsOpen: metricsText === 'true', rateLimitPerMinute };
}
