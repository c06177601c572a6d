import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'How far one read model has caught up with the log' })
export class ProjectionStatus {
  @Field() name!: string;
  @Field(() => Int, { description: 'Events applied to this read model' }) processed!: number;
  @Field(() => Int, { description: 'Events accepted but not yet visible in this read model' }) lag!: number;
  @Field(() => Int, { description: 'Events this read model could not apply, parked as dead letters and not replayed yet' })
  deadLetters!: number;
}

@ObjectType({ description: 'Events accepted into the log and the progress of each projection' })
export class IngestionStatus {
  @Field(() => Int) accepted!: number;
  @Field(() => Int, { description: 'Events retracted (POST /v1/events/{id}/retract), as the PostgreSQL read model has them; the log keeps them' }) retracted!: number;
  @Field(() => [ProjectionStatus]) projections!: ProjectionStatus[];
}
