import { createHash } from 'node:crypto';

/**
 * The id of the event a mapping's `role` makes from a row: the mapping name and role in clear
 * (so a reader sees where an event came from), then a hash of name, role and the row's key
 * values. The same row always gives the same id, so importing a file again adds nothing; a
 * corrected row with the same key is a duplicate too (send corrections with a new mapping name).
 */
export function importEventId(mappingName: string, role: string, keyValues: readonly string[]): string {
  const hash = createHash('sha256').update(JSON.stringify([mappingName, role, keyValues])).digest('hex');
  return `${mappingName}:${role}:${hash.slice(0, 32)}`;
}
