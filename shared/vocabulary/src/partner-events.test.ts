import { EVENT_TOPIC } from './events';
import { isPartnerEventType, PARTNER_EVENT_TYPES } from './partner-events';
import { TOPICS } from './topics';

describe('the event types partners may receive', () => {
  it("are the brand's campaign, contract, payment and conversion events, minus the internal and private ones", () => {
    for (const type of PARTNER_EVENT_TYPES)
      expect([TOPICS.campaign, TOPICS.contract, TOPICS.payment, TOPICS.conversion]).toContain(EVENT_TOPIC[type]);
    expect(PARTNER_EVENT_TYPES).toEqual(
      expect.arrayContaining(['campaign.launched', 'contract.executed', 'payout.succeeded', 'order.attributed']),
    );
    for (const type of ['click.recorded', 'ratecard.updated', 'message.posted', 'milestone.due', 'creator.created', 'post.measured']) {
      expect(isPartnerEventType(type)).toBe(false);
    }
    expect(isPartnerEventType('campaign.created')).toBe(true);
    expect(isPartnerEventType(42)).toBe(false);
    expect(new Set(PARTNER_EVENT_TYPES).size).toBe(PARTNER_EVENT_TYPES.length);
  });
});
