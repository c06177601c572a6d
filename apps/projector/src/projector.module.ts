import { Module, type DynamicModule } from '@nestjs/common';
import { RuntimeModule, type Runtime } from '@funnel/runtime';

/**
 * The projector's composition root. Its work is the projection runners, which live outside Nest;
 * over HTTP it answers only /health and /metrics (dead letters, process figures).
 */
@Module({})
export class ProjectorModule {
  static register(runtime: Runtime): DynamicModule {
    return { module: ProjectorModule, imports: [RuntimeModule.register(runtime)] };
  }
}
