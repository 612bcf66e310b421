import { createLogger, Money, RunningSubgraph, startSubgraph } from '@influenceflow/kit';
import { eventually, gatewayCallHeaders, identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { paymentsSubgraph } from '../src/schema';
import { PaymentsServices, paymentsServices } from '../src/services';
import { payoutSettings } from '../src/payouts/payout-settings';

import { executedPartnership, idsOf } from './support';

const uuid = idsOf('8e16');
const BRAND = uuid(1);

/**
 * Two replicas of payments on one database, each with its worker and its own (simulated) provider: every
 * attempt reaches one provider once, whichever replica queued it, and identical createPayout requests sent
 * to both replicas make one payout.
 */
describe('payouts on two replicas', () => {
  let a: TestSubgraph<PaymentsServices>;
  let b: RunningSubgraph<PaymentsServices>;
  const settings = {
    ...payoutSettings({}),
    simulatedLatencyMs: 20,
    pollMs: 50,
    retry: { baseMs: 50, factor: 2, maxDelayMs: 200, maxAttempts: 10 },
  };
  const module = {
    ...paymentsSubgraph,
    services: (runtime: Parameters<typeof paymentsServices>[0]) => paymentsServices(runtime, undefined, { ...settings }),
  };
  const p = { partnershipId: uuid(10), campaignId: uuid(11), brandId: BRAND, creatorId: uuid(12) };

  beforeAll(async () => {
    a = await startTestSubgraph(module);
    b = await startSubgraph(module, a.config, { logger: createLogger('payments', a.config.logLevel) });
    await b.ready();
    await executedPartnership(a, p, uuid(13), 'EUR', 1_000_000);
  });
  afterAll(async () => {
    await b?.stop();
    await a?.close();
  });

  const calls = (key: string) =>
    (a.services.simulatedProvider.callsByKey.get(key) ?? 0) + (b.services.simulatedProvider.callsByKey.get(key) ?? 0);

  it('sends each attempt once, whichever replica queued it, retries included', async () => {
    a.services.simulatedProvider.failNext(3);
    b.services.simulatedProvider.failNext(3);
    const requested = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (i % 2 ? a : b).runtime.dataSource.transaction((tx) =>
          (i % 2 ? a : b).services.payouts.request(tx, {
            ...p,
            idempotencyKey: `milestone:${uuid(100 + i)}`,
            amount: Money.of(1_000, 'EUR'),
            reason: 'MILESTONE',
            reference: null,
          }),
        ),
      ),
    );
    const ids = requested.map((r) => r.payoutId);
    await eventually(
      async () => {
        const [{ n }] = await a.runtime.dataSource.query(
          `SELECT count(*)::int AS n FROM payouts WHERE id = ANY($1) AND status = 'SUCCEEDED'`,
          [ids],
        );
        return n === ids.length;
      },
      60_000,
      'every payout succeeded',
    );
    const attempts = (await a.runtime.dataSource.query(`SELECT provider_key FROM payout_attempts WHERE payout_id = ANY($1)`, [ids])) as {
      provider_key: string;
    }[];
    expect(attempts.length).toBe(ids.length + 6);
    for (const { provider_key } of attempts) expect(calls(provider_key)).toBe(1);
    const [{ paid }] = await a.runtime.dataSource.query(
      `SELECT count(*)::int AS paid FROM ledger_transfers WHERE key LIKE 'payout:%:settle:%' AND payout_id = ANY($1)`,
      [ids],
    );
    expect(paid).toBe(ids.length);
  });

  it('identical createPayout requests sent to both replicas make one payout', async () => {
    const input = { partnershipId: p.partnershipId, amount: { amountMinor: 2_500, currency: 'EUR' }, idempotencyKey: 'two-replicas' };
    const CREATE = `mutation($input: CreatePayoutInput!) { createPayout(input: $input) { replayed payout { id } } }`;
    const bQuery = async (body: string) => {
      const res = await fetch(b.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...gatewayCallHeaders('payments', body, identities.brandMember(BRAND)),
        },
        body,
      });
      return (await res.json()) as { data?: { createPayout: { replayed: boolean; payout: { id: string } } } };
    };
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2
          ? a.query<{ createPayout: { replayed: boolean; payout: { id: string } } }>(CREATE, { input }, identities.brandMember(BRAND))
          : bQuery(JSON.stringify({ query: CREATE, variables: { input } })),
      ),
    );
    const ids = new Set(results.map((r) => r.data!.createPayout.payout.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => !r.data!.createPayout.replayed)).toHaveLength(1);
    const [id] = [...ids];
    await eventually(
      async () => (await a.runtime.dataSource.query(`SELECT 1 FROM payouts WHERE id = $1 AND status = 'SUCCEEDED'`, [id])).length === 1,
    );
    expect(calls(`payout:${id}:attempt:1`)).toBe(1);
  });
});
