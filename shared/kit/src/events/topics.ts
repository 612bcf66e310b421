/**
 * The Kafka topics of ARCHITECTURE.md. Each has a `.dlq` twin for events that failed every retry.
 * Names here are logical: at run time they get the configured prefix (tests use one per run).
 */
export const TOPICS = {
  creator: 'creator.events',
  campaign: 'campaign.events',
  contract: 'contract.events',
  payment: 'payment.events',
  conversion: 'conversion.events',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

export const ALL_TOPICS: readonly TopicName[] = Object.values(TOPICS);

export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}

/** Every topic the platform needs, with its dead-letter twin. */
export function topicsWithDeadLetters(): string[] {
  return ALL_TOPICS.flatMap((t) => [t, deadLetterTopic(t)]);
}

export function physicalTopic(prefix: string, topic: string): string {
  return `${prefix}${topic}`;
}
