/** The log topic every validated event is appended to, keyed by subject id. */
export const DEFAULT_EVENTS_TOPIC = 'funnel.events';

/** Where a projector parks an event it cannot apply, with the error, so it can keep going. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}
