/**
 * The platform's Kafka topics, keyed by the aggregate id so each aggregate's events stay in order. Each
 * has a `.dlq` twin for events that failed every retry. Names here are logical: at run time they get the
 * configured prefix (tests use one per test file).
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
