import { hashSecret, loadConfig, type ProjectionName } from '@funnel/config';
import { CommanderError } from 'commander';
import type { DeadLetter, DeadLetterReplay } from '../../projector/src/dead-letters/dead-letter.store';
import type { CliContext, MaintenanceCommands } from './cli-context';
import { CliError } from './cli-error';
import { COMMANDS, createProgram } from './funnel.program';

interface Recorded {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body?: any;
}

/** The program over a fake server and fake maintenance commands; `run` never exits the process. */
function harness(answer: (req: Recorded) => { status?: number; body: unknown } = () => ({ body: {} })) {
  const requests: Recorded[] = [];
  const maintenance = {
    replay: jest.fn<Promise<void>, [ProjectionName]>(async () => undefined),
    replayDeadLetters: jest.fn<Promise<DeadLetterReplay>, [ProjectionName]>(async () => ({ replayed: 2, failed: 0 })),
    listDeadLetters: jest.fn<Promise<DeadLetter[]>, [ProjectionName?]>(async () => []),
  } satisfies MaintenanceCommands;
  const fakeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const req: Recorded = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    requests.push(req);
    const { status = 200, body } = answer(req);
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;

  async function run(...args: string[]) {
    let out = '';
    let err = '';
    let code = 0;
    const ctx: CliContext = {
      stdout: (t) => void (out += t),
      stderr: (t) => void (err += t),
      fetch: fakeFetch,
      now: () => new Date('2026-11-15T12:00:00Z'),
      setExitCode: (c) => void (code = c),
      maintenance: async () => maintenance,
    };
    try {
      await createProgram(ctx).parseAsync(args, { from: 'user' });
    } catch (e) {
      if (e instanceof CommanderError) code = e.exitCode;
      else if (e instanceof CliError) {
        err += `error: ${e.message}\n`;
        code = 1;
      } else throw e;
    }
    return { code, out, err };
  }
  return { run, requests, maintenance };
}

describe('funnel: argument parsing', () => {
  const subcommands = [
    'status',
    'seed',
    'definitions',
    'definitions list',
    'definitions show',
    'definitions diff',
    'replay',
    'dead-letters',
    'dead-letters list',
    'dead-letters replay',
    'keys',
    'keys new',
    'keys hash',
  ];

  it.each(subcommands)('%s --help exits 0 with its usage', async (command) => {
    const { code, out } = await harness().run(...command.split(' '), '--help');
    expect(code).toBe(0);
    expect(out).toContain(`Usage: funnel ${command}`);
  });

  it('takes a new subcommand from one more entry in the command list, with the shared settings', async () => {
    let received: string[] = [];
    const withExample = [...COMMANDS, (program: import('commander').Command) => {
      program.command('example').argument('<files...>').action((files: string[]) => void (received = files));
    }];
    let err = '';
    const ctx = { stdout: () => undefined, stderr: (t: string) => void (err += t) } as unknown as CliContext;
    await createProgram(ctx, withExample).parseAsync(['example', 'a.csv', 'b.csv'], { from: 'user' });
    expect(received).toEqual(['a.csv', 'b.csv']);
    await expect(createProgram(ctx, withExample).parseAsync(['example', '--nope', 'a.csv'], { from: 'user' })).rejects.toThrow(CommanderError);
    expect(err).toContain("unknown option '--nope'");
  });

  it('lists every subcommand in the top-level help', async () => {
    const { out, code } = await harness().run('--help');
    expect(code).toBe(0);
    for (const name of ['status', 'seed', 'definitions', 'replay', 'dead-letters', 'import', 'keys']) expect(out).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
  });

  it('refuses an unknown flag, a missing required option and a bad value, naming them, with exit code 1', async () => {
    const { run, maintenance } = harness();
    expect(await run('status', '--bogus')).toMatchObject({ code: 1, err: expect.stringContaining("unknown option '--bogus'") });
    expect(await run('replay')).toMatchObject({ code: 1, err: expect.stringContaining("required option '--projection <name>' not specified") });
    expect(await run('replay', '--projection', 'mysql')).toMatchObject({
      code: 1,
      err: expect.stringContaining("argument 'mysql' is invalid. Allowed choices are postgres, clickhouse"),
    });
    expect(await run('seed', '--leads', '10')).toMatchObject({ code: 1, err: expect.stringContaining("required option '--demo' not specified") });
    expect(await run('seed', '--demo', '--leads', 'ten')).toMatchObject({ code: 1, err: expect.stringContaining('must be a whole number from 1') });
    expect(await run('seed', '--demo', '--as-of', '2026-11-15')).toMatchObject({ code: 1, err: expect.stringContaining('ISO-8601 instant with Z or an offset') });
    expect(await run('status', '--url', 'localhost:3000')).toMatchObject({ code: 1, err: expect.stringContaining('must be an http(s) URL') });
    expect(await run('definitions', 'show', 'one')).toMatchObject({
      code: 1,
      err: expect.stringContaining("value 'one' is invalid for argument 'version'. must be a whole number of at least 1"),
    });
    expect(await run('definitions', 'diff', '1')).toMatchObject({ code: 1, err: expect.stringContaining("missing required argument 'b'") });
    expect(await run('stauts')).toMatchObject({ code: 1, err: expect.stringContaining("unknown command 'stauts'") });
    expect(maintenance.replay).not.toHaveBeenCalled();
  });

  it('runs replay and dead-letter commands on the projection named, exit code 1 when letters fail again', async () => {
    const { run, maintenance } = harness();
    expect(await run('replay', '--projection', 'clickhouse')).toMatchObject({ code: 0 });
    expect(maintenance.replay).toHaveBeenCalledWith('clickhouse');

    maintenance.replayDeadLetters.mockResolvedValueOnce({ replayed: 1, failed: 2 });
    expect((await run('dead-letters', 'replay', '--projection=postgres')).code).toBe(1);
    expect(maintenance.replayDeadLetters).toHaveBeenCalledWith('postgres');

    expect((await run('dead-letters', 'list')).out).toBe('no pending dead letters\n');
    expect(maintenance.listDeadLetters).toHaveBeenLastCalledWith(undefined);
    maintenance.listDeadLetters.mockResolvedValueOnce([
      {
        projection: 'clickhouse',
        position: '3:17',
        error: 'table lead_captures is missing',
        failedAt: '2026-11-15T10:00:00.000Z',
        event: { id: 'e-1', type: 'LeadCaptured', occurredAt: '2026-11-01T00:00:00.000Z', schemaVersion: 1, data: { leadId: 'L-1' } },
      },
    ]);
    const { out } = await run('dead-letters', 'list', '--projection', 'clickhouse');
    expect(maintenance.listDeadLetters).toHaveBeenLastCalledWith('clickhouse');
    expect(out.split('\n').slice(0, 2)).toEqual([
      'projection  position  event id  type          failed at                 error',
      'clickhouse  3:17      e-1       LeadCaptured  2026-11-15T10:00:00.000Z  table lead_captures is missing',
    ]);
  });
});

