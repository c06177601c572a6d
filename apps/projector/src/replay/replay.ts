import type { EventLog } from '@funnel/event-log';
import type { ProjectionRunner } from '../projection-runner';

export interface ReplayProgress {
  readonly processed: number;
  readonly total: number;
}

/**
 * Drops a read model (and its dead letters, which the replay meets again) and rebuilds it from
 * the whole log through the ordinary consumer path,
 * so a replay exercises exactly the code that live projection uses. Resolves when the consumer
 * has caught up with the events accepted when the replay began, and the projection has settled.
 */
export async function replayProjection(
  log: EventLog,
  runner: ProjectionRunner,
  onProgress: (p: ReplayProgress) => void,
  pollMs = 200,
): Promise<ReplayProgress> {
  const { projection } = runner;
  await projection.reset();
  await runner.deadLetters.discard(projection.name);
  await log.resetConsumer(projection.name);
  const total = await log.acceptedCount();
  await runner.start();
  try {
    for (;;) {
      const { processed } = await log.progress(projection.name);
      onProgress({ processed: Math.min(processed, total), total });
      if (processed >= total) {
        await projection.settle?.();
        return { processed, total };
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  } finally {
    await runner.stop();
  }
}
