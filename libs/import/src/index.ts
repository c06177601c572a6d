export * from './mapping.schema';
export { compileMapping, checkHeader, formatPath, MappingError, RowError, type CompiledMapping, type ImportedEvent, type Row, type ColumnUse } from './compile-mapping';
export { importEventId } from './event-id';
export { CsvInputError } from './csv-records';
export * from './import-csv';
export { parseBoolean, parseDate, parseNumber, ValueError } from './values';
