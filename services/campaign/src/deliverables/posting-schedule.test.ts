import { addMonths } from '../campaigns/campaign-calendar';
import { postingSchedule } from './posting-schedule';

describe('posting schedule', () => {
  it('adds calendar months, keeping the day or taking the month’s last', () => {
    expect(addMonths('2027-03-10', 0)).toBe('2027-03-10');
    expect(addMonths('2027-03-10', 2)).toBe('2027-05-10');
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2027-11-30', 3)).toBe('2028-02-29');
    expect(addMonths('2027-12-15', 1)).toBe('2028-01-15');
  });

  it('is the terms themselves for one campaign, one piece per promised count', () => {
    const schedule = postingSchedule(
      [
        { platform: 'tiktok', format: 'video', count: 1, dueOn: '2027-03-20' },
        { platform: 'instagram', format: 'reel', count: 2, dueOn: '2027-03-10' },
      ],
      null,
    );
    expect(schedule.map((p) => [p.sequence, p.cycle, p.platform, p.dueOn])).toEqual([
      [1, 1, 'instagram', '2027-03-10'],
      [2, 1, 'instagram', '2027-03-10'],
      [3, 1, 'tiktok', '2027-03-20'],
    ]);
  });

  it('repeats the month’s set every month of a long-term partnership', () => {
    const schedule = postingSchedule([{ platform: 'instagram', format: 'reel', count: 2, dueOn: '2027-01-31' }], 3);
    expect(schedule.map((p) => [p.sequence, p.cycle, p.dueOn])).toEqual([
      [1, 1, '2027-01-31'],
      [2, 1, '2027-01-31'],
      [3, 2, '2027-02-28'],
      [4, 2, '2027-02-28'],
      [5, 3, '2027-03-31'],
      [6, 3, '2027-03-31'],
    ]);
    expect(postingSchedule([{ platform: 'youtube', format: 'video', count: 1, dueOn: '2027-06-01' }], 6)).toHaveLength(6);
  });
});
