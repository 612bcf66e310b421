import { TOPICS } from '@influenceflow/vocabulary';
import { eventually, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { paymentsSubgraph } from '../src/schema';
import { paymentsServices, PaymentsServices } from '../src/services';
import { payoutSettings } from '../src/payouts/payout-settings';
import { deliver, executedData, fundEscrow, idsOf, milestoneData, postedData, sqlOf } from './support';

const id = idsOf('8e16');

/**
 * R4's third part, at the event level, through the real Kafka inbox, payouts and simulated provider: the same
 * deliverable.posted (same event id) delivered twice pays its milestone once — one payout, one provider
 * call, one transfer of each kind — and another deliverable.posted event (another id) for the same
 * deliverable pays nothing more.
 */
describe('the same event delivered twice pays once', () => {
  let sub: TestSubgraph<PaymentsServices>;
  const db = sqlOf(() => sub);

  beforeAll(async () => {
    const settings = {
      ...payoutSettings({}),
      simulatedLatencyMs: 5,
      simulatedFailureRate: 0,
      pollMs: 100,
      retry: { baseMs: 100, factor: 2, maxDelayMs: 400, maxAttempts: 5 },
      sendingTimeoutMs: 60_000,
    };
    sub = await startTestSubgraph({
      ...paymentsSubgraph,
      services: (runtime) => paymentsServices(runtime, undefined, settings),
      // The payout worker only: no awaiting-funds timer.
      background: (services) => [services.payoutWorker],
    });
  });
  afterAll(() => sub?.close());

  it('one payout, one provider call, one transfer per kind for a redelivered and a repeated deliverable.posted', async () => {
    const p = { partnershipId: id(101), campaignId: id(201), brandId: id(1), creatorId: id(2) };
    const contractId = id(301);
    await fundEscrow(sub, p, 100_000, 'USD', 'fund:once:1');
    const executed = executedData(p, contractId, {
      compensation: { flatFeeMinor: 40_000 },
      milestones: [milestoneData(0, 'ON_DELIVERABLE_POSTED', 40_000, 0, 'On the reel')],
      deliverables: [{ platform: 'instagram', format: 'reel', count: 1, dueOn: '2027-03-10' }],
    });
    await deliver(sub, TOPICS.contract, 'contract.executed', contractId, executed, { source: 'contracts' });
    const [milestone] = await db<{ id: string; status: string }>(`SELECT id, status FROM comp_milestones WHERE contract_id = $1`, [
      contractId,
    ]);
    expect(milestone.status).toBe('PENDING');

    const posted = postedData(p, id(401), 1);
    // The same envelope (same event id) published twice: Kafka redelivers it, the inbox applies it once.
    const eventId = await deliver(sub, TOPICS.campaign, 'deliverable.posted', id(401), posted, { source: 'campaign', times: 2 });
    const payout = await eventually(
      async () => {
        const [row] = await db<{ id: string; status: string; attempt_count: number }>(
          `SELECT id, status, attempt_count FROM payouts WHERE idempotency_key = $1`,
          [`milestone:${milestone.id}`],
        );
        return row?.status === 'SUCCEEDED' ? row : undefined;
      },
      60_000,
      'the milestone payout to succeed',
    );
    expect(payout.attempt_count).toBe(1);
    // Another event (a new id) saying the same deliverable is posted: applied, and pays nothing more.
    const otherId = await deliver(
      sub,
      TOPICS.campaign,
      'deliverable.posted',
      id(401),
      { ...posted, postUrl: 'https://www.instagram.com/p/once2' },
      { source: 'campaign' },
    );
    expect(otherId).not.toBe(eventId);
    expect(await db(`SELECT count(*)::int AS n FROM inbox WHERE event_id = $1 AND consumer = 'payments.compensation'`, [eventId])).toEqual([
      { n: 1 },
    ]);

    // Wait until the worker has nothing left queued, so a second payout or call would have shown up.
    await eventually(
      async () =>
        (await db<{ n: number }>(`SELECT count(*)::int AS n FROM payout_attempts WHERE status IN ('QUEUED', 'SENDING')`))[0].n === 0,
      30_000,
      'the payout worker to be idle',
    );
    expect(await db(`SELECT count(*)::int AS n FROM payouts WHERE partnership_id = $1`, [p.partnershipId])).toEqual([{ n: 1 }]);
    expect(await db(`SELECT count(*)::int AS n FROM payout_attempts WHERE payout_id = $1`, [payout.id])).toEqual([{ n: 1 }]);
    expect(sub.services.simulatedProvider.calls).toBe(1);
    expect(sub.services.simulatedProvider.callsByKey.get(`payout:${payout.id}:attempt:1`)).toBe(1);
    const kinds = await db<{ kind: string; n: number; amount: string }>(
      `SELECT kind, count(*)::int AS n, sum(amount)::text AS amount FROM ledger_transfers WHERE partnership_id = $1 GROUP BY kind ORDER BY kind`,
      [p.partnershipId],
    );
    // The accrual, the payout's start and its settlement: one each, for the milestone's amount.
    expect(kinds).toEqual([
      { kind: 'ACCRUE_MILESTONE', n: 1, amount: '40000' },
      { kind: 'PAYOUT_SETTLE', n: 1, amount: '40000' },
      { kind: 'PAYOUT_START', n: 1, amount: '40000' },
    ]);
    expect((await db<{ status: string }>(`SELECT status FROM comp_milestones WHERE id = $1`, [milestone.id]))[0].status).toBe('PAID');
    const paid = await sub.runtime.dataSource.transaction((tx) =>
      sub.services.ledger.balanceOf(tx, { type: 'CREATOR_PAID', ownerId: p.creatorId, currency: 'USD' }),
    );
    expect(paid).toBe(40_000);
  });
});
