import type { AppConfig, ProjectionName } from '@funnel/config';
import { announcer, openRuntime } from '@funnel/runtime';
import { createProjection } from '../projectors';
import type { DeadLetter, DeadLetterReplay } from './dead-letter.store';
import { openDeadLetterStore } from './open-dead-letter-store';

/**
 * The dead-letter replay command (`npm run dead-letters:replay`, `funnel dead-letters replay`):
 * applies the pending letters of one projection through the projection again and prints what
 * happened. Callers exit 1 when some failed again.
 */
export async function runDeadLetterReplay(
  config: AppConfig,
  name: ProjectionName,
  print: (line: string) => void = (line) => announcer().info(line),
): Promise<DeadLetterReplay> {
  const runtime = await openRuntime(config, { app: 'dead-letter-replay', clickhouse: name === 'clickhouse' });
  const deadLetters = openDeadLetterStore(runtime);
  try {
    const projection = createProjection(name, runtime);
    const done = await deadLetters.replay(name, (record) => projection.apply([record]));
    print(`${name}: replayed ${done.replayed} dead letter(s); ${done.failed} failed again and stay dead letters`);
    return done;
  } finally {
    await deadLetters.close();
    await runtime.close();
  }
}

/** The pending dead letters of one projection, or of all, from the store beside the log. */
export async function listDeadLetters(config: AppConfig, projection?: ProjectionName): Promise<DeadLetter[]> {
  const runtime = await openRuntime(config, { app: 'dead-letter-list', clickhouse: false });
  const deadLetters = openDeadLetterStore(runtime);
  try {
    return await deadLetters.list(projection);
  } finally {
    await deadLetters.close();
    await runtime.close();
  }
}
