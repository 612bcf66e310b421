import { createLogger } from '@influenceflow/kit';
import type { DataSource } from 'typeorm';
import { AwaitingFundsTask } from './awaiting-funds.task';
import type { CompensationService } from './compensation.service';

describe('the task that pays what awaits funding', () => {
  it('asks again every interval, goes on after a failure, and stops asking once stopped', async () => {
    let calls = 0;
    const compensation = {
      retryAwaiting: async () => {
        calls++;
        if (calls === 2) throw new Error('database away');
        return { milestonesPaid: calls === 1 ? 1 : 0, commissionSynced: 0 };
      },
    } as unknown as CompensationService;
    const task = new AwaitingFundsTask(compensation, {} as DataSource, createLogger('test', 'silent'), 5);
    await task.start();
    const deadline = Date.now() + 10_000;
    while (calls < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await task.stop();
    const atStop = calls;
    expect(atStop).toBeGreaterThanOrEqual(4);
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toBe(atStop);
  });
});