describe('funnel status', () => {
  it('prints GET /v1/status as a table, with any extra figure such as dead letters, sending --key', async () => {
    const { run, requests } = harness(() => ({
      body: {
        accepted: 12345,
        projections: [
          { name: 'postgres', processed: 12345, lag: 0, deadLetters: 0 },
          { name: 'clickhouse', processed: 12000, lag: 345, deadLetters: 2 },
        ],
      },
    }));
    const { code, out } = await run('status', '--url', 'http://10.0.0.5:3000/', '--key', 's3cret');
    expect(code).toBe(0);
    expect(requests[0].url).toBe('http://10.0.0.5:3000/v1/status');
    expect(requests[0].headers.get('authorization')).toBe('Bearer s3cret');
    expect(out).toBe(
      [
        'accepted: 12,345 events',
        '',
        'projection  processed  lag  dead letters',
        'postgres       12,345    0             0',
        'clickhouse     12,000  345             2',
        '',
        'still projecting: clickhouse',
        '',
      ].join('\n'),
    );
  });

  it('says what to do when the server wants a key', async () => {
    const { run } = harness(() => ({ status: 401, body: { error: 'UNAUTHORIZED' } }));
    expect(await run('status')).toMatchObject({ code: 1, err: expect.stringContaining('it needs an API key; pass --key or set FUNNEL_API_KEY') });
  });
});

describe('funnel seed', () => {
  it('posts the demo business in batches and reports what the server accepted', async () => {
    const { run, requests } = harness((req) => ({ status: 202, body: { accepted: req.body.events.length, duplicates: 0, rejected: [] } }));
    const { code, out } = await run('seed', '--demo', '--leads', '40', '--seed', '3', '--batch', '100');
    expect(code).toBe(0);
    expect(requests.every((r) => r.method === 'POST' && r.url === 'http://127.0.0.1:3000/v1/events')).toBe(true);
    const posted = requests.flatMap((r) => r.body.events);
    expect(requests.slice(0, -1).every((r) => r.body.events.length === 100)).toBe(true);
    expect(new Set(posted.map((e: { id: string }) => e.id)).size).toBe(posted.length);
    expect(posted.filter((e: { type: string }) => e.type === 'LeadCaptured')).toHaveLength(40);
    // The injected clock is the default asOf.
    expect(out).toContain('as of 2026-11-15T12:00:00.000Z');
    expect(out).toContain(`posted ${posted.length} events in ${requests.length} request(s): ${posted.length} accepted, 0 duplicates, 0 rejected`);
  });

  it('fails naming the rejected events', async () => {
    const { run } = harness((req) => ({
      status: 202,
      body: { accepted: req.body.events.length - 1, duplicates: 0, rejected: [{ index: 0, id: req.body.events[0].id, errors: [{ path: 'data.channel', message: 'is unknown' }] }] },
    }));
    const { code, err } = await run('seed', '--demo', '--leads', '5', '--as-of', '2026-06-01T00:00:00Z');
    expect(code).toBe(1);
    expect(err).toMatch(/the server rejected 1 event\(s\):\n {2}demo-\S+: data\.channel is unknown/);
  });
});

