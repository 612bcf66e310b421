import { checkedDeliverables, checkedParties, RejectedEvent } from './event-checks';

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
      // The kit's ISO date: no year 0 (PostgreSQL's date has none), nothing after the day but its UTC midnight.
      { campaignStartsOn: '0000-01-01' },
      { campaignStartsOn: '2027-03-01junk' },
      { campaignEndsOn: '2027-03-31T13:00:00.000Z' },
      { campaignEndsOn: '2027-13-01' },
      { campaignEndsOn: 20270331 },
    ]) {
      expect(() => checkedParties({ ...parties, ...bad })).toThrow(RejectedEvent);
    }
    expect(() => checkedParties('names')).toThrow(RejectedEvent);
  });
});

describe('the deliverable terms of events', () => {
  const term = { platform: 'instagram', format: 'reel', count: 1, dueOn: '2027-04-01' };

  it('takes a due date that is an ISO date, and refuses year 0, impossible days and anything after the day', () => {
    expect(checkedDeliverables([term], 'deliverables')).toEqual([term]);
    for (const dueOn of ['0000-04-01', '2027-02-30', '2027-04-01T00:00:00.000Z', '2027-04-01 ', 'soon']) {
      expect(() => checkedDeliverables([{ ...term, dueOn }], 'deliverables')).toThrow(RejectedEvent);
    }
  });
});
