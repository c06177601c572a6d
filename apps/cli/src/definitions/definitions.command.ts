import type { Command } from 'commander';
import { println, type CliContext } from '../cli-context';
import { CliError } from '../cli-error';
import { wholeNumber, withServerOptions } from '../options';
import { ServerClient, type ServerOptions } from '../server-client';
import { table } from '../table';
import { diffDocuments, flattenDocument } from './definition-diff';

interface PublishedSummary {
  readonly version: number;
  readonly name: string;
  readonly publishedAt: string;
  readonly signOffs: readonly { readonly team: string; readonly by: string }[];
}

/** Not part of what the two teams agreed on: who and when, not what. */
const METADATA = /^(version|publishedAt|signOffs)\b/;

export function definitionsCommand(program: Command, ctx: CliContext): void {
  const definitions = program
    .command('definitions')
    .description('the published funnel definitions, over GraphQL (in distributed mode, --url is the reporting API)');
  const client = (options: ServerOptions) => new ServerClient(options, ctx.fetch);

  withServerOptions(definitions.command('list').description('every published version, oldest first')).action(async (options: ServerOptions) => {
    const { funnelDefinitions } = await client(options).graphql<{ funnelDefinitions: PublishedSummary[] }>(
      '{ funnelDefinitions { version name publishedAt signOffs { team by } } }',
    );
    const rows = funnelDefinitions.map((d) => [d.version, d.name, d.publishedAt, d.signOffs.map((s) => `${s.team}: ${s.by}`).join(', ') || '-']);
    for (const line of table(['version', 'name', 'published at', 'signed off by'], rows)) println(ctx, line);
  });

  withServerOptions(definitions.command('show').description('every field of one published version'))
    .argument('<version>', 'a published version number', wholeNumber(1))
    .action(async (version: number, options: ServerOptions) => {
      const c = client(options);
      const fields = flattenDocument(await fetchDefinition(c, version, await selectionOf(c, 'FunnelDefinition')));
      for (const line of table(['field', 'value'], [...fields])) println(ctx, line);
    });

  withServerOptions(definitions.command('diff').description('the fields that differ between two published versions'))
    .argument('<a>', 'a published version number', wholeNumber(1))
    .argument('<b>', 'another published version number', wholeNumber(1))
    .action(async (a: number, b: number, options: ServerOptions) => {
      const c = client(options);
      const selection = await selectionOf(c, 'FunnelDefinition');
      const [docA, docB] = [await fetchDefinition(c, a, selection), await fetchDefinition(c, b, selection)];
      for (const d of [docA, docB]) {
        const signed = d.signOffs.map((s) => `${s.team} ${s.by}`).join(', ') || 'nobody (the default)';
        println(ctx, `version ${d.version} "${d.name}", published ${d.publishedAt}, signed off by ${signed}`);
      }
      println(ctx);
      const differences = diffDocuments(flattenDocument(docA), flattenDocument(docB), (f) => METADATA.test(f));
      if (differences.length === 0) {
        println(ctx, `versions ${a} and ${b} define the funnel identically`);
        return;
      }
      const rows = differences.map((d) => [d.field, d.a, d.b]);
      for (const line of table(['field', `version ${a}`, `version ${b}`], rows)) println(ctx, line);
    });
}

type Definition = PublishedSummary & Record<string, unknown>;

async function fetchDefinition(client: ServerClient, version: number, selection: string): Promise<Definition> {
  const { funnelDefinition } = await client.graphql<{ funnelDefinition: Definition }>(
    `query($version: Int) { funnelDefinition(version: $version) ${selection} }`,
    { version },
  );
  return funnelDefinition;
}

interface TypeRef {
  readonly kind: string;
  readonly name: string | null;
  readonly ofType: TypeRef | null;
}

const TYPE_FIELDS = `query($name: String!) { __type(name: $name) { fields { name args { name } type { kind name
  ofType { kind name ofType { kind name ofType { kind name } } } } } } }`;

/**
 * Every field of a GraphQL object type, nested objects included, read from the schema: `show` and
 * `diff` then cover fields a newer server adds to the definition without a CLI release.
 */
async function selectionOf(client: ServerClient, typeName: string, depth = 0): Promise<string> {
  const { __type } = await client.graphql<{ __type: { fields: { name: string; args: unknown[]; type: TypeRef }[] } | null }>(TYPE_FIELDS, { name: typeName });
  if (!__type) throw new CliError(`the server's GraphQL schema has no ${typeName} type`);
  const parts: string[] = [];
  for (const field of __type.fields) {
    if (field.args.length > 0) continue;
    let type = field.type;
    while (type.ofType) type = type.ofType;
    if (type.kind === 'SCALAR' || type.kind === 'ENUM') parts.push(field.name);
    else if (type.kind === 'OBJECT' && type.name && depth < 2) parts.push(`${field.name} ${await selectionOf(client, type.name, depth + 1)}`);
  }
  return `{ ${parts.join(' ')} }`;
}
