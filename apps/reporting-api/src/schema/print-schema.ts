import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { REPORTING_RESOLVERS, REPORTING_SCHEMA_OPTIONS } from '../reporting-api.module';

/** The SDL of the reporting API exactly as the server builds it (code-first, sorted). */
export async function printReportingSchema(): Promise<string> {
  const app = await NestFactory.create(GraphQLSchemaBuilderModule, { logger: false });
  try {
    await app.init();
    const schema = await app.get(GraphQLSchemaFactory).create(REPORTING_RESOLVERS, REPORTING_SCHEMA_OPTIONS);
    return `${printSchema(lexicographicSortSchema(schema))}\n`;
  } finally {
    await app.close();
  }
}
