import type { ProjectionName } from '@funnel/config';
import type { DeadLetter, DeadLetterReplay } from '../../projector/src/dead-letters/dead-letter.store';

/** The commands that open the stores themselves (they read the server's environment). */
export interface MaintenanceCommands {
  replay(projection: ProjectionName): Promise<void>;
  replayDeadLetters(projection: ProjectionName): Promise<DeadLetterReplay>;
  listDeadLetters(projection?: ProjectionName): Promise<DeadLetter[]>;
}

/** What the commands touch outside themselves, injected so parsing and output are unit-testable. */
export interface CliContext {
  /** Raw text to stdout / stderr (commander's help and errors go here too). */
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly fetch: typeof fetch;
  /** The clock for defaults such as `seed --as-of`. */
  readonly now: () => Date;
  readonly setExitCode: (code: number) => void;
  /** Loaded on first use: opening stores pulls in the whole backend, which `--help` should not wait for. */
  readonly maintenance: () => Promise<MaintenanceCommands>;
}

/** One line to stdout. */
export function println(ctx: CliContext, line = ''): void {
  ctx.stdout(`${line}\n`);
}
