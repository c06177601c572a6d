/** A failure the user can act on: the CLI prints its message alone (no stack) and exits 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
}
