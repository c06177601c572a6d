import { TupleParam } from '@clickhouse/client';
import { closeChdbSession, openChdbSession } from '@funnel/clickhouse';
import type { Session } from 'chdb';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChdbHttpServer {
  /** http://127.0.0.1:<port>, for @clickhouse/client's `url`. */
  readonly url: string;
  /** Faults on purpose, for the fault suite (test/faults). */
  readonly faults: ChdbHttpFaults;
  close(): Promise<void>;
}

export interface ChdbHttpFaults {
  /** The next `count` INSERTs answer ClickHouse's TOO_MANY_PARTS (252), as an overloaded server does. */
  failInserts(count: number): void;
  /** Until heal(), every request's connection is dropped without an answer, as when the server is down. */
  outage(): void;
  heal(): void;
  /** INSERTs refused by failInserts so far. */
  readonly refusedInserts: number;
}

/** ClickHouse's default http_max_uri_size. */
const HTTP_MAX_URI_SIZE = 1_048_576;

// URL parameters of the HTTP interface that are not settings.
const NOT_SETTINGS = new Set([
  'query', 'database', 'default_format', 'query_id', 'session_id', 'session_timeout', 'session_check',
  'role', 'user', 'password', 'quota_key', 'compress', 'decompress', 'buffer_size', 'wait_end_of_query',
]);

class HttpInterfaceError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly type: string,
  ) {
    super(message);
  }
}

const badParameter = (message: string) => new HttpInterfaceError(message, 457, 'BAD_QUERY_PARAMETER');

