/**
 * Topic names as the kit handles them: logical names (the platform's list is the vocabulary's) with the
 * configured prefix at run time, and a `.dlq` twin for each.
 */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}

/** Each topic and its dead-letter twin. */
export function withDeadLetters(topics: readonly string[]): string[] {
  return topics.flatMap((t) => [t, deadLetterTopic(t)]);
}

export function physicalTopic(prefix: string, topic: string): string {
  return `${prefix}${topic}`;
}