describe('funnel definitions', () => {
  const V1 = {
    version: 1, name: 'Default', publishedAt: '1970-01-01T00:00:00.000Z', signOffs: [],
    mqlMinScore: 60, speedToLeadMinutes: 1440, stallDays: [], dispositions: ['no_fit', 'no_timing'],
  };
  const V2 = {
    ...V1, version: 2, name: 'Stricter MQL', publishedAt: '2026-10-01T09:00:00.000Z',
    signOffs: [{ team: 'MARKETING', by: 'maria', at: '2026-09-30T10:00:00.000Z' }, { team: 'SALES', by: 'sam', at: '2026-09-30T11:00:00.000Z' }],
    mqlMinScore: 70, stallDays: [{ stage: 'proposal', days: 10 }],
  };
  const scalar = (name: string) => ({ name, args: [], type: { kind: 'NON_NULL', name: null, ofType: { kind: 'SCALAR', name: 'X', ofType: null } } });
  const object = (name: string, type: string) => ({ name, args: [], type: { kind: 'LIST', name: null, ofType: { kind: 'OBJECT', name: type, ofType: null } } });
  const TYPES: Record<string, unknown[]> = {
    FunnelDefinition: [scalar('version'), scalar('name'), scalar('publishedAt'), object('signOffs', 'SignOffModel'), scalar('mqlMinScore'),
      scalar('speedToLeadMinutes'), object('stallDays', 'StallDays'), scalar('dispositions')],
    SignOffModel: [scalar('team'), scalar('by'), scalar('at')],
    StallDays: [scalar('stage'), scalar('days')],
  };
  const server = () =>
    harness((req) => {
      const { query, variables } = req.body;
      if (query.includes('__type')) return { body: { data: { __type: { fields: TYPES[variables.name] } } } };
      if (query.includes('funnelDefinitions')) return { body: { data: { funnelDefinitions: [V1, V2] } } };
      const found = [V1, V2].find((d) => d.version === variables.version);
      return found
        ? { body: { data: { funnelDefinition: found } } }
        : { body: { errors: [{ message: `no published version ${variables.version}`, extensions: { code: 'DEFINITION_NOT_FOUND' } }] } };
    });

  it('lists the published versions', async () => {
    const { out } = await server().run('definitions', 'list');
    expect(out.split('\n')).toEqual([
      'version  name          published at              signed off by',
      '      1  Default       1970-01-01T00:00:00.000Z  -',
      '      2  Stricter MQL  2026-10-01T09:00:00.000Z  MARKETING: maria, SALES: sam',
      '',
    ]);
  });

  it('shows every field of a version, selected from the schema', async () => {
    const { run, requests } = server();
    const { out } = await run('definitions', 'show', '2');
    expect(requests.at(-1)?.body.query).toContain('funnelDefinition(version: $version) { version name publishedAt signOffs { team by at } mqlMinScore');
    expect(out).toContain('\nstallDays[proposal].days  10\n');
    expect(out).toContain('\nsignOffs[SALES].by        sam\n');
  });

  it('diffs two versions field by field, leaving out who signed and when', async () => {
    const { out, code } = await server().run('definitions', 'diff', '1', '2');
    expect(code).toBe(0);
    expect(out.split('\n')).toEqual([
      'version 1 "Default", published 1970-01-01T00:00:00.000Z, signed off by nobody (the default)',
      'version 2 "Stricter MQL", published 2026-10-01T09:00:00.000Z, signed off by MARKETING maria, SALES sam',
      '',
      'field                     version 1  version 2',
      'name                      Default    Stricter MQL',
      'mqlMinScore               60         70',
      'stallDays[proposal].days  (none)     10',
      '',
    ]);
  });

  it('passes on the server error code for a version that does not exist', async () => {
    expect(await server().run('definitions', 'show', '9')).toMatchObject({ code: 1, err: 'error: DEFINITION_NOT_FOUND: no published version 9\n' });
  });
});

describe('funnel keys', () => {
  it('makes a new key: a random secret once, and an API_KEYS entry holding only its hash', async () => {
    const { code, out } = await harness().run('keys', 'new', 'crm', 'ingest');
    expect(code).toBe(0);
    const secret = /secret .*: (\S+)/.exec(out)?.[1] as string;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const entry = /API_KEYS entry: (\S+)/.exec(out)?.[1] as string;
    expect(entry).toBe(`crm:ingest:${hashSecret(secret)}`);
    expect(loadConfig({ API_KEYS: entry }).apiKeys).toEqual(loadConfig({ API_KEYS: `crm:ingest:${secret}` }).apiKeys);
  });

  it('refuses an unknown role, and hashes an existing secret', async () => {
    expect(await harness().run('keys', 'new', 'crm', 'writer')).toMatchObject({ code: 1, err: expect.stringContaining('unknown role "writer"') });
    const { out } = await harness().run('keys', 'hash', 'a-long-enough-secret');
    expect(out.trim()).toBe(hashSecret('a-long-enough-secret'));
  });
});
