import { EVENT_TOPIC, EventType } from './events';
import { TOPICS } from './topics';

/**
 * Event types left out of what partners may subscribe to, each for a reason: they carry nothing a brand's
 * outside platform should get.
 */
const NOT_FOR_PARTNERS: Partial<Record<EventType, string>> = {
  // One per visitor of a tracking link: high volume, visitor data; partners get order.attributed instead.
  'click.recorded': 'per-visitor clicks, the input of attribution',
  // A creator's own rate card (no brand owns it, no brandid).
  'ratecard.updated': "a creator's price list, not a brand's",
  // The text of a private conversation between a brand and a creator.
  'message.posted': 'private messages between a brand and a creator',
  // A step inside payments (a milestone's trigger arrived; its payout follows as payout.*).
  'milestone.due': "an internal step of payments' payout schedule",
};

const PARTNER_TOPICS: readonly string[] = [TOPICS.campaign, TOPICS.contract, TOPICS.payment, TOPICS.conversion];

/**
 * The event types partners may receive (webhooks) and listen to live: the campaign, contract, payment
 * and conversion events a brand owns (their envelopes carry `brandid`), minus NOT_FOR_PARTNERS.
 */
export const PARTNER_EVENT_TYPES: readonly EventType[] = (Object.keys(EVENT_TOPIC) as EventType[]).filter(
  (type) => PARTNER_TOPICS.includes(EVENT_TOPIC[type]) && !(type in NOT_FOR_PARTNERS),
);

export function isPartnerEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (PARTNER_EVENT_TYPES as readonly string[]).includes(value);
}
