import { loadConfig } from '@funnel/config';
import { testClient } from '@funnel/testing';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandalone, type StandaloneApp } from '../apps/standalone/src/standalone.app';

/**
 * Every example of the README, run in order against a fresh embedded server: the quick start's
 * curl commands, the demo load, every GraphQL query and every report URL, each compared with the
 * answer the README shows next to it (numbers to 4 decimals, `"..."` ending a shortened list).
 */
const repoRoot = join(__dirname, '..');
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

interface Block {
  readonly lang: string;
  readonly text: string;
}
const blocks: Block[] = [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], text: m[2] }));

interface Example {
  readonly title: string;
  run(url: string): Promise<unknown>;
  /** JSON (compared as data) or CSV text; undefined = it must merely succeed. */
  readonly expected?: { kind: 'json' | 'csv'; value: unknown };
}

/** One curl command of a bash block as an HTTP request. */
function curlRequest(command: string): ((url: string) => Promise<unknown>) | undefined {
  const target = /curl -s (?:-X (\w+) )?'?(?:http:\/\/)?localhost:3000(\/[^\s']*)'?/.exec(command);
  if (!target) return undefined;
  const [, method = 'GET', path] = target;
  const contentType = /-H 'content-type: ([^']+)'/.exec(command)?.[1];
  let body: string | undefined;
  const inline = /-d '([\s\S]*?)'/.exec(command);
  const file = /--data-binary @([\w./-]+)/.exec(command);
  if (inline) body = inline[1];
  else if (file && file[1] !== '-') body = readFileSync(join(repoRoot, file[1]), 'utf8');
  else if (file) body = [...command.matchAll(/^\s*'(\{.*\})'/gm)].map((m) => m[1]).join('\n'); // printf lines piped in
  return async (url) => {
    const res = await fetch(`${url}${path}`, {
      method: body !== undefined ? 'POST' : method,
      headers: contentType ? { 'content-type': contentType } : {},
      body,
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${path}: ${res.status} ${text}`);
    return res.headers.get('content-type')?.startsWith('text/csv') ? text : JSON.parse(text);
  };
}

function examples(): Example[] {
  const out: Example[] = [];
  blocks.forEach((b, i) => {
    const next = blocks[i + 1];
    const answer = next && (next.lang === 'json' || next.lang === 'csv') ? next : undefined;
    const expectedOf = (a: Block | undefined) =>
      a && { kind: a.lang as 'json' | 'csv', value: a.lang === 'json' ? JSON.parse(a.text) : a.text };
    if (b.lang === 'bash' && b.text.includes('localhost:3000')) {
      const run = curlRequest(b.text);
      if (!run) return;
      const comment = /^# (\{.*\})$/m.exec(b.text);
      out.push({
        title: `bash: ${b.text.split('\n').find((l) => l.includes('curl'))!.trim().slice(0, 90)}`,
        run,
        expected: comment ? { kind: 'json', value: JSON.parse(comment[1]) } : expectedOf(answer),
      });
    }
    if (b.lang === 'graphql' && b.text.trim().startsWith('{')) {
      out.push({
        title: `graphql: ${b.text.trim().slice(0, 90)}`,
        run: async (url) => {
          const { gql } = testClient(() => url);
          const body = await gql(b.text);
          if (body.errors) throw new Error(JSON.stringify(body.errors));
          const fields = Object.keys(body.data);
          // A README answer shows the field's value when the query asks for one field.
          return fields.length === 1 ? body.data[fields[0]] : body.data;
        },
        expected: expectedOf(answer),
      });
    }
  });
  return out;
}

/** Actual numbers rounded to 4 decimals, as the README prints them; `"..."` ends a shortened list. */
function shown(expected: unknown, actual: unknown): unknown {
  if (typeof actual === 'number') return Math.round(actual * 10_000) / 10_000;
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const shortened = expected[expected.length - 1] === '...';
    const kept = shortened ? actual.slice(0, expected.length - 1) : actual;
    return [...kept.map((a, i) => shown(expected[i], a)), ...(shortened ? ['...'] : [])];
  }
  if (expected && actual && typeof expected === 'object' && typeof actual === 'object') {
    return Object.fromEntries(Object.entries(actual).map(([k, v]) => [k, shown((expected as Record<string, unknown>)[k], v)]));
  }
  return actual;
}

describe('README examples', () => {
  let app: StandaloneApp;
  const dataDir = mkdtempSync(join(tmpdir(), 'funnel-readme-'));
  const all = examples();

  beforeAll(async () => {
    app = await startStandalone(loadConfig({ SLA_CHECK_SECONDS: '0', PORT: '0', DATA_DIR: dataDir }));
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds the quick start, the demo load, the report queries and the report URLs', () => {
    const titles = all.map((e) => e.title);
    expect(titles.filter((t) => t.startsWith('bash')).length).toBeGreaterThanOrEqual(5);
    for (const q of ['funnel', 'cohorts', 'velocity', 'attribution', 'slaCompliance', 'stalledOpportunities', 'reconciliation', 'pipelineVelocity', 'campaignPerformance', 'leads']) {
      expect(titles.some((t) => t.startsWith(`graphql: { ${q}(`))).toBe(true);
    }
    expect(titles.some((t) => t.includes('/v1/reports/funnel.csv'))).toBe(true);
    expect(all.filter((e) => e.expected).length).toBeGreaterThanOrEqual(14);
  });

  it('every example gives the answer the README shows, in README order', async () => {
    const { caughtUp } = testClient(() => app.url);
    for (const example of all) {
      const actual = await example.run(app.url);
      // Reports read the projections: let them catch up after each write.
      if (example.title.includes('/v1/events')) await caughtUp();
      if (!example.expected) continue;
      if (example.expected.kind === 'csv') {
        expect([example.title, String(actual).replace(/\r\n/g, '\n')]).toEqual([example.title, example.expected.value]);
      } else {
        expect([example.title, shown(example.expected.value, actual)]).toEqual([example.title, example.expected.value]);
      }
    }
  });
});
