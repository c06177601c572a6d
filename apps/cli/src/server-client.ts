import { CliError } from './cli-error';

/** Where a running server answers, from `--url` and `--key`. */
export interface ServerOptions {
  readonly url: string;
  readonly key?: string;
}

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:3000';

/**
 * The CLI's view of a running server over HTTP: JSON requests with the API key, and errors that
 * say what to do (server down, key missing or refused, a GraphQL error's code and message).
 */
export class ServerClient {
  private readonly base: string;

  constructor(
    private readonly options: ServerOptions,
    private readonly fetchFn: typeof fetch = fetch,
  ) {
    this.base = options.url.replace(/\/+$/, '');
  }

  async getJson<T>(path: string): Promise<T> {
    return (await this.request(path, { method: 'GET' })).body as T;
  }

  /** POSTs `body` as JSON; resolves with the status and parsed body for any status the caller accepts. */
  async postJson<T>(path: string, body: unknown, accept: readonly number[] = [200]): Promise<{ status: number; body: T }> {
    const res = await this.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, accept);
    return { status: res.status, body: res.body as T };
  }

  /** The data of a GraphQL query; any error fails with its code and message. */
  async graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    // GraphQL answers errors with 200 or 400, both with an `errors` body.
    const { body } = await this.postJson<{ data?: T; errors?: { message: string; extensions?: { code?: string } }[] }>(
      '/graphql',
      { query, variables },
      [200, 400],
    );
    if (body.errors?.length) {
      throw new CliError(body.errors.map((e) => (e.extensions?.code ? `${e.extensions.code}: ${e.message}` : e.message)).join('\n'));
    }
    if (body.data === undefined) throw new CliError(`${this.base}/graphql answered without data`);
    return body.data;
  }

  private async request(path: string, init: RequestInit, accept: readonly number[] = [200]): Promise<{ status: number; body: unknown }> {
    const url = `${this.base}${path}`;
    const headers = new Headers(init.headers);
    if (this.options.key) headers.set('authorization', `Bearer ${this.options.key}`);
    let res: Response;
    try {
      res = await this.fetchFn(url, { ...init, headers });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(
        `cannot reach ${url} (${cause?.code ?? cause?.message ?? (e as Error).message}): is the server running? ` +
          `Start it with \`npm start\`, or pass --url`,
      );
    }
    const text = await res.text();
    if (res.status === 401 || res.status === 403) {
      throw new CliError(
        `${url} refused the request (${res.status}): ${this.options.key ? 'the API key was not accepted' : 'it needs an API key; pass --key or set FUNNEL_API_KEY'}`,
      );
    }
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new CliError(`${url} answered ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`);
    }
    if (!accept.includes(res.status)) {
      const message = (body as { message?: unknown } | undefined)?.message;
      throw new CliError(`${url} answered ${res.status}${message ? `: ${String(message)}` : ''}`);
    }
    return { status: res.status, body };
  }
}