// chdb errors already carry ClickHouse's exception text; anything else is dressed as one so that
// @clickhouse/client raises a ClickHouseError for it, as it would for the server.
function exceptionText(e: unknown): { code: string; text: string } {
  const message = e instanceof Error ? e.message : String(e);
  const own = /^Code: (\d+)\./.exec(message);
  if (own) return { code: own[1], text: message };
  const { code, type } = e instanceof HttpInterfaceError ? e : { code: 1001, type: 'STD_EXCEPTION' };
  return { code: String(code), text: `Code: ${code}. DB::Exception: ${message}. (${type})` };
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', '0': '\0', a: '\x07', v: '\v' };

function unescapeChar(c: string): string {
  return ESCAPES[c] ?? c;
}

/** A top-level parameter value travels TSV-escaped (`\t`, `\n`, `\\`, `\'`). */
function unescapeTsv(raw: string): string {
  return raw.replace(/\\(.)/gs, (_, c: string) => unescapeChar(c));
}

/**
 * Reads a composite parameter value (`['a','it\'s']`, `(1,'x')`, `{'k':1}`) as
 * @clickhouse/client writes it, into JS values chdb's binder writes back the same way.
 */
class LiteralReader {
  private pos = 0;

  constructor(private readonly text: string) {}

  read(): unknown {
    const value = this.value();
    this.skipSpace();
    if (this.pos !== this.text.length) throw this.error();
    return value;
  }

  private value(): unknown {
    this.skipSpace();
    switch (this.text[this.pos]) {
      case '[':
        return this.list(']');
      case '(':
        return new TupleParam(this.list(')'));
      case '{':
        return this.map();
      case "'":
        return this.quoted();
      default:
        return this.bare();
    }
  }

  private list(close: string): unknown[] {
    const items: unknown[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === close) {
      this.pos++;
      return items;
    }
    for (;;) {
      items.push(this.value());
      if (this.separator(close)) return items;
    }
  }

  private map(): Map<unknown, unknown> {
    const entries = new Map<unknown, unknown>();
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return entries;
    }
    for (;;) {
      const key = this.value();
      this.skipSpace();
      if (this.text[this.pos++] !== ':') throw this.error();
      entries.set(key, this.value());
      if (this.separator('}')) return entries;
    }
  }

  /** True at `close`, false at a comma. */
  private separator(close: string): boolean {
    this.skipSpace();
    const c = this.text[this.pos++];
    if (c === close) return true;
    if (c !== ',') throw this.error();
    return false;
  }

  private quoted(): string {
    let out = '';
    this.pos++;
    for (;;) {
      const c = this.text[this.pos++];
      if (c === undefined) throw this.error();
      if (c === '\\') {
        out += unescapeChar(this.text[this.pos++] ?? '');
      } else if (c === "'") {
        return out;
      } else {
        out += c;
      }
    }
  }

  private bare(): unknown {
    const word = /^[^,\])}:\s]+/.exec(this.text.slice(this.pos))?.[0];
    if (word === undefined) throw this.error();
    this.pos += word.length;
    if (/^null$/i.test(word)) return null;
    if (/^(true|false)$/i.test(word)) return word.toLowerCase() === 'true';
    const n = Number(word);
    if (Number.isNaN(n)) throw this.error();
    return /^[+-]?\d+$/.test(word) && !Number.isSafeInteger(n) ? BigInt(word) : n;
  }

  private skipSpace(): void {
    while (/\s/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  private error(): Error {
    return badParameter(`cannot read parameter value ${this.text} at position ${this.pos}`);
  }
}

function placeholderType(sql: string, name: string): string | undefined {
  if (!/^\w+$/.test(name)) return undefined;
  return new RegExp(`\\{\\s*${name}\\s*:\\s*([^{}]+?)\\s*\\}`).exec(sql)?.[1];
}

function unwrap(type: string): string {
  const m = /^(?:Nullable|LowCardinality)\((.*)\)$/s.exec(type.trim());
  return m ? unwrap(m[1]) : type.trim();
}

// chdb's binder takes JS values and escapes them itself, so the text the client sent is decoded
// first; passing it through would escape it twice. Which decoding applies depends on the
// placeholder's type, as it does in the server.
function decodeParam(sql: string, name: string, raw: string): unknown {
  if (raw === '\\N') return null;
  const type = placeholderType(sql, name);
  return type !== undefined && /^(Array|Tuple|Map|Nested)\(/.test(unwrap(type))
    ? new LiteralReader(raw).read()
    : unescapeTsv(raw);
}

function quoteIdentifier(name: string): string {
  return `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding !== 'identity') {
    throw new HttpInterfaceError(`request compression (${encoding}) is not supported by the chdb HTTP server`, 48, 'NOT_IMPLEMENTED');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Enough of ClickHouse's HTTP interface, served by chdb on `dataDir`, for @clickhouse/client's
 * `command`, `query` (with `query_params`), `insert` and `ping`, so the server adapter is tested
 * without a ClickHouse server. It shares the process's chdb data directory (the one an
 * EmbeddedClickHouse in the same process uses) and keeps one chdb session per database and
 * settings, since a session holds its current database and settings for its whole life.
 * Unknown settings are ignored, as chdb ignores them. Text formats only: the body is joined to
 * the SQL as a string, as the server joins the `query` parameter and the body.
 */
export async function startChdbHttpServer(opts: { dataDir: string }): Promise<ChdbHttpServer> {
  const sessions = new Map<string, Promise<Session>>();

  async function openSession(database: string, settings: Record<string, string>): Promise<Session> {
    const session = openChdbSession(opts.dataDir, settings);
    try {
      await session.queryAsync(`USE ${quoteIdentifier(database)}`);
    } catch (e) {
      await closeChdbSession(session);
      throw e;
    }
    return session;
  }

  function sessionFor(database: string, settings: Record<string, string>): Promise<Session> {
    const key = JSON.stringify([database, Object.entries(settings).sort()]);
    let session = sessions.get(key);
    if (session === undefined) {
      session = openSession(database, settings);
      sessions.set(key, session);
      // A database that does not exist yet may be created by a later request.
      session.catch(() => sessions.delete(key));
    }
    return session;
  }

  let insertsToFail = 0;
  let refusedInserts = 0;
  let down = false;
  const faults: ChdbHttpFaults = {
    failInserts: (count) => void (insertsToFail = count),
    outage: () => void (down = true),
    heal: () => void (down = false),
    get refusedInserts() {
      return refusedInserts;
    },
  };

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (down) {
      req.socket.destroy();
      return;
    }
    const search = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
    if (req.url?.startsWith('/ping') || (req.method === 'GET' && !search.has('query'))) {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8' }).end('Ok.\n');
      return;
    }
    const queryId = search.get('query_id') || randomUUID();
    try {
      const body = await readBody(req);
      const urlQuery = search.get('query');
      const sql = urlQuery === null ? body : body === '' ? urlQuery : `${urlQuery}\n${body}`;
      if (insertsToFail > 0 && /^\s*INSERT\b/i.test(sql)) {
        insertsToFail--;
        refusedInserts++;
        throw new HttpInterfaceError('Too many parts (fault injected by the test)', 252, 'TOO_MANY_PARTS');
      }
      const params: Record<string, unknown> = {};
      const settings: Record<string, string> = {};
      for (const [name, value] of search) {
        if (name.startsWith('param_')) params[name.slice('param_'.length)] = decodeParam(sql, name.slice('param_'.length), value);
        else if (!NOT_SETTINGS.has(name)) settings[name] = value;
      }
      const session = await sessionFor(search.get('database') ?? 'default', settings);
      // Without a FORMAT clause the server answers in TabSeparated.
      const format = search.get('default_format') ?? 'TabSeparated';
      const result =
        Object.keys(params).length > 0
          ? await session.queryBindAsync(sql, params, { format })
          : await session.queryAsync(sql, { format });
      res
        .writeHead(200, {
          'Content-Type': 'text/plain; charset=UTF-8',
          'X-ClickHouse-Query-Id': queryId,
          'X-ClickHouse-Summary': JSON.stringify({ read_rows: String(result.rowsRead), read_bytes: String(result.bytesRead) }),
        })
        .end(result.bytes());
    } catch (e) {
      const { code, text } = exceptionText(e);
      res
        .writeHead(500, {
          'Content-Type': 'text/plain; charset=UTF-8',
          'X-ClickHouse-Query-Id': queryId,
          'X-ClickHouse-Exception-Code': code,
        })
        .end(`${text}\n`);
    }
  }

  // ClickHouse reads URLs up to http_max_uri_size (1 MiB); @clickhouse/client sends query params
  // there, so a batch's ids need far more than Node's default 16 KiB of request head.
  const server = createServer({ maxHeaderSize: HTTP_MAX_URI_SIZE }, (req, res) => void respond(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      for (const session of sessions.values()) {
        const open = await session.catch(() => undefined);
        if (open !== undefined) await closeChdbSession(open);
      }
    },
  };
}
