import { EVENT_TOPIC } from './events';
import { LIVE_EVENT_TYPES, liveEnumOf, liveRouteOf, liveTypeOfEnum } from './live-events';

const CAMPAIGN = '0193a1b2-0000-7000-8000-00000000c001';
const PARTNERSHIP = '0193a1b2-0000-7000-8000-00000000p001'.replace('p', 'a');

describe('live events', () => {
  it('are catalogue types, each with an enum name that maps back', () => {
    for (const type of LIVE_EVENT_TYPES) {
      expect(EVENT_TOPIC[type]).toBeDefined();
      expect(liveEnumOf(type)).toMatch(/^[A-Z_]+$/);
      expect(liveTypeOfEnum(liveEnumOf(type))).toBe(type);
    }
    expect(liveEnumOf('deliverable.changes-requested')).toBe('DELIVERABLE_CHANGES_REQUESTED');
    expect(liveTypeOfEnum('CAMPAIGN_CREATED')).toBeNull();
  });

  it('route an event to the campaign and partnership its data names', () => {
    expect(liveRouteOf({ type: 'order.attributed', data: { campaignId: CAMPAIGN.toUpperCase(), partnershipId: PARTNERSHIP } })).toEqual({
      campaignId: CAMPAIGN,
      partnershipId: PARTNERSHIP,
    });
    expect(liveRouteOf({ type: 'message.posted', data: { campaignId: CAMPAIGN } })).toEqual({ campaignId: CAMPAIGN, partnershipId: null });
  });

  it('have no route when not live, without a campaign id, or malformed', () => {
    expect(liveRouteOf({ type: 'campaign.launched', data: { campaignId: CAMPAIGN } })).toBeNull();
    // contract.executed of producers before the contracts feature carries no campaignId
    expect(liveRouteOf({ type: 'contract.executed', data: { partnershipId: PARTNERSHIP } })).toBeNull();
    expect(liveRouteOf({ type: 'click.recorded', data: { campaignId: 'not-a-uuid' } })).toBeNull();
    expect(liveRouteOf({ type: 'click.recorded', data: null })).toBeNull();
    expect(liveRouteOf({ type: 'click.recorded', data: 'x' })).toBeNull();
  });
});
