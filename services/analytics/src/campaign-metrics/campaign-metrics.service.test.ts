import { CloudEvent, createEvent } from '@influenceflow/kit';
import { CampaignEventData } from '@influenceflow/vocabulary';
import { applyCampaignEvent } from './campaign-metrics.service';

function event(status: string, previousStatus: string | null, time: string): CloudEvent<CampaignEventData> {
  return createEvent(
    'campaign',
    {
      type: 'campaign.x',
      subject: 'c1',
      brandid: 'b1',
      data: {
        campaignId: 'c1',
        brandId: 'b1',
        name: 'N',
        status,
        previousStatus,
        goalType: 'traffic',
        goalTarget: 500,
        budgetMinor: 100,
        currency: 'USD',
        startsOn: '2026-01-01',
        endsOn: '2026-02-01',
      },
    },
    new Date(time),
  );
}

describe('applying campaign events to analytics copy', () => {
  it('creates the copy from campaign.created without counting a status change', () => {
    const fact = applyCampaignEvent(null, event('draft', null, '2026-01-01T00:00:00Z'))!;
    expect(fact).toMatchObject({ campaignId: 'c1', brandId: 'b1', status: 'draft', statusChanges: 0, launchedAt: null });
  });

  it('counts status changes and remembers the first launch only', () => {
    let fact = applyCampaignEvent(null, event('draft', null, '2026-01-01T00:00:00Z'))!;
    fact = applyCampaignEvent(fact, event('active', 'draft', '2026-01-02T00:00:00Z'))!;
    fact = applyCampaignEvent(fact, event('paused', 'active', '2026-01-03T00:00:00Z'))!;
    fact = applyCampaignEvent(fact, event('active', 'paused', '2026-01-04T00:00:00Z'))!;
    expect(fact.statusChanges).toBe(3);
    expect(fact.status).toBe('active');
    expect(fact.launchedAt).toEqual(new Date('2026-01-02T00:00:00Z'));
  });

  it('ignores an event older than what it already applied', () => {
    const fact = applyCampaignEvent(null, event('paused', 'active', '2026-01-03T00:00:00Z'))!;
    expect(applyCampaignEvent(fact, event('active', 'draft', '2026-01-02T00:00:00Z'))).toBeNull();
  });

  it('stores no status outside the CampaignStatus enum (it could not be reported)', () => {
    const fact = applyCampaignEvent(null, event('draft', null, '2026-01-01T00:00:00Z'))!;
    expect(applyCampaignEvent(fact, event('archived', 'draft', '2026-01-02T00:00:00Z'))).toBeNull();
    expect(applyCampaignEvent(null, event('DRAFT', null, '2026-01-02T00:00:00Z'))).toBeNull();
  });
});
