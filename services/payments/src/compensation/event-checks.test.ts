import { checkedParties, RejectedEvent } from './event-checks';

describe('the names of partnership events (parties)', () => {
  const parties = {
    brandName: ' Northwind Outdoor ',
    creatorName: 'Tess Walker',
    creatorHandle: null,
    campaignName: 'Spring run',
    campaignStartsOn: '2027-03-01',
    campaignEndsOn: '2027-03-31T00:00:00.000Z',
  };

  it('keeps them trimmed, a blank name as none, and absent parties (older producers) as null', () => {
    expect(checkedParties(parties)).toEqual({ ...parties, brandName: 'Northwind Outdoor', campaignEndsOn: '2027-03-31' });
    expect(checkedParties({ ...parties, campaignName: '   ' })?.campaignName).toBeNull();
    expect(checkedParties(undefined)).toBeNull();
    expect(checkedParties(null)).toBeNull();
  });

  it('refuses NUL bytes, oversized or non-text names and dates that are not ISO dates', () => {
    for (const bad of [
      { brandName: 'Evil\u0000Corp' },
      { creatorName: 'x'.repeat(1001) },
      { campaignName: 42 },
      { creatorHandle: undefined },
      { campaignStartsOn: 'March' },
      { campaignEndsOn: '2027-02-30' },
    ]) {
      expect(() => checkedParties({ ...parties, ...bad })).toThrow(RejectedEvent);
    }
    expect(() => checkedParties('names')).toThrow(RejectedEvent);
  });
});
