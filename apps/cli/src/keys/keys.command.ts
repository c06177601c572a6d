import { hashSecret, ROLES, type Role } from '@funnel/config';
import type { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { println, type CliContext } from '../cli-context';
import { CliError } from '../cli-error';

/**
 * `funnel keys new <name> <roles>` and `funnel keys hash <secret>`: API_KEYS entries whose secret
 * is stored as `sha256:<hex>`, so the server's environment holds no plaintext (DESIGN §8).
 */
export function keysCommand(program: Command, ctx: CliContext): void {
  const keys = program.command('keys').description('make API_KEYS entries with hashed secrets');
  keys
    .command('new')
    .description('a random secret for a new key, and its API_KEYS entry holding only the hash')
    .argument('<name>', 'who the key is for (recorded as the writer of its events)')
    .argument('<roles>', `roles joined by +: ${ROLES.join(', ')}`)
    .action((name: string, roles: string) => {
      const unknown = roles.split('+').filter((r) => !ROLES.includes(r as Role));
      if (unknown.length > 0) throw new CliError(`unknown role "${unknown.join('+')}"; use ${ROLES.join(', ')} joined by +`);
      const secret = randomBytes(32).toString('base64url');
      println(ctx, `secret (give it to ${name}; it is not stored anywhere): ${secret}`);
      println(ctx, `API_KEYS entry: ${name}:${roles}:${hashSecret(secret)}`);
    });
  keys
    .command('hash')
    .description('the sha256:<hex> form of an existing secret, for API_KEYS')
    .argument('<secret>')
    .action((secret: string) => println(ctx, hashSecret(secret)));
}
