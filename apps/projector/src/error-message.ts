/** The text of anything thrown, for logs and dead letters. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
