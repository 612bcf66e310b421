import { AppError } from '@influenceflow/kit';
import { assertCampaignTransition, CAMPAIGN_TRANSITIONS, campaignEventType, CampaignStatus as S } from './campaign-status';

const all = Object.values(S);
const allowed: [S, S][] = [
  [S.DRAFT, S.ACTIVE],
  [S.DRAFT, S.CANCELLED],
  [S.ACTIVE, S.PAUSED],
  [S.ACTIVE, S.COMPLETED],
  [S.ACTIVE, S.CANCELLED],
  [S.PAUSED, S.ACTIVE],
  [S.PAUSED, S.COMPLETED],
  [S.PAUSED, S.CANCELLED],
];
const isAllowed = (from: S, to: S) => allowed.some(([f, t]) => f === from && t === to);

describe('campaign status machine', () => {
  it.each(allowed)('allows %s → %s', (from, to) => {
    expect(() => assertCampaignTransition(from, to)).not.toThrow();
  });

  const refused = all.flatMap((from) => all.filter((to) => !isAllowed(from, to)).map((to) => [from, to] as [S, S]));
  it.each(refused)('refuses %s → %s with INVALID_STATE naming the allowed ones', (from, to) => {
    let error: unknown;
    try {
      assertCampaignTransition(from, to);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('INVALID_STATE');
    expect((error as AppError).details).toEqual({ from, to, allowed: CAMPAIGN_TRANSITIONS[from] });
  });

  it('names the events of each move', () => {
    expect(campaignEventType(S.DRAFT, S.ACTIVE)).toBe('campaign.launched');
    expect(campaignEventType(S.PAUSED, S.ACTIVE)).toBe('campaign.resumed');
    expect(campaignEventType(S.ACTIVE, S.PAUSED)).toBe('campaign.paused');
    expect(campaignEventType(S.ACTIVE, S.COMPLETED)).toBe('campaign.completed');
    expect(campaignEventType(S.DRAFT, S.CANCELLED)).toBe('campaign.cancelled');
  });
});
