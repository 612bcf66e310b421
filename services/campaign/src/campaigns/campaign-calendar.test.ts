import { CampaignStatus } from './campaign-status';
import { completionOf, hasEnded, lastDayOfTerm, todayUtc } from './campaign-calendar';

const campaign = (status: CampaignStatus, startsOn = '2026-01-01', endsOn = '2026-01-31') => ({ status, startsOn, endsOn });
const running = (lengthMonths: number | null) => ({ running: true, lengthMonths });

describe('campaign calendar', () => {
  it('takes today as the UTC date', () => {
    expect(todayUtc(new Date('2026-03-01T23:30:00-05:00'))).toBe('2026-03-02');
    expect(todayUtc(new Date('2026-03-01T00:00:00Z'))).toBe('2026-03-01');
  });

  it('ends a campaign after its last day, not on it', () => {
    expect(hasEnded('2026-01-31', '2026-01-31')).toBe(false);
    expect(hasEnded('2026-01-31', '2026-02-01')).toBe(true);
  });

  it('counts terms in calendar months, short months clamped', () => {
    expect(lastDayOfTerm('2026-01-01', 3)).toBe('2026-03-31');
    expect(lastDayOfTerm('2026-01-15', 6)).toBe('2026-07-14');
    expect(lastDayOfTerm('2025-11-30', 3)).toBe('2026-02-27');
    expect(lastDayOfTerm('2026-01-31', 1)).toBe('2026-02-27');
  });

  it('makes a running campaign past its end due for completion', () => {
    expect(completionOf(campaign(CampaignStatus.ACTIVE), [], '2026-02-01')).toEqual({
      endedOn: '2026-01-31',
      due: true,
      waitsUntil: null,
      reason: 'The campaign ended on 2026-01-31',
    });
    expect(completionOf(campaign(CampaignStatus.PAUSED), [running(null)], '2026-02-01')?.due).toBe(true);
  });

  it('says nothing of a campaign that has not ended, or is not running', () => {
    expect(completionOf(campaign(CampaignStatus.ACTIVE), [], '2026-01-31')).toBeNull();
    for (const status of [CampaignStatus.DRAFT, CampaignStatus.COMPLETED, CampaignStatus.CANCELLED]) {
      expect(completionOf(campaign(status), [], '2026-06-01')).toBeNull();
    }
  });

  it('waits for the last long-term partnership at work, and only for one at work', () => {
    const held = completionOf(campaign(CampaignStatus.ACTIVE), [running(3), running(6), running(null)], '2026-02-01');
    expect(held).toMatchObject({ due: false, waitsUntil: '2026-06-30' });
    expect(held!.reason).toBe('2 long-term partnership(s) still run, the last until 2026-06-30: the campaign completes after it');
    expect(completionOf(campaign(CampaignStatus.ACTIVE), [{ running: false, lengthMonths: 6 }], '2026-02-01')?.due).toBe(true);
    expect(completionOf(campaign(CampaignStatus.ACTIVE), [running(3)], '2026-03-31')?.due).toBe(false);
    expect(completionOf(campaign(CampaignStatus.ACTIVE), [running(3)], '2026-04-01')?.due).toBe(true);
  });
});
