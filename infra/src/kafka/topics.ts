/**
 * The platform's topics (each with its `.dlq` twin) come from the kit, so the broker tooling and the
 * services can never disagree about names: creator.events, campaign.events, contract.events,
 * payment.events, conversion.events and their `<name>.dlq`.
 */
export { topicsWithDeadLetters } from '@influenceflow/kit';
