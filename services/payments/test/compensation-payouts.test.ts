import { TOPICS } from '@influenceflow/vocabulary';
import { eventually, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { paymentsSubgraph } from '../src/schema';
import { paymentsServices, PaymentsServices } from '../src/services';
import { payoutSettings } from '../src/payouts/payout-settings';
import { deliver, executedData, fundEscrow, idsOf, milestoneData, postedData, sqlOf } from './support';

const id = idsOf('8e14');

/**
 * Event → payout with the real payouts: a milestone's trigger reaches a succeeded payout in the simulated
 * provider with no manual step, and a failing provider is retried until it succeeds.
 */
describe('compensation → payouts: milestones paid through the simulated provider', () => {
  let sub: TestSubgraph<PaymentsServices>;
  const db = sqlOf(() => sub);

  beforeAll(async () => {
    const settings = {
      ...payoutSettings({}),
      simulatedLatencyMs: 5,
      pollMs: 100,
      retry: { baseMs: 100, factor: 2, maxDelayMs: 400, maxAttempts: 5 },
      sendingTimeoutMs: 60_000,
    };
    sub = await startTestSubgraph({
      ...paymentsSubgraph,
      services: (runtime) => paymentsServices(runtime, undefined, settings),
      background: (services) => [services.payoutWorker],
    });
  });
  afterAll(() => sub?.close());

  const payoutOf = async (milestoneKey: string) =>
    (
      await db<{ id: string; status: string; attempt_count: number }>(
        `SELECT id, status, attempt_count FROM payouts WHERE idempotency_key = $1`,
        [milestoneKey],
      )
    )[0];

  it('pays a deliverable.posted milestone, and retries a failed provider call until it succeeds', async () => {
    const p = { partnershipId: id(101), campaignId: id(201), brandId: id(1), creatorId: id(2) };
    const contractId = id(301);
    await fundEscrow(sub, p, 100_000, 'USD', 'fund:e2e:1');
    const executed = executedData(p, contractId, {
      compensation: { flatFeeMinor: 60_000 },
      milestones: [
        milestoneData(0, 'ON_EXECUTION', 20_000, null, 'On signature'),
        milestoneData(1, 'ON_DELIVERABLE_POSTED', 40_000, 0, 'On the reel'),
      ],
      deliverables: [{ platform: 'instagram', format: 'reel', count: 1, dueOn: '2027-03-10' }],
    });
    // The provider fails the first call (retryable): the ON_EXECUTION payout is retried, then succeeds.
    sub.services.simulatedProvider.failNext(1, 'the bank was busy');
    await deliver(sub, TOPICS.contract, 'contract.executed', contractId, executed, { source: 'contracts', times: 2 });
    const [m0, m1] = await db<{ id: string }>(`SELECT id FROM comp_milestones WHERE contract_id = $1 ORDER BY idx`, [contractId]);
    const first = await eventually(
      async () => {
        const payout = await payoutOf(`milestone:${m0.id}`);
        return payout?.status === 'SUCCEEDED' ? payout : undefined;
      },
      60_000,
      'the ON_EXECUTION payout to succeed',
    );
    expect(first.attempt_count).toBe(2);

    const posted = postedData(p, id(401), 1);
    await deliver(sub, TOPICS.campaign, 'deliverable.posted', id(401), posted, { source: 'campaign', times: 2 });
    const second = await eventually(
      async () => {
        const payout = await payoutOf(`milestone:${m1.id}`);
        return payout?.status === 'SUCCEEDED' ? payout : undefined;
      },
      60_000,
      'the deliverable payout to succeed',
    );
    expect(second.attempt_count).toBe(1);
    // One payout per milestone, the provider called once per attempt.
    expect(await db(`SELECT count(*)::int AS n FROM payouts WHERE partnership_id = $1`, [p.partnershipId])).toEqual([{ n: 2 }]);
    expect(sub.services.simulatedProvider.callsByKey.get(`payout:${second.id}:attempt:1`)).toBe(1);
    const paid = await sub.runtime.dataSource.transaction((tx) =>
      sub.services.ledger.balanceOf(tx, { type: 'CREATOR_PAID', ownerId: p.creatorId, currency: 'USD' }),
    );
    expect(paid).toBe(60_000);
  });
});
