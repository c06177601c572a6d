import { GraphQLError } from 'graphql';

const CATCH_UP_TIMEOUT_MS = 15_000;
const POLL_MS = 20;

/**
 * Waits until `done` (a read of the PostgreSQL projection) holds, so a mutation answers with its
 * own write; PROJECTION_UNAVAILABLE if the projection does not get there in time (the event is in
 * the log all the same and shows once the projector runs).
 */
export async function untilProjected(done: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
  while (!(await done())) {
    if (Date.now() > deadline) {
      throw new GraphQLError(`timed out waiting for ${what}; is the postgres projection running?`, {
        extensions: { code: 'PROJECTION_UNAVAILABLE' },
      });
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
