import { Money } from '@influenceflow/kit';
import { ContractExecutedData, DeliverableEventData, TOPICS } from '@influenceflow/vocabulary';
import { eventually, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { paymentsSubgraph } from '../src/schema';
import { paymentsServices, PaymentsServices } from '../src/services';
import { payoutSettings } from '../src/payouts/payout-settings';
import { deliver } from './support';

// Ids of this file only.
const id = (n: number) => `00000000-0000-4000-8e14-${String(n).padStart(12, '0')}`;

/**
 * Event → payout with the real payouts: a milestone's trigger reaches a succeeded payout in the simulated
 * provider with no manual step, and a failing provider is retried until it succeeds.
 */
describe('compensation → payouts: milestones paid through the simulated provider', () => {
  let sub: TestSubgraph<PaymentsServices>;
  const db = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    sub.runtime.dataSource.query(sql, params) as Promise<T[]>;

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
    await sub.runtime.dataSource.transaction((tx) =>
      sub.services.ledger.fundCampaign(tx, {
        key: 'fund:e2e:1',
        brandId: p.brandId,
        campaignId: p.campaignId,
        amount: Money.of(100_000, 'USD'),
      }),
    );
    const executed: ContractExecutedData = {
      contractId,
      ...p,
      executedAt: new Date().toISOString(),
      version: 1,
      amends: null,
      documentSha256: 'b'.repeat(64),
      currency: 'USD',
      compensation: { currency: 'USD', flatFeeMinor: 60_000, commissionPercent: null, bonus: null, product: null },
      milestones: [
        { index: 0, label: 'On signature', amountMinor: 20_000, sharePercent: null, trigger: 'ON_EXECUTION', deliverableIndex: null },
        { index: 1, label: 'On the reel', amountMinor: 40_000, sharePercent: null, trigger: 'ON_DELIVERABLE_POSTED', deliverableIndex: 0 },
      ],
      deliverables: [{ platform: 'instagram', format: 'reel', count: 1, dueOn: '2027-03-10' }],
      lengthMonths: null,
    };
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

    const posted: DeliverableEventData = {
      deliverableId: id(401),
      ...p,
      sequence: 1,
      platform: 'instagram',
      format: 'reel',
      dueOn: '2027-03-10',
      status: 'posted',
      previousStatus: 'approved',
      postUrl: 'https://www.instagram.com/p/xyz',
      draftVersion: null,
      ugcReuseAllowed: false,
      flagReason: null,
    };
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
