import { Identity, Money } from '@influenceflow/kit';
import { eventually, GraphQLResponse, identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { paymentsSubgraph } from '../src/schema';
import { PaymentsServices, paymentsServices } from '../src/services';
import { payoutSettings } from '../src/payouts/payout-settings';

import { executedPartnership, idsOf } from './support';

const uuid = idsOf('8e14');
const BRAND = uuid(1);
const OTHER_BRAND = uuid(2);

const CREATE = `mutation($input: CreatePayoutInput!) {
  createPayout(input: $input) { replayed payout { id status provider attemptCount finalFailure reason reference amount { amountMinor currency } attempts { number status providerRef failureReason } } }
}`;
const R4_CREATE = `mutation($input: CreatePayoutInput!) { createPayout(input: $input) { replayed payout { id } } }`;
const PAYOUT = `query($id: ID!) { payout(id: $id) { id status attemptCount finalFailure failureReason nextRetryAt reversalReason attempts { number status providerRef failureReason } } }`;

interface PayoutView {
  id: string;
  status: string;
  provider: string;
  attemptCount: number;
  finalFailure: boolean;
  failureReason?: string | null;
  attempts: { number: number; status: string; providerRef: string | null; failureReason: string | null }[];
}

/**
 * Payouts against the real ledger, database and Kafka: createPayout's idempotency (R4: 100 identical
 * requests in parallel pay once, one provider call), the seam compensation calls, retries with backoff,
 * the manual provider's admin moves, reversals, reconciliation of an attempt cut off mid-call, and refusals
 * that leave the ledger untouched.
 */
describe('payouts', () => {
  let sub: TestSubgraph<PaymentsServices>;
  let n = 0;
  const member: Identity = identities.brandMember(BRAND);
  const admin = identities.admin();

  const ledger = () => sub.services.ledger;
  const count = async (sql: string, params: unknown[] = []) => (await sub.runtime.dataSource.query(sql, params))[0].n as number;
  const transfers = () => count(`SELECT count(*)::int AS n FROM ledger_transfers`);
  const transfersByKey = (key: string) => count(`SELECT count(*)::int AS n FROM ledger_transfers WHERE key = $1`, [key]);
  const balance = (type: string, ownerId: string, currency = 'EUR') =>
    sub.runtime.dataSource.transaction((tx) => ledger().balanceOf(tx, { type, ownerId, currency }));

  /** A partnership under an executed contract (through contract.executed, the real inbox), its escrow funded. */
  async function partnership(fundedMinor: number, currency = 'EUR', brandId = BRAND) {
    n += 1;
    const p = { partnershipId: uuid(1000 + n), campaignId: uuid(2000 + n), brandId, creatorId: uuid(3000 + n) };
    return executedPartnership(sub, p, uuid(4000 + n), currency, fundedMinor);
  }

  const create = (input: Record<string, unknown>, who: Identity = member) =>
    sub.query<{ createPayout: { replayed: boolean; payout: PayoutView } }>(CREATE, { input }, who);

  const settled = (id: string, statuses = ['SUCCEEDED']) =>
    eventually(
      async () => {
        const r = await sub.query<{ payout: PayoutView }>(PAYOUT, { id }, admin);
        return r.data?.payout && statuses.includes(r.data.payout.status) ? r.data.payout : undefined;
      },
      30_000,
      `payout ${id} to be ${statuses.join(' or ')}`,
    );

  const outboxTypes = async (payoutId: string) =>
    (
      (await sub.runtime.dataSource.query(`SELECT type, envelope FROM outbox WHERE key = $1 ORDER BY seq`, [payoutId])) as {
        type: string;
        envelope: string | { data: Record<string, unknown> };
      }[]
    ).map((r) => ({ type: r.type, data: (typeof r.envelope === 'string' ? JSON.parse(r.envelope) : r.envelope).data }));

  beforeAll(async () => {
    const settings = {
      ...payoutSettings({}),
      simulatedLatencyMs: 5,
      pollMs: 100,
      retry: { baseMs: 100, factor: 2, maxDelayMs: 400, maxAttempts: 3 },
      sendingTimeoutMs: 60_000,
    };
    sub = await startTestSubgraph({ ...paymentsSubgraph, services: (runtime) => paymentsServices(runtime, undefined, settings) });
  });
  afterAll(() => sub?.close());

  it('pays a partnership’s creator from escrow: succeeded through the simulated provider, payout.succeeded, the ledger moved', async () => {
    const p = await partnership(100_000);
    const r = await create({
      partnershipId: p.partnershipId,
      amount: { amountMinor: 25_000, currency: 'EUR' },
      reason: 'Great reel',
      idempotencyKey: 'first-payout',
    });
    expect(r.errors).toBeUndefined();
    expect(r.data!.createPayout).toMatchObject({
      replayed: false,
      payout: { provider: 'simulated', reason: 'AD_HOC', reference: 'Great reel', amount: { amountMinor: 25_000, currency: 'EUR' } },
    });
    const payout = await settled(r.data!.createPayout.payout.id);
    expect(payout.attempts).toEqual([
      expect.objectContaining({ number: 1, status: 'SUCCEEDED', providerRef: expect.stringMatching(/^sim_/) }),
    ]);
    expect(await balance('CAMPAIGN_ESCROW', p.campaignId)).toBe(75_000);
    expect(await balance('CREATOR_PAYABLE', p.partnershipId)).toBe(0);
    expect(await balance('CREATOR_PAID', p.creatorId)).toBe(25_000);
    const events = await eventually(async () => {
      const e = await outboxTypes(payout.id);
      return e.length ? e : undefined;
    });
    expect(events).toEqual([
      {
        type: 'payout.succeeded',
        data: expect.objectContaining({ payoutId: payout.id, amountMinor: 25_000, currency: 'EUR', attempt: 1, reason: 'AD_HOC' }),
      },
    ]);
  });

  it('R4: 100 identical requests in parallel make one payout, one transfer of each kind and one provider call', async () => {
    const p = await partnership(100_000);
    const input = { partnershipId: p.partnershipId, amount: { amountMinor: 10_000, currency: 'EUR' }, idempotencyKey: 'r4-the-same-key' };
    const callsBefore = sub.services.simulatedProvider.calls;
    // A call the loaded test machine could not even read within the gateway signature's 10 s is sent again,
    // signed anew, as the gateway would: still the same request with the same key.
    const send = async () => {
      for (let attempt = 1; ; attempt++) {
        const r = await sub.query<{ createPayout: { replayed: boolean; payout: { id: string } } }>(R4_CREATE, { input }, member);
        if (attempt < 3 && r.errors?.[0]?.message.includes('expired gateway signature')) continue;
        return r;
      }
    };
    const results = await Promise.all(Array.from({ length: 100 }, send));
    for (const r of results) expect(r.errors).toBeUndefined();
    const ids = new Set(results.map((r) => r.data!.createPayout.payout.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => !r.data!.createPayout.replayed)).toHaveLength(1);
    const [payoutId] = [...ids];
    await settled(payoutId);
    expect(await count(`SELECT count(*)::int AS n FROM payouts WHERE partnership_id = $1`, [p.partnershipId])).toBe(1);
    const [{ idempotency_key: key }] = await sub.runtime.dataSource.query(`SELECT idempotency_key FROM payouts WHERE id = $1`, [payoutId]);
    expect(await transfersByKey(key)).toBe(1); // the accrual
    expect(await transfersByKey(`payout:${payoutId}:start:1`)).toBe(1);
    expect(await transfersByKey(`payout:${payoutId}:settle:1`)).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM ledger_transfers WHERE partnership_id = $1`, [p.partnershipId])).toBe(3);
    expect(sub.services.simulatedProvider.callsByKey.get(`payout:${payoutId}:attempt:1`)).toBe(1);
    expect(sub.services.simulatedProvider.calls - callsBefore).toBe(1);
    expect(await balance('CAMPAIGN_ESCROW', p.campaignId)).toBe(90_000);

    // The same key with another amount: CONFLICT, and nothing moves.
    const before = await transfers();
    const other = await create({ ...input, amount: { amountMinor: 10_001, currency: 'EUR' } });
    expect(other.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.idempotencyKey' });
    const otherReason = await create({ ...input, reason: 'another reason' });
    expect(otherReason.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(await transfers()).toBe(before);
    expect(await count(`SELECT count(*)::int AS n FROM payouts WHERE partnership_id = $1`, [p.partnershipId])).toBe(1);

    // A replay later still answers the same payout, now succeeded.
    const replay = await create(input);
    expect(replay.data!.createPayout).toMatchObject({ replayed: true, payout: { id: payoutId, status: 'SUCCEEDED' } });

    // Keys are the brand's: another brand's member using the same key on its own partnership pays its own payout.
    const q = await partnership(50_000, 'EUR', OTHER_BRAND);
    const theirs = await create({ ...input, partnershipId: q.partnershipId }, identities.brandMember(OTHER_BRAND));
    expect(theirs.data!.createPayout.replayed).toBe(false);
    expect(theirs.data!.createPayout.payout.id).not.toBe(payoutId);
  });

  it('the seam: a milestone’s payout requested twice (a redelivered event) pays once; the same key with another amount is a CONFLICT', async () => {
    const p = await partnership(100_000);
    const milestoneId = uuid(9001);
    const request = {
      ...p,
      idempotencyKey: `milestone:${milestoneId}`,
      amount: Money.of(30_000, 'EUR'),
      reason: 'MILESTONE' as const,
      reference: milestoneId,
    };
    const first = await sub.runtime.dataSource.transaction((tx) => sub.services.payouts.request(tx, request));
    const again = await sub.runtime.dataSource.transaction((tx) => sub.services.payouts.request(tx, request));
    expect(first.replayed).toBe(false);
    expect(again).toEqual({ payoutId: first.payoutId, replayed: true });
    // Concurrent duplicates too.
    const concurrent = await Promise.all(
      Array.from({ length: 10 }, () => sub.runtime.dataSource.transaction((tx) => sub.services.payouts.request(tx, request))),
    );
    expect(new Set(concurrent.map((c) => c.payoutId))).toEqual(new Set([first.payoutId]));
    await expect(
      sub.runtime.dataSource.transaction((tx) => sub.services.payouts.request(tx, { ...request, amount: Money.of(30_001, 'EUR') })),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await settled(first.payoutId);
    expect(await transfersByKey(`milestone:${milestoneId}`)).toBe(1);
    expect(await balance('CREATOR_PAID', p.creatorId)).toBe(30_000);
    expect(sub.services.simulatedProvider.callsByKey.get(`payout:${first.payoutId}:attempt:1`)).toBe(1);

    // An accrual compensation made already on the key is found again, not made twice.
    const second = { ...request, idempotencyKey: `milestone:${uuid(9002)}`, reference: uuid(9002) };
    await sub.runtime.dataSource.transaction((tx) =>
      ledger().accrue(tx, { ...p, key: second.idempotencyKey, amount: second.amount, kind: 'MILESTONE' }),
    );
    const paid = await sub.runtime.dataSource.transaction((tx) => sub.services.payouts.request(tx, second));
    await settled(paid.payoutId);
    expect(await transfersByKey(second.idempotencyKey)).toBe(1);
    expect(await balance('CAMPAIGN_ESCROW', p.campaignId)).toBe(40_000);

    // Refused in a caller's transaction (escrow short): nothing of it stays, and the transaction goes on.
    const outcome = await sub.runtime.dataSource.transaction(async (tx) => {
      const refused = await sub.services.payouts
        .request(tx, { ...request, idempotencyKey: `milestone:${uuid(9003)}`, amount: Money.of(40_001, 'EUR') })
        .catch((err: { code: string; details?: { reason?: string } }) => err);
      const [{ now }] = await tx.query(`SELECT now()::text AS now`);
      return { refused, now };
    });
    expect(outcome.refused).toMatchObject({ code: 'INVALID_STATE', details: { reason: 'INSUFFICIENT_FUNDS' } });
    expect(outcome.now).toBeTruthy();
    expect(await count(`SELECT count(*)::int AS n FROM payouts WHERE idempotency_key = $1`, [`milestone:${uuid(9003)}`])).toBe(0);
  });

  it('a provider failure is retried with backoff and then succeeds, without any manual step', async () => {
    const p = await partnership(100_000);
    sub.services.simulatedProvider.failNext(1, 'the bank was busy');
    const r = await create({ partnershipId: p.partnershipId, amount: { amountMinor: 5_000, currency: 'EUR' }, idempotencyKey: 'retry-me' });
    expect(r.errors).toBeUndefined();
    const payout = await settled(r.data!.createPayout.payout.id);
    expect(payout.attemptCount).toBe(2);
    expect(payout.attempts).toEqual([
      expect.objectContaining({ number: 1, status: 'FAILED', failureReason: 'the bank was busy' }),
      expect.objectContaining({ number: 2, status: 'SUCCEEDED' }),
    ]);
    const events = await eventually(async () => {
      const e = await outboxTypes(payout.id);
      return e.length === 2 ? e : undefined;
    });
    expect(events.map((e) => e.type)).toEqual(['payout.failed', 'payout.succeeded']);
    expect(events[0].data).toMatchObject({ final: false, attempt: 1, failureReason: 'the bank was busy', nextRetryAt: expect.any(String) });
    for (const key of ['start:1', 'fail:1', 'start:2', 'settle:2']) expect(await transfersByKey(`payout:${payout.id}:${key}`)).toBe(1);
    expect(await balance('CREATOR_PAID', p.creatorId)).toBe(5_000);
    expect(await balance('PROVIDER_CLEARING', 'simulated')).toBeGreaterThanOrEqual(0);
  });

  it('after the last attempt the payout stays FAILED (payout.failed final), the money owed again; an admin can retry it', async () => {
    const p = await partnership(100_000);
    sub.services.simulatedProvider.failNext(3, 'account closed');
    const r = await create({
      partnershipId: p.partnershipId,
      amount: { amountMinor: 7_000, currency: 'EUR' },
      idempotencyKey: 'fail-for-good',
    });
    const id = r.data!.createPayout.payout.id;
    const failed = await eventually(async () => {
      const v = (await sub.query<{ payout: PayoutView }>(PAYOUT, { id }, admin)).data?.payout;
      return v?.finalFailure ? v : undefined;
    });
    expect(failed).toMatchObject({ status: 'FAILED', attemptCount: 3, finalFailure: true, failureReason: 'account closed' });
    expect(await balance('CREATOR_PAYABLE', p.partnershipId)).toBe(7_000);
    const events = await eventually(async () => {
      const e = await outboxTypes(id);
      return e.length === 3 ? e : undefined;
    });
    expect(events.map((e) => e.data.final)).toEqual([false, false, true]);

    expect((await sub.query(`mutation($id: ID!) { retryPayout(id: $id) { id } }`, { id }, member)).errors?.[0].extensions?.code).toBe(
      'FORBIDDEN',
    );
    const retried = await sub.query(`mutation($id: ID!) { retryPayout(id: $id) { status attemptCount } }`, { id }, admin);
    expect(retried.data).toEqual({ retryPayout: { status: 'PENDING', attemptCount: 4 } });
    await settled(id);
    expect(await balance('CREATOR_PAID', p.creatorId)).toBe(7_000);
    expect(await balance('CREATOR_PAYABLE', p.partnershipId)).toBe(0);
  });

  it('a manual bank transfer waits for an admin, who confirms it with the bank reference (or fails it)', async () => {
    const p = await partnership(100_000);
    sub.services.payouts.settings.provider = 'manual';
    let first: string;
    let second: string;
    try {
      first = (
        await create({ partnershipId: p.partnershipId, amount: { amountMinor: 1_000, currency: 'EUR' }, idempotencyKey: 'manual-1' })
      ).data!.createPayout.payout.id;
      second = (
        await create({ partnershipId: p.partnershipId, amount: { amountMinor: 2_000, currency: 'EUR' }, idempotencyKey: 'manual-2' })
      ).data!.createPayout.payout.id;
    } finally {
      sub.services.payouts.settings.provider = 'simulated';
    }
    const awaiting = await eventually(async () => {
      const v = (await sub.query<{ payout: PayoutView }>(PAYOUT, { id: first }, admin)).data?.payout;
      return v?.attempts[0]?.status === 'AWAITING_CONFIRMATION' ? v : undefined;
    });
    expect(awaiting.status).toBe('PENDING');
    await eventually(
      async () =>
        (await sub.query<{ payout: PayoutView }>(PAYOUT, { id: second }, admin)).data?.payout.attempts[0]?.status ===
        'AWAITING_CONFIRMATION',
    );
    const CONFIRM = `mutation($id: ID!, $ref: String!) { confirmManualPayout(id: $id, reference: $ref) { status attempts { status providerRef } } }`;
    expect((await sub.query(CONFIRM, { id: first, ref: 'BANK-123' }, member)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await sub.query(CONFIRM, { id: first, ref: '   ' }, admin)).errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'reference',
    });
    const confirmed = await sub.query(CONFIRM, { id: first, ref: 'BANK-123' }, admin);
    expect(confirmed.data).toEqual({
      confirmManualPayout: { status: 'SUCCEEDED', attempts: [{ status: 'SUCCEEDED', providerRef: 'BANK-123' }] },
    });
    expect((await sub.query(CONFIRM, { id: first, ref: 'BANK-123' }, admin)).errors?.[0].extensions?.code).toBe('INVALID_STATE');

    const FAIL = `mutation($id: ID!, $reason: String!) { failManualPayout(id: $id, reason: $reason) { status finalFailure failureReason } }`;
    const failed = await sub.query(FAIL, { id: second, reason: 'IBAN rejected' }, admin);
    expect(failed.data).toEqual({ failManualPayout: { status: 'FAILED', finalFailure: true, failureReason: 'IBAN rejected' } });
    expect(await balance('CREATOR_PAID', p.creatorId)).toBe(1_000);
    expect(await balance('CREATOR_PAYABLE', p.partnershipId)).toBe(2_000);
    expect(await balance('PROVIDER_CLEARING', 'manual')).toBe(0);

    // A simulated payout is not confirmed by hand.
    const sim = (await create({ partnershipId: p.partnershipId, amount: { amountMinor: 100, currency: 'EUR' }, idempotencyKey: 'sim-1' }))
      .data!.createPayout.payout.id;
    await settled(sim);
    expect((await sub.query(CONFIRM, { id: sim, ref: 'X' }, admin)).errors?.[0].extensions?.code).toBe('INVALID_STATE');
  });

  it('an admin reverses a succeeded payout whose money came back: REVERSED, owed again, payout.reversed', async () => {
    const p = await partnership(100_000);
    const id = (
      await create({ partnershipId: p.partnershipId, amount: { amountMinor: 4_000, currency: 'EUR' }, idempotencyKey: 'to-reverse' })
    ).data!.createPayout.payout.id;
    const REVERSE = `mutation($id: ID!, $reason: String!) { reversePayout(id: $id, reason: $reason) { status reversalReason } }`;
    await settled(id);
    expect((await sub.query(REVERSE, { id, reason: 'returned' }, member)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const reversed = await sub.query(REVERSE, { id, reason: 'the bank returned it' }, admin);
    expect(reversed.data).toEqual({ reversePayout: { status: 'REVERSED', reversalReason: 'the bank returned it' } });
    expect(await balance('CREATOR_PAID', p.creatorId)).toBe(0);
    expect(await balance('CREATOR_PAYABLE', p.partnershipId)).toBe(4_000);
    expect(await transfersByKey(`payout:${id}:reverse`)).toBe(1);
    const again = await sub.query(REVERSE, { id, reason: 'twice' }, admin);
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'INVALID_STATE', from: 'REVERSED' });
    expect(await transfersByKey(`payout:${id}:reverse`)).toBe(1);
    const events = await eventually(async () => {
      const e = await outboxTypes(id);
      return e.length === 2 ? e : undefined;
    });
    expect(events[1]).toMatchObject({ type: 'payout.reversed', data: { reversalReason: 'the bank returned it', amountMinor: 4_000 } });
  });

  it('each attempt goes to the provider once, however many workers (replicas) try to send it', async () => {
    const p = await partnership(100_000);
    await sub.services.payoutWorker.stop();
    const ids: string[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        const r = await sub.runtime.dataSource.transaction((tx) =>
          sub.services.payouts.request(tx, {
            ...p,
            idempotencyKey: `milestone:${uuid(9100 + i)}`,
            amount: Money.of(1_000, 'EUR'),
            reason: 'MILESTONE',
            reference: null,
          }),
        );
        ids.push(r.payoutId);
      }
      // Twenty senders at once, as several replicas would: each attempt is claimed by one of them.
      const sent = await Promise.all(Array.from({ length: 20 }, () => sub.services.payouts.dispatchNext()));
      expect(sent.filter(Boolean).length).toBe(5);
      for (const id of ids) expect(sub.services.simulatedProvider.callsByKey.get(`payout:${id}:attempt:1`)).toBe(1);
    } finally {
      await sub.services.payoutWorker.start();
    }
    for (const id of ids) await settled(id);
  });

  it('an attempt cut off mid-call is reconciled by asking the provider by its key, never sent twice', async () => {
    const p = await partnership(100_000);
    await sub.services.payoutWorker.stop();
    try {
      const make = (i: number) =>
        sub.runtime.dataSource.transaction((tx) =>
          sub.services.payouts.request(tx, {
            ...p,
            idempotencyKey: `milestone:${uuid(9200 + i)}`,
            amount: Money.of(1_500, 'EUR'),
            reason: 'MILESTONE',
            reference: null,
          }),
        );
      const executed = (await make(1)).payoutId;
      const lost = (await make(2)).payoutId;
      // Both claimed an hour ago by a process that died; the provider executed the first before it did.
      await sub.runtime.dataSource.query(
        `UPDATE payout_attempts SET status = 'SENDING', sent_at = now() - interval '1 hour' WHERE payout_id = ANY($1)`,
        [[executed, lost]],
      );
      const [attempt] = await sub.runtime.dataSource.query(`SELECT id, provider_key FROM payout_attempts WHERE payout_id = $1`, [executed]);
      await sub.services.simulatedProvider.send({
        payoutId: executed,
        attemptId: attempt.id,
        attempt: 1,
        providerKey: attempt.provider_key,
        creatorId: p.creatorId,
        amountMinor: 1_500,
        currency: 'EUR',
      });
      expect(await sub.services.payouts.sweepStale()).toBe(2);
      const done = (await sub.query<{ payout: PayoutView }>(PAYOUT, { id: executed }, admin)).data!.payout;
      expect(done).toMatchObject({ status: 'SUCCEEDED', attemptCount: 1 });
      expect(sub.services.simulatedProvider.callsByKey.get(attempt.provider_key)).toBe(1);
      const retrying = (await sub.query<{ payout: PayoutView }>(PAYOUT, { id: lost }, admin)).data!.payout;
      expect(retrying).toMatchObject({ status: 'FAILED', finalFailure: false, failureReason: expect.stringMatching(/never received/) });
    } finally {
      await sub.services.payoutWorker.start();
    }
    const payout = await sub.query<{ payout: PayoutView }>(
      PAYOUT,
      { id: (await sub.runtime.dataSource.query(`SELECT id FROM payouts WHERE idempotency_key = $1`, [`milestone:${uuid(9202)}`]))[0].id },
      admin,
    );
    await settled(payout.data!.payout.id);
    expect(await balance('CREATOR_PAID', p.creatorId)).toBe(3_000);
  });

  it('refuses bad input with the field, another brand’s partnership as not found, and leaves the ledger untouched', async () => {
    const p = await partnership(10_000);
    const usd = await partnership(10_000, 'USD');
    const good = { partnershipId: p.partnershipId, amount: { amountMinor: 1_000, currency: 'EUR' }, idempotencyKey: 'bad-input' };
    const before = {
      transfers: await transfers(),
      payouts: await count(`SELECT count(*)::int AS n FROM payouts`),
      keys: await count(`SELECT count(*)::int AS n FROM payout_idempotency_keys`),
    };
    const expectRefused = async (r: GraphQLResponse, code: string, field?: string) => {
      expect(r.data?.createPayout ?? null).toBeNull();
      expect(r.errors?.[0].extensions?.code).toBe(code);
      if (field)
        expect(r.errors?.[0].extensions?.field ?? (r.errors?.[0].extensions?.problems as { field: string }[] | undefined)?.[0]?.field).toBe(
          field,
        );
    };
    await expectRefused(
      await create({ ...good, amount: { amountMinor: -1, currency: 'EUR' } }),
      'BAD_USER_INPUT',
      'input.amount.amountMinor',
    );
    await expectRefused(
      await create({ ...good, amount: { amountMinor: 0, currency: 'EUR' } }),
      'BAD_USER_INPUT',
      'input.amount.amountMinor',
    );
    await expectRefused(await create({ ...good, amount: { amountMinor: 10.5, currency: 'EUR' } }), 'BAD_USER_INPUT');
    await expectRefused(
      await create({ ...good, amount: { amountMinor: 100, currency: 'ABC' } }),
      'BAD_USER_INPUT',
      'input.amount.currency',
    );
    await expectRefused(
      await create({ ...good, amount: { amountMinor: 100, currency: 'XXX' } }),
      'BAD_USER_INPUT',
      'input.amount.currency',
    );
    await expectRefused(
      await create({ ...good, amount: { amountMinor: 100, currency: 'USD' } }),
      'BAD_USER_INPUT',
      'input.amount.currency',
    );
    await expectRefused(await create({ ...good, idempotencyKey: 'a'.repeat(256) }), 'BAD_USER_INPUT', 'input.idempotencyKey');
    await expectRefused(await create({ ...good, idempotencyKey: 'nul\u0000byte' }), 'BAD_USER_INPUT');
    await expectRefused(await create({ ...good, idempotencyKey: '' }), 'BAD_USER_INPUT', 'input.idempotencyKey');
    await expectRefused(await create({ ...good, reason: 'x'.repeat(501) }), 'BAD_USER_INPUT', 'input.reason');
    await expectRefused(await create({ ...good, partnershipId: 'not-a-uuid' }), 'BAD_USER_INPUT');
    await expectRefused(await create({ ...good, partnershipId: uuid(999_999) }), 'NOT_FOUND');
    await expectRefused(await create(good, identities.brandMember(OTHER_BRAND)), 'NOT_FOUND');
    await expectRefused(await create(good, identities.analyst(BRAND)), 'FORBIDDEN');
    await expectRefused(await create(good, identities.creator(p.creatorId)), 'FORBIDDEN');
    await expectRefused(await create(good, null as unknown as Identity), 'UNAUTHENTICATED');
    // Above escrow: INVALID_STATE INSUFFICIENT_FUNDS.
    const above = await create({ ...good, amount: { amountMinor: 10_001, currency: 'EUR' } });
    await expectRefused(above, 'INVALID_STATE');
    expect(above.errors?.[0].extensions?.reason).toBe('INSUFFICIENT_FUNDS');
    // USD partnership, EUR amount.
    await expectRefused(await create({ ...good, partnershipId: usd.partnershipId }), 'BAD_USER_INPUT', 'input.amount.currency');
    expect(await transfers()).toBe(before.transfers);
    expect(await count(`SELECT count(*)::int AS n FROM payouts`)).toBe(before.payouts);
    expect(await count(`SELECT count(*)::int AS n FROM payout_idempotency_keys`)).toBe(before.keys);
    // A refusal is not kept against the key: the same key pays once the request is good.
    const r = await create(good);
    expect(r.data!.createPayout.replayed).toBe(false);
  });

  it('shows payouts to their creator, their brand’s members and admins only (Partnership.payouts batched)', async () => {
    const p = await partnership(10_000);
    const q = await partnership(10_000);
    const id = (await create({ partnershipId: p.partnershipId, amount: { amountMinor: 500, currency: 'EUR' }, idempotencyKey: 'seen' }))
      .data!.createPayout.payout.id;
    await create({ partnershipId: q.partnershipId, amount: { amountMinor: 600, currency: 'EUR' }, idempotencyKey: 'seen-too' });
    const read = (who: Identity) => sub.query<{ payout: { id: string } }>(`query($id: ID!) { payout(id: $id) { id } }`, { id }, who);
    expect((await read(identities.creator(p.creatorId))).data?.payout.id).toBe(id);
    expect((await read(member)).data?.payout.id).toBe(id);
    expect((await read(identities.creator(q.creatorId))).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await read(identities.analyst(BRAND))).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await read(identities.brandMember(OTHER_BRAND))).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await sub.query(`query { payout(id: "nope") { id } }`, {}, member)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Partnership { id payouts { id amount { amountMinor } attempts { number } } } } }`;
    const reps = [p, q].map((x) => ({ __typename: 'Partnership', id: x.partnershipId }));
    const asMember = await sub.query<{ _entities: { id: string; payouts: { amount: { amountMinor: number } }[] }[] }>(
      ENTITIES,
      { reps },
      member,
    );
    expect(asMember.data!._entities.map((e) => e.payouts.map((x) => x.amount.amountMinor))).toEqual([[500], [600]]);
    const asCreator = await sub.query<{ _entities: { payouts: unknown[] }[] }>(ENTITIES, { reps }, identities.creator(p.creatorId));
    expect(asCreator.data!._entities.map((e) => e.payouts.length)).toEqual([1, 0]);
    const asAnalyst = await sub.query<{ _entities: { payouts: unknown[] }[] }>(ENTITIES, { reps }, identities.analyst(BRAND));
    expect(asAnalyst.data!._entities.map((e) => e.payouts.length)).toEqual([0, 0]);
  });

  it('deletes idempotency keys only after they expire (kept at least 24 h)', async () => {
    const p = await partnership(10_000);
    await create({ partnershipId: p.partnershipId, amount: { amountMinor: 100, currency: 'EUR' }, idempotencyKey: 'expiring' });
    const [row] = await sub.runtime.dataSource.query(`SELECT created_at, expires_at FROM payout_idempotency_keys WHERE key = 'expiring'`);
    expect(new Date(row.expires_at).getTime() - new Date(row.created_at).getTime()).toBeGreaterThanOrEqual(24 * 3600_000);
    expect(await sub.services.payouts.cleanupKeys(new Date(Date.now() + 23 * 3600_000))).toBe(0);

    // An expired key the cleanup has not deleted yet is a new key: another request with it is a new payout.
    const first = await create({
      partnershipId: p.partnershipId,
      amount: { amountMinor: 100, currency: 'EUR' },
      idempotencyKey: 'expired',
    });
    await sub.runtime.dataSource.query(
      `UPDATE payout_idempotency_keys SET created_at = now() - interval '30 hours', expires_at = now() - interval '6 hours' WHERE key = 'expired'`,
    );
    const again = await create({
      partnershipId: p.partnershipId,
      amount: { amountMinor: 200, currency: 'EUR' },
      idempotencyKey: 'expired',
    });
    expect(again.data!.createPayout).toMatchObject({ replayed: false, payout: { amount: { amountMinor: 200 } } });
    expect(again.data!.createPayout.payout.id).not.toBe(first.data!.createPayout.payout.id);
    const replay = await create({
      partnershipId: p.partnershipId,
      amount: { amountMinor: 200, currency: 'EUR' },
      idempotencyKey: 'expired',
    });
    expect(replay.data!.createPayout).toMatchObject({ replayed: true, payout: { id: again.data!.createPayout.payout.id } });

    expect(await sub.services.payouts.cleanupKeys(new Date(Date.now() + 25 * 3600_000))).toBeGreaterThanOrEqual(1);
    expect(await count(`SELECT count(*)::int AS n FROM payout_idempotency_keys WHERE key = 'expiring'`)).toBe(0);
  });
});
