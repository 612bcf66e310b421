import { randomUUID } from 'node:crypto';
import { CloudEvent, physicalTopic } from '@influenceflow/kit';
import { eventually, GraphQLResponse, publishRawEvent } from '@influenceflow/kit/testing';
import { paymentsServices, paymentsSettings, paymentsSubgraph, payoutSettings } from '@influenceflow/payments';
import { startTestStack, TestStack } from '../../src/testing/stack';
import {
  acceptAndAwaitDraft,
  createBrand,
  daysFromToday,
  dbOf,
  expectNoLeak,
  expectRefusal as expectRefusalIn,
  inviteWhenKnown,
  ok,
  RefusalCase,
  refuseAll as refuseEach,
  saveCreator,
  sendAndSign,
} from './support';

/**
 * What a careless or hostile client meets at every payments query, mutation and the statement download,
 * through the gateway with real tokens (docs/payments.md, "Bad input", "Who sees what", "Idempotency"):
 * ids that are not UUIDs, NUL bytes, huge strings, negative, fractional, zero and unsafe amounts, amounts of
 * currencies with 0, 2 and 3 decimals, unknown currencies and codes without a minor unit, another
 * currency than the campaign's, a payout above the escrow, keys reused with other parameters and replayed,
 * another brand's or creator's ids and money, analysts, anonymous callers, admins' moves by anyone else,
 * and events delivered again. Each refusal is a clear error with its stable code and field, shows nothing
 * internal, and leaves every payments table as it was (nothing half-written).
 *
 * Payouts go through the manual provider here, so a transfer waits for an admin's confirmation and the
 * admins' moves can be tried by everyone else first.
 */
const creatorId = '00000000-0000-4000-8c14-0000000e3e91';
const otherCreatorId = '00000000-0000-4000-8c14-0000000e3e92';
const NUL = 'a\u0000b';
const HUGE = 'x'.repeat(100_001);
const UNKNOWN_UUID = '00000000-0000-4000-8c14-00000000dead';

const FUND = `mutation($input: FundCampaignInput!) { fundCampaign(input: $input) {
  transferId replayed campaignId amount { amountMinor currency formatted } escrow { amountMinor currency formatted } } }`;
const CREATE = `mutation($input: CreatePayoutInput!) { createPayout(input: $input) {
  replayed payout { id status reason reference amount { amountMinor currency formatted } } } }`;
const PAYOUT = `query($id: ID!) { payout(id: $id) { id status amount { amountMinor } attempts { number status } } }`;
const CONFIRM = `mutation($id: ID!, $reference: String!) { confirmManualPayout(id: $id, reference: $reference) { id status } }`;
const FAIL = `mutation($id: ID!, $reason: String!) { failManualPayout(id: $id, reason: $reason) { id status finalFailure } }`;
const RETRY = `mutation($id: ID!) { retryPayout(id: $id) { id status attemptCount } }`;
const REVERSE = `mutation($id: ID!, $reason: String!) { reversePayout(id: $id, reason: $reason) { id status } }`;
const MY_PAYMENTS = `query($creatorId: ID, $first: Int, $after: String, $campaignId: ID, $from: String, $to: String) {
  myPayments(creatorId: $creatorId, first: $first, after: $after, campaignId: $campaignId, from: $from, to: $to) { edges { node { id } } } }`;
const BRAND_PAYMENTS = `query($brandId: ID!, $first: Int, $campaignId: ID) {
  brandPayments(brandId: $brandId, first: $first, campaignId: $campaignId) { edges { node { id } } } }`;
const STATEMENT = `query($year: Int!, $creatorId: ID) { creatorStatement(year: $year, creatorId: $creatorId) { year totals { currency } } }`;
const SET_RATE = `mutation($input: RateCardEntryInput!) { setRateCardEntry(input: $input) { id } }`;
const REMOVE_RATE = `mutation($id: ID!) { removeRateCardEntry(id: $id) }`;
const MY_RATES = `query { myRateCard { id } }`;
const SET_BRAND_RATE = `mutation($input: BrandRateCardEntryInput!) { setBrandRateCardEntry(input: $input) { id } }`;
const REMOVE_BRAND_RATE = `mutation($id: ID!) { removeBrandRateCardEntry(id: $id) }`;
const BRAND_RATES = `query($brandId: ID!, $on: String) { brandRateCard(brandId: $brandId, on: $on) { id } }`;
const PARTNERSHIP_MONEY = `query($id: ID!) { partnership(id: $id) { id payouts { id } compensation { id milestones { id status payoutId } } } }`;
const CONTRACT_MILESTONES = `query($id: ID!) { contract(id: $id) { id milestones { id status payoutId } } }`;
const CAMPAIGN_SPEND = `query($id: ID!) { campaign(id: $id) { id spend { escrow { amountMinor } accrued { amountMinor } } } }`;
const BRAND_BALANCE = `query($id: ID!) { brand(id: $id) { id balance { currency inEscrow { amountMinor } } } }`;
const EARNINGS = `query($id: ID!) { creator(id: $id) { id earnings { currency paid { amountMinor } } } }`;

/** The value at a dotted path of an answer's data, null when any step is missing. */
const at = (value: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? ((v as Record<string, unknown>)[key] ?? null) : null), value);

/** Names of the payments database, and SQL, that no answer may show. */
const INTERNAL =
  /ledger_(accounts|entries|transfers)|payout_attempts|payout_idempotency_keys|comp_(plans|milestones|partnerships)|payment_campaigns|\bSELECT\b|\bINSERT\b|\bUPDATE\s+"|\bWHERE\b|duplicate key|violates/;

/** The tables whose rows a refusal must leave as they were (the outbox by its rows, not their sending). */
const TABLES = [
  'ledger_accounts',
  'ledger_transfers',
  'ledger_entries',
  'payment_campaigns',
  'payouts',
  'payout_attempts',
  'payout_idempotency_keys',
  'comp_partnerships',
  'comp_plans',
  'comp_milestones',
  'comp_posted_deliverables',
  'comp_rejected_events',
  'rate_card_entries',
  'brand_rate_card_entries',
];

describe('hostile requests to payments, end to end', () => {
  let stack: TestStack;
  let origin: string;
  let brand: string;
  let analyst: string;
  let admin: string;
  let creator: string;
  let otherCreator: string;
  let otherBrand: string;
  let noClaims: string;
  let brandId: string;
  let otherBrandId: string;
  let campaignId: string;
  let yenCampaignId: string;
  let dinarCampaignId: string;
  let otherCampaignId: string;
  let partnershipId: string;
  let contractId: string;
  let milestonePayoutId: string;
  let brandRateId: string;
  let rateId: string;

  const db = () => dbOf(stack, 'payments');
  /** Every payments table's rows (a digest) and the outbox's, by type. */
  const state = async () => {
    const tables: Record<string, unknown> = {};
    for (const t of TABLES) {
      tables[t] = (
        await db()(`SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM ${t} t`)
      )[0];
    }
    tables.outbox = await db()(`SELECT type, count(*)::int AS n FROM outbox GROUP BY type ORDER BY type`);
    return tables;
  };

  /** A refused GraphQL request: its code and field, nothing internal in it. */
  const expectRefusal = (r: GraphQLResponse<unknown>, code: string, field?: string) => expectRefusalIn(r, INTERNAL, code, field);
  /** Every case refused, and every payments table as it was. */
  const refuseAll = (cases: RefusalCase[]) => refuseEach(stack, INTERNAL, cases, state);

  const usd = (amountMinor: unknown) => ({ amountMinor, currency: 'USD' });
  const fund = (over: Record<string, unknown> = {}) => ({
    input: { campaignId, amount: usd(10_000), idempotencyKey: 'hostile-fund-x', ...over },
  });
  const pay = (over: Record<string, unknown> = {}) => ({
    input: { partnershipId, amount: usd(1_000), reason: 'Thanks', idempotencyKey: 'hostile-pay-x', ...over },
  });

  /** The transfers posted under a ledger key. */
  const transfersOf = async (key: string) => (await db()(`SELECT count(*)::int AS n FROM ledger_transfers WHERE key = $1`, [key]))[0].n;

  /** A campaign of the brand, in `currency`, once payments has its copy (from campaign.created). */
  async function campaignIn(token: string, ofBrand: string, currency: string, amountMinor: number): Promise<string> {
    const { createCampaign } = await ok<{ createCampaign: { id: string } }>(
      stack,
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
      {
        input: {
          brandId: ofBrand,
          name: `Hostile money ${currency}`,
          goal: { type: 'CONTENT', target: 1 },
          budget: { amountMinor, currency },
          startsOn: daysFromToday(10),
          endsOn: daysFromToday(40),
        },
      },
      token,
    );
    await eventually(
      async () => (await db()(`SELECT 1 FROM payment_campaigns WHERE id = $1`, [createCampaign.id])).length > 0,
      60_000,
      `payments to know the ${currency} campaign`,
    );
    return createCampaign.id;
  }

  /** The payout's attempt, once the worker handed it to the manual provider (it waits for an admin). */
  const awaitingConfirmation = (payoutId: string) =>
    eventually(
      async () =>
        (await db()(`SELECT 1 FROM payout_attempts WHERE payout_id = $1 AND status = 'AWAITING_CONFIRMATION'`, [payoutId])).length > 0,
      60_000,
      'the manual transfer to await confirmation',
    );

  /**
   * Waits until every payments consumer group that applied the original event has applied the one sent
   * again under a new id (the same subject: one partition, so the redelivered copies came before it).
   */
  async function appliedByEveryConsumer(originalId: string, newId: string): Promise<void> {
    const consumers = async (id: string) =>
      (await db()<{ consumer: string }>(`SELECT consumer FROM inbox WHERE event_id = $1 ORDER BY consumer`, [id])).map((r) => r.consumer);
    const expected = await consumers(originalId);
    expect(expected.length).toBeGreaterThan(0);
    await eventually(
      async () => JSON.stringify(await consumers(newId)) === JSON.stringify(expected),
      60_000,
      `the event under a new id to be applied by ${expected.join(', ')}`,
    );
  }

  beforeAll(async () => {
    stack = await startTestStack({
      modules: {
        payments: {
          ...paymentsSubgraph,
          services: (runtime) => paymentsServices(runtime, paymentsSettings(), { ...payoutSettings(), provider: 'manual' }),
        },
      },
    });
    origin = stack.gateway.url.replace(/\/graphql$/, '');
    creator = await stack.token({ sub: 'pay-hostile-creator', roles: ['creator'], creatorId });
    otherCreator = await stack.token({ sub: 'pay-hostile-other-creator', roles: ['creator'], creatorId: otherCreatorId });
    noClaims = await stack.token({ sub: 'pay-hostile-nobody', roles: [] });
    await saveCreator(
      stack,
      creator,
      { handle: 'penny.hostile', displayName: 'Penny Hostile', niches: ['finance'], country: 'DE' },
      { handle: 'penny.hostile', followers: 9000, engagementRate: 4 },
    );
    brandId = await createBrand(stack, 'Ledger Raiders');
    otherBrandId = await createBrand(stack, 'Other Till');
    brand = await stack.token({ sub: 'pay-hostile-brand', roles: ['brand_member'], brandIds: [brandId] });
    analyst = await stack.token({ sub: 'pay-hostile-analyst', roles: ['analyst'], brandIds: [brandId] });
    admin = await stack.token({ sub: 'pay-hostile-admin', roles: ['admin'] });
    otherBrand = await stack.token({ sub: 'pay-hostile-other-brand', roles: ['brand_member'], brandIds: [otherBrandId] });

    campaignId = await campaignIn(brand, brandId, 'USD', 300_000);
    yenCampaignId = await campaignIn(brand, brandId, 'JPY', 3_000_000);
    dinarCampaignId = await campaignIn(brand, brandId, 'KWD', 3_000_000);
    otherCampaignId = await campaignIn(otherBrand, otherBrandId, 'USD', 300_000);

    await ok(
      stack,
      `mutation($id: ID!, $due: String!) { publishBrief(campaignId: $id, input: { brandStory: "Ledgers",
        deliverables: [{ platform: INSTAGRAM, format: REEL, count: 1, dueOn: $due }] }) { version } }`,
      { id: campaignId, due: daysFromToday(20) },
      brand,
    );
    partnershipId = await inviteWhenKnown(stack, brand, { campaignId, creatorId, fee: usd(50_000) });
    contractId = await acceptAndAwaitDraft(stack, partnershipId, creator, brand);
    await sendAndSign(stack, contractId, brand, [creator, brand]);
    // The plan is made from contract.executed; its ON_EXECUTION milestone is due and waits for funds.
    await eventually(
      async () =>
        (await db()(`SELECT 1 FROM comp_milestones WHERE trigger = 'ON_EXECUTION' AND status = 'DUE' AND awaiting IS NOT NULL`)).length > 0,
      60_000,
      'the signature milestone to wait for funds',
    );
    // Funding pays it before answering: the milestone's payout exists and goes to the manual provider.
    const funded = await ok<{ fundCampaign: { escrow: { amountMinor: number } } }>(
      stack,
      FUND,
      { input: { campaignId, amount: usd(100_000), idempotencyKey: 'hostile-fund-1' } },
      brand,
    );
    expect(funded.fundCampaign.escrow.amountMinor).toBe(100_000);
    milestonePayoutId = (
      await db()<{ id: string }>(`SELECT id FROM payouts WHERE reason = 'MILESTONE' AND partnership_id = $1`, [partnershipId])
    )[0].id;
    await awaitingConfirmation(milestonePayoutId);
    rateId = (
      await ok<{ setRateCardEntry: { id: string } }>(
        stack,
        SET_RATE,
        { input: { platform: 'INSTAGRAM', format: 'REEL', price: usd(40_000) } },
        creator,
      )
    ).setRateCardEntry.id;
    brandRateId = (
      await ok<{ setBrandRateCardEntry: { id: string } }>(
        stack,
        SET_BRAND_RATE,
        { input: { brandId, platform: 'INSTAGRAM', format: 'REEL', price: usd(35_000), validFrom: daysFromToday(0) } },
        brand,
      )
    ).setBrandRateCardEntry.id;
  }, 240_000);
  afterAll(() => stack?.close());

  it('refuses hostile fundings, writing nothing; amounts read with their currency’s decimals; a key replays once', async () => {
    await refuseAll([
      [
        'fundCampaign: a campaign id that is not a UUID',
        FUND,
        () => fund({ campaignId: 'c-1' }),
        () => brand,
        'BAD_USER_INPUT',
        'input.campaignId',
      ],
      [
        'fundCampaign: a NUL in the campaign id',
        FUND,
        () => fund({ campaignId: `${campaignId}\u0000` }),
        () => brand,
        'BAD_USER_INPUT',
        'input.campaignId',
      ],
      ['fundCampaign: a negative amount', FUND, () => fund({ amount: usd(-1) }), () => brand, 'BAD_USER_INPUT', 'input.amount.amountMinor'],
      [
        'fundCampaign: zero',
        FUND,
        () => fund({ amount: usd(0) }),
        () => brand,
        'BAD_USER_INPUT',
        'input.amount.amountMinor',
        { message: /must be more than 0/, notMessage: /non-negative/ },
      ],
      [
        'fundCampaign: a fractional amount',
        FUND,
        () => fund({ amount: usd(10.5) }),
        () => brand,
        'BAD_USER_INPUT',
        'input.amount.amountMinor',
      ],
      ['fundCampaign: 2^53', FUND, () => fund({ amount: usd(2 ** 53) }), () => brand, 'BAD_USER_INPUT', 'input.amount.amountMinor'],
      ['fundCampaign: 1e20', FUND, () => fund({ amount: usd(1e20) }), () => brand, 'BAD_USER_INPUT', 'input.amount.amountMinor'],
      [
        'fundCampaign: an amount as a string',
        FUND,
        () => fund({ amount: usd('100') }),
        () => brand,
        'BAD_USER_INPUT',
        'input.amount.amountMinor',
      ],
      [
        'fundCampaign: a fraction of a yen',
        FUND,
        () => fund({ campaignId: yenCampaignId, amount: { amountMinor: 1.5, currency: 'JPY' } }),
        () => brand,
        'BAD_USER_INPUT',
        'input.amount.amountMinor',
      ],
      [
        'fundCampaign: an unknown currency',
        FUND,
        () => fund({ amount: { amountMinor: 100, currency: 'ABC' } }),
        () => brand,
        'BAD_USER_INPUT',
        'input.amount.currency',
      ],
      [
        'fundCampaign: lower-case currency',
        FUND,
        () => fund({ amount: { amountMinor: 100, currency: 'usd' } }),
        () => brand,
        'BAD_USER_INPUT',
        'input.amount.currency',
      ],
      [
        'fundCampaign: XXX (no currency)',
        FUND,
        () => fund({ amount: { amountMinor: 100, currency: 'XXX' } }),
        () => brand,
        'BAD_USER_INPUT',
        'input.amount.currency',
      ],
      [
        'fundCampaign: XAU (gold)',
        FUND,
        () => fund({ amount: { amountMinor: 100, currency: 'XAU' } }),
        () => brand,
        'BAD_USER_INPUT',
        'input.amount.currency',
      ],
      [
        'fundCampaign: a NUL in the currency',
        FUND,
        () => fund({ amount: { amountMinor: 100, currency: 'US\u0000' } }),
        () => brand,
        'BAD_USER_INPUT',
        'input.amount.currency',
      ],
      [
        'fundCampaign: a huge currency',
        FUND,
        () => fund({ amount: { amountMinor: 100, currency: HUGE } }),
        () => brand,
        'BAD_USER_INPUT',
        'input.amount.currency',
      ],
      [
        'fundCampaign: another currency than the campaign’s',
        FUND,
        () => fund({ amount: { amountMinor: 100, currency: 'EUR' } }),
        () => brand,
        'BAD_USER_INPUT',
        'input.amount.currency',
      ],
      [
        'fundCampaign: USD into the dinar campaign',
        FUND,
        () => fund({ campaignId: dinarCampaignId, amount: usd(1_250) }),
        () => brand,
        'BAD_USER_INPUT',
        'input.amount.currency',
      ],
      ['fundCampaign: an empty key', FUND, () => fund({ idempotencyKey: '' }), () => brand, 'BAD_USER_INPUT', 'input.idempotencyKey'],
      ['fundCampaign: a NUL in the key', FUND, () => fund({ idempotencyKey: NUL }), () => brand, 'BAD_USER_INPUT', 'input.idempotencyKey'],
      ['fundCampaign: a huge key', FUND, () => fund({ idempotencyKey: HUGE }), () => brand, 'BAD_USER_INPUT', 'input.idempotencyKey'],
      [
        'fundCampaign: a key of 101 characters',
        FUND,
        () => fund({ idempotencyKey: 'k'.repeat(101) }),
        () => brand,
        'BAD_USER_INPUT',
        'input.idempotencyKey',
      ],
      [
        'fundCampaign: a key with spaces',
        FUND,
        () => fund({ idempotencyKey: 'my key' }),
        () => brand,
        'BAD_USER_INPUT',
        'input.idempotencyKey',
      ],
      ['fundCampaign: an unknown campaign', FUND, () => fund({ campaignId: UNKNOWN_UUID }), () => brand, 'NOT_FOUND'],
      ["fundCampaign: another brand's campaign", FUND, () => fund({ campaignId: otherCampaignId }), () => brand, 'NOT_FOUND'],
      ['fundCampaign: another brand', FUND, () => fund(), () => otherBrand, 'NOT_FOUND'],
      ['fundCampaign: an analyst', FUND, () => fund(), () => analyst, 'FORBIDDEN'],
      ['fundCampaign: the creator', FUND, () => fund(), () => creator, 'FORBIDDEN'],
      ['fundCampaign: a token with no role', FUND, () => fund(), () => noClaims, 'FORBIDDEN'],
      ['fundCampaign: no token', FUND, () => fund(), () => undefined, 'UNAUTHENTICATED'],
      ['fundCampaign: a forged token', FUND, () => fund(), () => `${brand.slice(0, -4)}AAAA`, 'UNAUTHENTICATED'],
      // Permission comes before values: an analyst with a bad amount hears that they may not fund.
      ['fundCampaign: an analyst with a negative amount', FUND, () => fund({ amount: usd(-5) }), () => analyst, 'FORBIDDEN'],
      // The key used for the first funding, with another amount or campaign.
      [
        'fundCampaign: a key reused with another amount',
        FUND,
        () => fund({ idempotencyKey: 'hostile-fund-1', amount: usd(99_999) }),
        () => brand,
        'CONFLICT',
        'input.idempotencyKey',
      ],
      [
        'fundCampaign: a key reused for another campaign',
        FUND,
        () => fund({ idempotencyKey: 'hostile-fund-1', campaignId: yenCampaignId, amount: { amountMinor: 100_000, currency: 'JPY' } }),
        () => brand,
        'CONFLICT',
        'input.idempotencyKey',
      ],
    ]);

    // The first funding's key, the same request: replayed, one transfer.
    const before = await state();
    const replay = await ok<{ fundCampaign: { replayed: boolean; amount: { amountMinor: number }; escrow: { amountMinor: number } } }>(
      stack,
      FUND,
      { input: { campaignId, amount: usd(100_000), idempotencyKey: 'hostile-fund-1' } },
      brand,
    );
    expect(replay.fundCampaign).toMatchObject({ replayed: true, amount: { amountMinor: 100_000 }, escrow: { amountMinor: 75_000 } });
    expect(await transfersOf(`fund:${brandId}:hostile-fund-1`)).toBe(1);
    expect(await state()).toEqual(before);

    // Whole minor units of each currency's exponent: 5,000 yen (0 decimals), 1.250 dinars (3 decimals).
    const yen = await ok<{ fundCampaign: { amount: { formatted: string } } }>(
      stack,
      FUND,
      { input: { campaignId: yenCampaignId, amount: { amountMinor: 5_000, currency: 'JPY' }, idempotencyKey: 'hostile-yen' } },
      brand,
    );
    expect(yen.fundCampaign.amount.formatted).toBe('¥5,000');
    const dinar = await ok<{ fundCampaign: { amount: { formatted: string }; escrow: { amountMinor: number; currency: string } } }>(
      stack,
      FUND,
      { input: { campaignId: dinarCampaignId, amount: { amountMinor: 1_250, currency: 'KWD' }, idempotencyKey: 'hostile-dinar' } },
      brand,
    );
    expect(dinar.fundCampaign.amount.formatted).toBe('KWD\u00a01.250');
    expect(dinar.fundCampaign.escrow).toMatchObject({ amountMinor: 1_250, currency: 'KWD' });

    // The largest safe amount is taken once; a second one would take the escrow past 2^53: refused, nothing written.
    await ok(
      stack,
      FUND,
      {
        input: {
          campaignId: yenCampaignId,
          amount: { amountMinor: Number.MAX_SAFE_INTEGER - 10_000, currency: 'JPY' },
          idempotencyKey: 'hostile-yen-max',
        },
      },
      brand,
    );
    await refuseAll([
      [
        'fundCampaign: past the largest safe balance',
        FUND,
        () => ({
          input: { campaignId: yenCampaignId, amount: { amountMinor: 10_000, currency: 'JPY' }, idempotencyKey: 'hostile-yen-over' },
        }),
        () => brand,
        'BAD_USER_INPUT',
        'input.amount.amountMinor',
      ],
    ]);
    const spend = await ok<{ campaign: { spend: { escrow: { amountMinor: number } } } }>(
      stack,
      CAMPAIGN_SPEND,
      { id: yenCampaignId },
      brand,
    );
    expect(spend.campaign.spend.escrow.amountMinor).toBe(Number.MAX_SAFE_INTEGER - 5_000);
  });

  it('refuses hostile payouts, writing nothing; a payout above the escrow says what is available; a key replays once', async () => {
    await refuseAll([
      [
        'createPayout: a partnership id that is not a UUID',
        CREATE,
        () => pay({ partnershipId: 'p' }),
        () => brand,
        'BAD_USER_INPUT',
        'input.partnershipId',
      ],
      [
        'createPayout: SQL in the partnership id',
        CREATE,
        () => pay({ partnershipId: "' OR 1=1 --" }),
        () => brand,
        'BAD_USER_INPUT',
        'input.partnershipId',
      ],
      [
        'createPayout: zero',
        CREATE,
        () => pay({ amount: usd(0) }),
        () => brand,
        'BAD_USER_INPUT',
        'input.amount.amountMinor',
        { message: /must be more than 0/, notMessage: /non-negative/ },
      ],
      [
        'createPayout: a negative amount',
        CREATE,
        () => pay({ amount: usd(-100) }),
        () => brand,
        'BAD_USER_INPUT',
        'input.amount.amountMinor',
        { message: /more than 0/, notMessage: /non-negative/ },
      ],
      [
        'createPayout: a fractional amount',
        CREATE,
        () => pay({ amount: usd(0.5) }),
        () => brand,
        'BAD_USER_INPUT',
        'input.amount.amountMinor',
      ],
      [
        'createPayout: 2^53 + 2',
        CREATE,
        () => pay({ amount: usd(2 ** 53 + 2) }),
        () => brand,
        'BAD_USER_INPUT',
        'input.amount.amountMinor',
      ],
      [
        'createPayout: a null amount (what JSON makes of 1e309)',
        CREATE,
        () => pay({ amount: usd(Number.POSITIVE_INFINITY) }),
        () => brand,
        'BAD_USER_INPUT',
      ],
      [
        'createPayout: a currency other than the partnership’s',
        CREATE,
        () => pay({ amount: { amountMinor: 100, currency: 'JPY' } }),
        () => brand,
        'BAD_USER_INPUT',
        'input.amount.currency',
      ],
      [
        'createPayout: an unknown currency',
        CREATE,
        () => pay({ amount: { amountMinor: 100, currency: 'QQQ' } }),
        () => brand,
        'BAD_USER_INPUT',
        'input.amount.currency',
      ],
      [
        'createPayout: XAU',
        CREATE,
        () => pay({ amount: { amountMinor: 100, currency: 'XAU' } }),
        () => brand,
        'BAD_USER_INPUT',
        'input.amount.currency',
      ],
      [
        'createPayout: XXX',
        CREATE,
        () => pay({ amount: { amountMinor: 100, currency: 'XXX' } }),
        () => brand,
        'BAD_USER_INPUT',
        'input.amount.currency',
      ],
      ['createPayout: a NUL in the reason', CREATE, () => pay({ reason: NUL }), () => brand, 'BAD_USER_INPUT', 'input.reason'],
      ['createPayout: a huge reason', CREATE, () => pay({ reason: HUGE }), () => brand, 'BAD_USER_INPUT', 'input.reason'],
      [
        'createPayout: a reason of 501 characters',
        CREATE,
        () => pay({ reason: 'r'.repeat(501) }),
        () => brand,
        'BAD_USER_INPUT',
        'input.reason',
      ],
      ['createPayout: a blank reason', CREATE, () => pay({ reason: '   ' }), () => brand, 'BAD_USER_INPUT', 'input.reason'],
      ['createPayout: an empty key', CREATE, () => pay({ idempotencyKey: '' }), () => brand, 'BAD_USER_INPUT', 'input.idempotencyKey'],
      [
        'createPayout: a NUL in the key',
        CREATE,
        () => pay({ idempotencyKey: `k${NUL}` }),
        () => brand,
        'BAD_USER_INPUT',
        'input.idempotencyKey',
      ],
      ['createPayout: a huge key', CREATE, () => pay({ idempotencyKey: HUGE }), () => brand, 'BAD_USER_INPUT', 'input.idempotencyKey'],
      [
        'createPayout: a key of 256 characters',
        CREATE,
        () => pay({ idempotencyKey: 'k'.repeat(256) }),
        () => brand,
        'BAD_USER_INPUT',
        'input.idempotencyKey',
      ],
      [
        'createPayout: a key in another script',
        CREATE,
        () => pay({ idempotencyKey: 'ключ' }),
        () => brand,
        'BAD_USER_INPUT',
        'input.idempotencyKey',
      ],
      [
        'createPayout: a NUL among other bad fields (shape first, alone)',
        CREATE,
        () => pay({ amount: usd(0), reason: NUL, idempotencyKey: '' }),
        () => brand,
        'BAD_USER_INPUT',
        'input.reason',
      ],
      [
        'createPayout: several bad values at once',
        CREATE,
        () => pay({ amount: { amountMinor: 0, currency: 'XAU' }, reason: ' ', idempotencyKey: '' }),
        () => brand,
        'BAD_USER_INPUT',
        'input.idempotencyKey',
        {
          extensions: {
            problems: [
              { field: 'input.idempotencyKey', reason: expect.any(String) },
              { field: 'input.amount.currency', reason: expect.any(String) },
              { field: 'input.amount.amountMinor', reason: 'must be more than 0, in whole minor units' },
              { field: 'input.reason', reason: 'must be 1 to 500 characters of visible text' },
            ],
          },
        },
      ],
      ['createPayout: an unknown partnership', CREATE, () => pay({ partnershipId: UNKNOWN_UUID }), () => brand, 'NOT_FOUND'],
      ["createPayout: another brand's member", CREATE, () => pay(), () => otherBrand, 'NOT_FOUND'],
      ['createPayout: an analyst', CREATE, () => pay(), () => analyst, 'FORBIDDEN'],
      ['createPayout: the creator paying themself', CREATE, () => pay(), () => creator, 'FORBIDDEN'],
      ['createPayout: no token', CREATE, () => pay(), () => undefined, 'UNAUTHENTICATED'],
      ['createPayout: an analyst with a bad amount', CREATE, () => pay({ amount: usd(0) }), () => analyst, 'FORBIDDEN'],
      // The escrow holds 75,000 (100,000 funded, 25,000 paid for the signature milestone).
      [
        'createPayout: above the escrow',
        CREATE,
        () => pay({ amount: usd(75_001), idempotencyKey: 'hostile-too-much' }),
        () => brand,
        'INVALID_STATE',
        undefined,
        {
          message: /^The campaign's escrow has \$750\.00 available, less than this needs: fund the campaign first$/,
          notMessage: /750\.01|75001|75,001/,
          extensions: { reason: 'INSUFFICIENT_FUNDS', balanceMinor: 75_000, neededMinor: 75_001 },
        },
      ],
      [
        'createPayout: far above the escrow',
        CREATE,
        () => pay({ amount: usd(Number.MAX_SAFE_INTEGER), idempotencyKey: 'hostile-way-too-much' }),
        () => brand,
        'INVALID_STATE',
        undefined,
        { notMessage: /9007199254740991|90,071,992,547,409\.91/, extensions: { reason: 'INSUFFICIENT_FUNDS' } },
      ],
    ]);

    // A refused request stored no key: the same key pays once the request is good.
    const first = await ok<{ createPayout: { replayed: boolean; payout: { id: string; status: string; amount: { formatted: string } } } }>(
      stack,
      CREATE,
      pay({ amount: usd(75_000), idempotencyKey: 'hostile-too-much' }),
      brand,
    );
    expect(first.createPayout).toMatchObject({ replayed: false, payout: { status: 'PENDING', amount: { formatted: '$750.00' } } });
    const adhocId = first.createPayout.payout.id;
    await awaitingConfirmation(adhocId);
    const accrual = (await db()<{ idempotency_key: string }>(`SELECT idempotency_key FROM payouts WHERE id = $1`, [adhocId]))[0]
      .idempotency_key;
    // The same key and request: the same payout, replayed, nothing new posted.
    const before = await state();
    const again = await ok<{ createPayout: { replayed: boolean; payout: { id: string } } }>(
      stack,
      CREATE,
      pay({ amount: usd(75_000), idempotencyKey: 'hostile-too-much' }),
      brand,
    );
    expect(again.createPayout).toEqual({ replayed: true, payout: expect.objectContaining({ id: adhocId }) });
    expect(await state()).toEqual(before);
    expect(await transfersOf(accrual)).toBe(1);
    expect(await transfersOf(`payout:${adhocId}:start:1`)).toBe(1);
    // The same key with other parameters: CONFLICT on the key; the escrow is empty now, too.
    await refuseAll([
      [
        'createPayout: a key reused with another amount',
        CREATE,
        () => pay({ amount: usd(1), idempotencyKey: 'hostile-too-much' }),
        () => brand,
        'CONFLICT',
        'input.idempotencyKey',
      ],
      [
        'createPayout: a key reused with another reason',
        CREATE,
        () => pay({ amount: usd(75_000), reason: 'other', idempotencyKey: 'hostile-too-much' }),
        () => brand,
        'CONFLICT',
        'input.idempotencyKey',
      ],
      [
        'createPayout: an empty escrow',
        CREATE,
        () => pay({ amount: usd(1), idempotencyKey: 'hostile-empty' }),
        () => brand,
        'INVALID_STATE',
        undefined,
        { message: /\$0\.00 available/, extensions: { reason: 'INSUFFICIENT_FUNDS', balanceMinor: 0 } },
      ],
    ]);
    // Another brand using the same key is another key: refused for the partnership (not found), not a replay.
    await refuseAll([
      [
        'createPayout: the key from another brand',
        CREATE,
        () => pay({ amount: usd(75_000), idempotencyKey: 'hostile-too-much' }),
        () => otherBrand,
        'NOT_FOUND',
      ],
    ]);
  });

  it('shows money to those who may see it: everyone else is refused or gets nothing', async () => {
    const payouts = (await db()<{ id: string }>(`SELECT id FROM payouts WHERE partnership_id = $1`, [partnershipId])).map((p) => p.id);
    expect(payouts).toHaveLength(2);
    const year = new Date().getUTCFullYear();
    await refuseAll([
      ['payout: not a UUID', PAYOUT, () => ({ id: 'payout-1' }), () => brand, 'BAD_USER_INPUT', 'id'],
      ['payout: a NUL', PAYOUT, () => ({ id: `${milestonePayoutId}\u0000` }), () => brand, 'BAD_USER_INPUT', 'id'],
      ['payout: a huge id', PAYOUT, () => ({ id: HUGE }), () => brand, 'BAD_USER_INPUT', 'id'],
      ['payout: unknown', PAYOUT, () => ({ id: UNKNOWN_UUID }), () => admin, 'NOT_FOUND'],
      ["payout: another creator's", PAYOUT, () => ({ id: milestonePayoutId }), () => otherCreator, 'NOT_FOUND'],
      ["payout: another brand's", PAYOUT, () => ({ id: milestonePayoutId }), () => otherBrand, 'NOT_FOUND'],
      ['payout: an analyst of the brand', PAYOUT, () => ({ id: milestonePayoutId }), () => analyst, 'NOT_FOUND'],
      ['payout: no token', PAYOUT, () => ({ id: milestonePayoutId }), () => undefined, 'UNAUTHENTICATED'],
      ["myPayments: another creator's", MY_PAYMENTS, () => ({ creatorId }), () => otherCreator, 'FORBIDDEN'],
      ['myPayments: a brand member', MY_PAYMENTS, () => ({}), () => brand, 'FORBIDDEN'],
      ['myPayments: an analyst', MY_PAYMENTS, () => ({ creatorId }), () => analyst, 'FORBIDDEN'],
      ['myPayments: no token', MY_PAYMENTS, () => ({}), () => undefined, 'UNAUTHENTICATED'],
      ['myPayments: an admin naming nobody', MY_PAYMENTS, () => ({}), () => admin, 'BAD_USER_INPUT', 'creatorId'],
      [
        'myPayments: a creator id that is not a UUID',
        MY_PAYMENTS,
        () => ({ creatorId: 'me' }),
        () => creator,
        'BAD_USER_INPUT',
        'creatorId',
      ],
      ['myPayments: first 0', MY_PAYMENTS, () => ({ first: 0 }), () => creator, 'BAD_USER_INPUT', 'first'],
      ['myPayments: first 101', MY_PAYMENTS, () => ({ first: 101 }), () => creator, 'BAD_USER_INPUT', 'first'],
      ['myPayments: first 2^31', MY_PAYMENTS, () => ({ first: 2 ** 31 }), () => creator, 'BAD_USER_INPUT', 'first'],
      ['myPayments: a cursor not ours', MY_PAYMENTS, () => ({ after: 'bm90LWEtY3Vyc29y' }), () => creator, 'BAD_USER_INPUT', 'after'],
      ['myPayments: a cursor with a NUL', MY_PAYMENTS, () => ({ after: NUL }), () => creator, 'BAD_USER_INPUT', 'after'],
      ['myPayments: a date that does not exist', MY_PAYMENTS, () => ({ from: '2026-02-30' }), () => creator, 'BAD_USER_INPUT', 'from'],
      ['myPayments: from after to', MY_PAYMENTS, () => ({ from: '2026-12-31', to: '2026-01-01' }), () => creator, 'BAD_USER_INPUT', 'from'],
      ['myPayments: a huge date', MY_PAYMENTS, () => ({ to: HUGE }), () => creator, 'BAD_USER_INPUT', 'to'],
      ["brandPayments: another brand's", BRAND_PAYMENTS, () => ({ brandId }), () => otherBrand, 'FORBIDDEN'],
      ['brandPayments: an analyst', BRAND_PAYMENTS, () => ({ brandId }), () => analyst, 'FORBIDDEN'],
      ['brandPayments: the creator', BRAND_PAYMENTS, () => ({ brandId }), () => creator, 'FORBIDDEN'],
      ['brandPayments: no token', BRAND_PAYMENTS, () => ({ brandId }), () => undefined, 'UNAUTHENTICATED'],
      ['brandPayments: not a UUID', BRAND_PAYMENTS, () => ({ brandId: '1 OR 1=1' }), () => brand, 'BAD_USER_INPUT', 'brandId'],
      [
        'brandPayments: a campaign id that is not a UUID',
        BRAND_PAYMENTS,
        () => ({ brandId, campaignId: 'x' }),
        () => brand,
        'BAD_USER_INPUT',
        'campaignId',
      ],
      ["creatorStatement: another creator's", STATEMENT, () => ({ year, creatorId }), () => otherCreator, 'FORBIDDEN'],
      ['creatorStatement: a brand member', STATEMENT, () => ({ year, creatorId }), () => brand, 'FORBIDDEN'],
      ['creatorStatement: an analyst', STATEMENT, () => ({ year, creatorId }), () => analyst, 'FORBIDDEN'],
      ['creatorStatement: no token', STATEMENT, () => ({ year }), () => undefined, 'UNAUTHENTICATED'],
      ['creatorStatement: the year 1999', STATEMENT, () => ({ year: 1999 }), () => creator, 'BAD_USER_INPUT', 'year'],
      ['creatorStatement: the year 9999', STATEMENT, () => ({ year: 9999 }), () => creator, 'BAD_USER_INPUT', 'year'],
      ['creatorStatement: a negative year', STATEMENT, () => ({ year: -2026 }), () => creator, 'BAD_USER_INPUT', 'year'],
      ['creatorStatement: a fractional year', STATEMENT, () => ({ year: 2026.5 }), () => creator, 'BAD_USER_INPUT', 'year'],
      ['creatorStatement: a year as a string', STATEMENT, () => ({ year: '2026' }), () => creator, 'BAD_USER_INPUT', 'year'],
      ['creatorStatement: an admin naming nobody', STATEMENT, () => ({ year }), () => admin, 'BAD_USER_INPUT', 'creatorId'],
    ]);

    // The federation extensions answer null (lists: empty) for whoever may not read them.
    const extensions: [string, string, Record<string, unknown>, string | undefined, (d: unknown) => unknown, unknown][] = [
      [
        "another creator: the partnership's money",
        PARTNERSHIP_MONEY,
        { id: partnershipId },
        otherCreator,
        (d) => at(d, 'partnership'),
        null,
      ],
      ["the brand's analyst: payouts", PARTNERSHIP_MONEY, { id: partnershipId }, analyst, (d) => at(d, 'partnership.payouts'), []],
      [
        "the brand's analyst: milestones without payout ids",
        PARTNERSHIP_MONEY,
        { id: partnershipId },
        analyst,
        (d) => (at(d, 'partnership.compensation.milestones') as { payoutId: unknown }[]).map((m) => m.payoutId),
        [null, null],
      ],
      [
        "the brand's analyst: the contract's milestones without payout ids",
        CONTRACT_MILESTONES,
        { id: contractId },
        analyst,
        (d) => (at(d, 'contract.milestones') as { payoutId: unknown }[] | null)?.map((m) => m.payoutId) ?? null,
        [null, null],
      ],
      [
        "another creator: the contract's milestones",
        CONTRACT_MILESTONES,
        { id: contractId },
        otherCreator,
        (d) => at(d, 'contract.milestones'),
        null,
      ],
      [
        "another brand: the contract's milestones",
        CONTRACT_MILESTONES,
        { id: contractId },
        otherBrand,
        (d) => at(d, 'contract.milestones'),
        null,
      ],
      ["another brand: the campaign's spend", CAMPAIGN_SPEND, { id: campaignId }, otherBrand, (d) => at(d, 'campaign.spend'), null],
      ["another brand: the brand's balance", BRAND_BALANCE, { id: brandId }, otherBrand, (d) => at(d, 'brand.balance'), null],
      ["the creator: the brand's balance", BRAND_BALANCE, { id: brandId }, creator, (d) => at(d, 'brand.balance'), null],
      ["another creator: the creator's earnings", EARNINGS, { id: creatorId }, otherCreator, (d) => at(d, 'creator.earnings'), null],
      ["the brand: the creator's earnings", EARNINGS, { id: creatorId }, brand, (d) => at(d, 'creator.earnings'), null],
      ["the analyst: the creator's earnings", EARNINGS, { id: creatorId }, analyst, (d) => at(d, 'creator.earnings'), null],
    ];
    for (const [name, query, variables, token, pick, expected] of extensions) {
      const r = await stack.query<Record<string, unknown>>(query, variables, token);
      try {
        // The entity's own subgraph may refuse the whole read (campaign: another brand's brand, another creator's partnership).
        if (r.data == null || Object.values(r.data).every((v) => v === null)) {
          expect(['FORBIDDEN', 'NOT_FOUND']).toContain(r.errors?.[0]?.extensions?.code);
          expectRefusal(r, String(r.errors![0].extensions!.code));
        } else expect(pick(r.data)).toEqual(expected);
        expectNoLeak(r);
      } catch (err) {
        throw new Error(`${name}: ${(err as Error).message}\n${JSON.stringify(r)}`);
      }
    }
    // An analyst reads the spend (not who was paid what), and cannot pay: above.
    const spend = await ok<{ campaign: { spend: { accrued: { amountMinor: number } } } }>(
      stack,
      CAMPAIGN_SPEND,
      { id: campaignId },
      analyst,
    );
    expect(spend.campaign.spend.accrued.amountMinor).toBe(100_000);
    const balance = await ok<{ brand: { balance: { currency: string }[] } }>(stack, BRAND_BALANCE, { id: brandId }, analyst);
    expect(balance.brand.balance.map((b) => b.currency).sort()).toEqual(['JPY', 'KWD', 'USD']);
    // The creator and the brand see both payouts; the creator's own history too.
    const mine = await ok<{ myPayments: { edges: unknown[] } }>(stack, MY_PAYMENTS, {}, creator);
    expect(mine.myPayments.edges).toHaveLength(2);
    const others = await ok<{ myPayments: { edges: unknown[] } }>(stack, MY_PAYMENTS, {}, otherCreator);
    expect(others.myPayments.edges).toHaveLength(0);
  });

  it('keeps admins’ moves of manual transfers to admins, refuses their bad input and moves that do not apply', async () => {
    const [adhocId] = (
      await db()<{ id: string }>(`SELECT id FROM payouts WHERE partnership_id = $1 AND reason = 'AD_HOC'`, [partnershipId])
    ).map((p) => p.id);
    const everyoneElse: [string, () => string | undefined, string][] = [
      ['the brand member', () => brand, 'FORBIDDEN'],
      ['the analyst', () => analyst, 'FORBIDDEN'],
      ['the creator', () => creator, 'FORBIDDEN'],
      ['another brand', () => otherBrand, 'FORBIDDEN'],
      ['a token with no role', () => noClaims, 'FORBIDDEN'],
      ['no token', () => undefined, 'UNAUTHENTICATED'],
    ];
    const moves: [string, string, (id: string) => Record<string, unknown>][] = [
      ['confirmManualPayout', CONFIRM, (id) => ({ id, reference: 'BANK-REF-1' })],
      ['failManualPayout', FAIL, (id) => ({ id, reason: 'the bank bounced it' })],
      ['retryPayout', RETRY, (id) => ({ id })],
      ['reversePayout', REVERSE, (id) => ({ id, reason: 'returned by the bank' })],
    ];
    const cases: RefusalCase[] = [];
    for (const [move, query, vars] of moves) {
      for (const [who, token, code] of everyoneElse) cases.push([`${move}: ${who}`, query, () => vars(milestonePayoutId), token, code]);
      cases.push([`${move}: not a UUID`, query, () => vars('1; DROP TABLE payouts'), () => admin, 'BAD_USER_INPUT', 'id']);
      cases.push([`${move}: a NUL in the id`, query, () => vars(`${milestonePayoutId}\u0000`), () => admin, 'BAD_USER_INPUT', 'id']);
      cases.push([`${move}: unknown`, query, () => vars(UNKNOWN_UUID), () => admin, 'NOT_FOUND']);
      if (move !== 'retryPayout') {
        // Shape first (a NUL byte, before anyone's permission is known), then permission, then values:
        // a brand member's over-long text hears that they may not do it, not what is wrong with it.
        const field = move === 'confirmManualPayout' ? 'reference' : 'reason';
        cases.push([
          `${move}: the brand member with a NUL`,
          query,
          () => ({ ...vars(milestonePayoutId), [field]: NUL }),
          () => brand,
          'BAD_USER_INPUT',
          field,
        ]);
        cases.push([
          `${move}: the brand member with 501 characters`,
          query,
          () => ({ ...vars(milestonePayoutId), [field]: 'n'.repeat(501) }),
          () => brand,
          'FORBIDDEN',
        ]);
        cases.push([
          `${move}: the creator with a blank ${field}`,
          query,
          () => ({ ...vars(milestonePayoutId), [field]: '  ' }),
          () => creator,
          'FORBIDDEN',
        ]);
      }
    }
    cases.push(
      [
        'confirmManualPayout: a NUL in the reference',
        CONFIRM,
        () => ({ id: milestonePayoutId, reference: NUL }),
        () => admin,
        'BAD_USER_INPUT',
        'reference',
      ],
      [
        'confirmManualPayout: a huge reference',
        CONFIRM,
        () => ({ id: milestonePayoutId, reference: HUGE }),
        () => admin,
        'BAD_USER_INPUT',
        'reference',
      ],
      [
        'confirmManualPayout: a blank reference',
        CONFIRM,
        () => ({ id: milestonePayoutId, reference: ' \t ' }),
        () => admin,
        'BAD_USER_INPUT',
        'reference',
      ],
      [
        'confirmManualPayout: a reference of 501 characters',
        CONFIRM,
        () => ({ id: milestonePayoutId, reference: 'r'.repeat(501) }),
        () => admin,
        'BAD_USER_INPUT',
        'reference',
      ],
      [
        'failManualPayout: a NUL in the reason',
        FAIL,
        () => ({ id: milestonePayoutId, reason: NUL }),
        () => admin,
        'BAD_USER_INPUT',
        'reason',
      ],
      ['failManualPayout: a huge reason', FAIL, () => ({ id: milestonePayoutId, reason: HUGE }), () => admin, 'BAD_USER_INPUT', 'reason'],
      [
        'reversePayout: a NUL in the reason',
        REVERSE,
        () => ({ id: milestonePayoutId, reason: NUL }),
        () => admin,
        'BAD_USER_INPUT',
        'reason',
      ],
      // Moves that do not apply to a transfer awaiting confirmation.
      ['retryPayout: a pending payout', RETRY, () => ({ id: milestonePayoutId }), () => admin, 'INVALID_STATE'],
      ['reversePayout: a pending payout', REVERSE, () => ({ id: milestonePayoutId, reason: 'no' }), () => admin, 'INVALID_STATE'],
    );
    await refuseAll(cases);

    // An admin confirms the milestone's transfer; the same confirmation again is refused, and it was paid once.
    expect(
      (await ok<{ confirmManualPayout: { status: string } }>(stack, CONFIRM, { id: milestonePayoutId, reference: 'BANK-REF-1' }, admin))
        .confirmManualPayout.status,
    ).toBe('SUCCEEDED');
    await refuseAll([
      [
        'confirmManualPayout: confirmed again',
        CONFIRM,
        () => ({ id: milestonePayoutId, reference: 'BANK-REF-1' }),
        () => admin,
        'INVALID_STATE',
      ],
      ['failManualPayout: a confirmed transfer', FAIL, () => ({ id: milestonePayoutId, reason: 'late' }), () => admin, 'INVALID_STATE'],
      ['retryPayout: a succeeded payout', RETRY, () => ({ id: milestonePayoutId }), () => admin, 'INVALID_STATE'],
      ['reversePayout: the creator', REVERSE, () => ({ id: milestonePayoutId, reason: 'mine' }), () => creator, 'FORBIDDEN'],
    ]);
    expect(await transfersOf(`payout:${milestonePayoutId}:settle:1`)).toBe(1);
    // Reversed once; again is refused.
    expect(
      (await ok<{ reversePayout: { status: string } }>(stack, REVERSE, { id: milestonePayoutId, reason: 'returned by the bank' }, admin))
        .reversePayout.status,
    ).toBe('REVERSED');
    await refuseAll([
      ['reversePayout: reversed again', REVERSE, () => ({ id: milestonePayoutId, reason: 'again' }), () => admin, 'INVALID_STATE'],
    ]);
    expect(await transfersOf(`payout:${milestonePayoutId}:reverse`)).toBe(1);

    // The ad hoc transfer fails (final); retried by an admin it is pending again, once.
    expect(
      (
        await ok<{ failManualPayout: { status: string; finalFailure: boolean } }>(
          stack,
          FAIL,
          { id: adhocId, reason: 'account closed' },
          admin,
        )
      ).failManualPayout,
    ).toEqual({ id: adhocId, status: 'FAILED', finalFailure: true });
    await refuseAll([
      ['failManualPayout: failed again', FAIL, () => ({ id: adhocId, reason: 'again' }), () => admin, 'INVALID_STATE'],
      ['retryPayout: the brand', RETRY, () => ({ id: adhocId }), () => brand, 'FORBIDDEN'],
    ]);
    expect((await ok<{ retryPayout: { status: string; attemptCount: number } }>(stack, RETRY, { id: adhocId }, admin)).retryPayout).toEqual(
      { id: adhocId, status: 'PENDING', attemptCount: 2 },
    );
    await awaitingConfirmation(adhocId);
    await refuseAll([['retryPayout: retried again', RETRY, () => ({ id: adhocId }), () => admin, 'INVALID_STATE']]);
    expect(await transfersOf(`payout:${adhocId}:start:2`)).toBe(1);
    expect(await transfersOf(`payout:${adhocId}:start:3`)).toBe(0);
  });

  it('applies a contract.executed delivered again, or again under another id, once', async () => {
    const [executed] = await dbOf(stack, 'contracts')<{ topic: string; envelope: CloudEvent }>(
      `SELECT topic, envelope FROM outbox WHERE type = 'contract.executed' AND key = $1`,
      [contractId],
    );
    expect(executed).toBeDefined();
    const before = await state();
    const { brokers, topicPrefix } = stack.subgraphs.contracts.config.kafka;
    const topic = physicalTopic(topicPrefix, executed.topic);
    await publishRawEvent(brokers, topic, executed.envelope, 2);
    const again = { ...executed.envelope, id: randomUUID() };
    await publishRawEvent(brokers, topic, again, 1);
    // Both reach payments' inbox (the new id is applied), and nothing else changes: one plan, one payout per milestone.
    await appliedByEveryConsumer(executed.envelope.id, again.id);
    expect(await state()).toEqual(before);
    expect((await db()(`SELECT count(*)::int AS n FROM comp_plans WHERE contract_id = $1`, [contractId]))[0].n).toBe(1);
    expect((await db()(`SELECT count(*)::int AS n FROM payouts WHERE reason = 'MILESTONE'`))[0].n).toBe(1);
  });

  it('answers hostile calls of the statement download and malformed bodies with a JSON error, never a stack', async () => {
    const year = new Date().getUTCFullYear();
    const get = async (path: string, token?: string) => {
      const res = await fetch(`${origin}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      const text = await res.text();
      expect(text).not.toMatch(/<html|<!doctype|\bat .+:\d+:\d+|node_modules|QueryFailedError/i);
      expect(text).not.toMatch(INTERNAL);
      expect(res.headers.get('content-disposition')).toBeNull();
      return {
        status: res.status,
        type: res.headers.get('content-type'),
        body: JSON.parse(text) as { error: { code: string; field?: string } },
      };
    };
    const before = await state();
    const refusals: [string, string, string | undefined, number, Record<string, unknown>][] = [
      ['no token', `/statements/${year}.csv`, undefined, 401, { code: 'UNAUTHENTICATED' }],
      ['a forged token', `/statements/${year}.pdf`, `${creator.slice(0, -4)}AAAA`, 401, { code: 'UNAUTHENTICATED' }],
      ['a brand member', `/statements/${year}.csv`, brand, 403, { code: 'FORBIDDEN' }],
      ['an analyst', `/statements/${year}.csv?creatorId=${creatorId}`, analyst, 403, { code: 'FORBIDDEN' }],
      ["another creator's", `/statements/${year}.pdf?creatorId=${creatorId}`, otherCreator, 403, { code: 'FORBIDDEN' }],
      ['an admin naming nobody', `/statements/${year}.csv`, admin, 400, { code: 'BAD_USER_INPUT', field: 'creatorId' }],
      [
        'a creator id that is not a UUID',
        `/statements/${year}.csv?creatorId=me`,
        creator,
        400,
        { code: 'BAD_USER_INPUT', field: 'creatorId' },
      ],
      [
        'a NUL in the creator id',
        `/statements/${year}.csv?creatorId=${creatorId}%00`,
        admin,
        400,
        { code: 'BAD_USER_INPUT', field: 'creatorId' },
      ],
      [
        'two creator ids',
        `/statements/${year}.csv?creatorId=${creatorId}&creatorId=${otherCreatorId}`,
        admin,
        400,
        { code: 'BAD_USER_INPUT', field: 'creatorId' },
      ],
      [
        'a huge creator id',
        `/statements/${year}.csv?creatorId=${'x'.repeat(8_000)}`,
        admin,
        400,
        { code: 'BAD_USER_INPUT', field: 'creatorId' },
      ],
      ['the year 1999', `/statements/1999.csv`, creator, 400, { code: 'BAD_USER_INPUT', field: 'year' }],
      ['the year 0000', `/statements/0000.pdf`, creator, 400, { code: 'BAD_USER_INPUT', field: 'year' }],
      ['the year 9999', `/statements/9999.csv`, creator, 400, { code: 'BAD_USER_INPUT', field: 'year' }],
      ['a five-digit year', `/statements/20260.csv`, creator, 404, { code: 'NOT_FOUND' }],
      ['a negative year', `/statements/-2026.csv`, creator, 404, { code: 'NOT_FOUND' }],
      ['another kind of file', `/statements/${year}.xlsx`, creator, 404, { code: 'NOT_FOUND' }],
      ['a NUL in the file name', `/statements/${year}%00.csv`, creator, 404, { code: 'NOT_FOUND' }],
      ['a path out of the folder', `/statements/..%2f..%2fetc%2fpasswd`, creator, 404, { code: 'NOT_FOUND' }],
    ];
    for (const [name, path, token, status, error] of refusals) {
      const r = await get(path, token);
      try {
        expect(r.status).toBe(status);
        expect(r.type).toMatch(/^application\/json/);
        expect(r.body.error).toMatchObject(error);
      } catch (err) {
        throw new Error(`statements, ${name}: ${(err as Error).message}\n${JSON.stringify(r.body).slice(0, 500)}`);
      }
    }
    // The creator's own file is theirs: a reversal of a payment made this year nets to nothing.
    const mine = await fetch(`${origin}/statements/${year}.csv`, { headers: { authorization: `Bearer ${creator}` } });
    expect(mine.status).toBe(200);
    expect(await mine.text()).toContain(',REVERSAL,');

    // Bodies the GraphQL endpoint cannot read, or whose variables do not fit the payments mutations.
    const post = async (body: string, contentType = 'application/json') => {
      const res = await fetch(stack.gateway.url, {
        method: 'POST',
        headers: { 'content-type': contentType, authorization: `Bearer ${brand}` },
        body,
      });
      const text = await res.text();
      expect(text).not.toMatch(/<html|<!doctype|\bat .+:\d+:\d+|node_modules/i);
      expect(text).not.toMatch(INTERNAL);
      return { status: res.status, body: JSON.parse(text) as { errors?: { extensions?: { code?: string; field?: string } }[] } };
    };
    const bodies: [string, string, string | undefined, string][] = [
      ['malformed JSON', '{"query": "mutation { fundCampaign', undefined, 'BAD_REQUEST'],
      ['JSON that is not an object', JSON.stringify([FUND]), undefined, 'BAD_REQUEST'],
      ['variables that are not an object', JSON.stringify({ query: FUND, variables: 'input' }), undefined, 'BAD_REQUEST'],
      ['no input', JSON.stringify({ query: FUND, variables: {} }), undefined, 'BAD_USER_INPUT'],
      ['an input that is a string', JSON.stringify({ query: FUND, variables: { input: 'fund it' } }), undefined, 'BAD_USER_INPUT'],
      [
        'an amount that is an object',
        JSON.stringify({ query: CREATE, variables: pay({ amount: { amountMinor: { $gt: 0 }, currency: 'USD' } }) }),
        undefined,
        'BAD_USER_INPUT',
      ],
      [
        'an amount of 1e400',
        `{"query": ${JSON.stringify(FUND)}, "variables": {"input": {"campaignId": "${campaignId}", "amount": {"amountMinor": 1e400, "currency": "USD"}, "idempotencyKey": "k"}}}`,
        undefined,
        'BAD_USER_INPUT',
      ],
      ['an unknown input field', JSON.stringify({ query: CREATE, variables: pay({ brandId: otherBrandId }) }), undefined, 'BAD_USER_INPUT'],
      [
        'a literal negative amount',
        JSON.stringify({
          query: `mutation { fundCampaign(input: { campaignId: "${campaignId}", amount: { amountMinor: -5, currency: "USD" }, idempotencyKey: "lit" }) { transferId } }`,
        }),
        undefined,
        'BAD_USER_INPUT',
      ],
      [
        'a literal fractional amount',
        JSON.stringify({
          query: `mutation { createPayout(input: { partnershipId: "${partnershipId}", amount: { amountMinor: 1.5, currency: "USD" }, idempotencyKey: "lit" }) { replayed } }`,
        }),
        undefined,
        'BAD_USER_INPUT',
      ],
    ];
    for (const [name, body, , code] of bodies) {
      const r = await post(body);
      try {
        expect(r.body.errors?.[0]?.extensions?.code).toBe(code);
      } catch (err) {
        throw new Error(`body, ${name}: ${(err as Error).message}\n${JSON.stringify(r.body).slice(0, 500)}`);
      }
    }
    expect(await state()).toEqual(before);
  });

  it('refuses hostile rate card changes and reads, writing nothing', async () => {
    const card = (over: Record<string, unknown> = {}) => ({
      input: { platform: 'INSTAGRAM', format: 'REEL', price: usd(40_000), ...over },
    });
    const brandCard = (over: Record<string, unknown> = {}) => ({
      input: { brandId, platform: 'TIKTOK', format: 'VIDEO', price: usd(10_000), validFrom: daysFromToday(1), ...over },
    });
    await refuseAll([
      [
        'setRateCardEntry: a negative price',
        SET_RATE,
        () => card({ price: usd(-1) }),
        () => creator,
        'BAD_USER_INPUT',
        'input.price.amountMinor',
      ],
      [
        'setRateCardEntry: a fractional price',
        SET_RATE,
        () => card({ price: usd(1.25) }),
        () => creator,
        'BAD_USER_INPUT',
        'input.price.amountMinor',
      ],
      ['setRateCardEntry: 2^53', SET_RATE, () => card({ price: usd(2 ** 53) }), () => creator, 'BAD_USER_INPUT', 'input.price.amountMinor'],
      [
        'setRateCardEntry: XAU',
        SET_RATE,
        () => card({ price: { amountMinor: 1, currency: 'XAU' } }),
        () => creator,
        'BAD_USER_INPUT',
        'input.price.currency',
      ],
      [
        'setRateCardEntry: a NUL in the currency',
        SET_RATE,
        () => card({ price: { amountMinor: 1, currency: `U${NUL}` } }),
        () => creator,
        'BAD_USER_INPUT',
        'input.price.currency',
      ],
      ['setRateCardEntry: an unknown platform', SET_RATE, () => card({ platform: 'MYSPACE' }), () => creator, 'BAD_USER_INPUT'],
      ["setRateCardEntry: another creator's card", SET_RATE, () => card({ creatorId: otherCreatorId }), () => creator, 'FORBIDDEN'],
      [
        'setRateCardEntry: a creator id that is not a UUID',
        SET_RATE,
        () => card({ creatorId: 'them' }),
        () => creator,
        'BAD_USER_INPUT',
        'input.creatorId',
      ],
      ['setRateCardEntry: a brand member', SET_RATE, () => card(), () => brand, 'FORBIDDEN'],
      ['setRateCardEntry: no token', SET_RATE, () => card(), () => undefined, 'UNAUTHENTICATED'],
      ['removeRateCardEntry: not a UUID', REMOVE_RATE, () => ({ id: 'r' }), () => creator, 'BAD_USER_INPUT', 'id'],
      ["removeRateCardEntry: another creator's", REMOVE_RATE, () => ({ id: rateId }), () => otherCreator, 'NOT_FOUND'],
      ['removeRateCardEntry: a brand member', REMOVE_RATE, () => ({ id: rateId }), () => brand, 'FORBIDDEN'],
      ['myRateCard: no token', MY_RATES, () => ({}), () => undefined, 'UNAUTHENTICATED'],
      ['myRateCard: a brand member', MY_RATES, () => ({}), () => brand, 'FORBIDDEN'],
      [
        'setBrandRateCardEntry: a negative price',
        SET_BRAND_RATE,
        () => brandCard({ price: usd(-1) }),
        () => brand,
        'BAD_USER_INPUT',
        'input.price.amountMinor',
      ],
      [
        'setBrandRateCardEntry: XXX',
        SET_BRAND_RATE,
        () => brandCard({ price: { amountMinor: 1, currency: 'XXX' } }),
        () => brand,
        'BAD_USER_INPUT',
        'input.price.currency',
      ],
      [
        'setBrandRateCardEntry: a date that does not exist',
        SET_BRAND_RATE,
        () => brandCard({ validFrom: '2026-02-30' }),
        () => brand,
        'BAD_USER_INPUT',
        'input.validFrom',
      ],
      [
        'setBrandRateCardEntry: a NUL in a date',
        SET_BRAND_RATE,
        () => brandCard({ validFrom: `2026-01-01${NUL}` }),
        () => brand,
        'BAD_USER_INPUT',
        'input.validFrom',
      ],
      [
        'setBrandRateCardEntry: a huge date',
        SET_BRAND_RATE,
        () => brandCard({ validUntil: HUGE }),
        () => brand,
        'BAD_USER_INPUT',
        'input.validUntil',
      ],
      [
        'setBrandRateCardEntry: a brand id that is not a UUID',
        SET_BRAND_RATE,
        () => brandCard({ brandId: 'b' }),
        () => brand,
        'BAD_USER_INPUT',
        'input.brandId',
      ],
      ['setBrandRateCardEntry: another brand', SET_BRAND_RATE, () => brandCard({ brandId: otherBrandId }), () => brand, 'FORBIDDEN'],
      ['setBrandRateCardEntry: an analyst', SET_BRAND_RATE, () => brandCard(), () => analyst, 'FORBIDDEN'],
      ['setBrandRateCardEntry: the creator', SET_BRAND_RATE, () => brandCard(), () => creator, 'FORBIDDEN'],
      ['removeBrandRateCardEntry: not a UUID', REMOVE_BRAND_RATE, () => ({ id: 'x' }), () => brand, 'BAD_USER_INPUT', 'id'],
      ["removeBrandRateCardEntry: another brand's", REMOVE_BRAND_RATE, () => ({ id: brandRateId }), () => otherBrand, 'NOT_FOUND'],
      ['removeBrandRateCardEntry: an analyst', REMOVE_BRAND_RATE, () => ({ id: brandRateId }), () => analyst, 'FORBIDDEN'],
      ['brandRateCard: another brand', BRAND_RATES, () => ({ brandId }), () => otherBrand, 'FORBIDDEN'],
      ['brandRateCard: the creator', BRAND_RATES, () => ({ brandId }), () => creator, 'FORBIDDEN'],
      ['brandRateCard: a day that does not exist', BRAND_RATES, () => ({ brandId, on: '2026-13-01' }), () => brand, 'BAD_USER_INPUT', 'on'],
      ['brandRateCard: 30 February', BRAND_RATES, () => ({ brandId, on: '2026-02-30' }), () => analyst, 'BAD_USER_INPUT', 'on'],
      ['brandRateCard: not a UUID', BRAND_RATES, () => ({ brandId: 'x' }), () => brand, 'BAD_USER_INPUT', 'brandId'],
      ['brandRateCard: no token', BRAND_RATES, () => ({ brandId }), () => undefined, 'UNAUTHENTICATED'],
    ]);
  });

  it('pays once for ten identical requests at once, and funds once for ten identical fundings', async () => {
    const fundings = await Promise.all(
      Array.from({ length: 10 }, () =>
        ok<{ fundCampaign: { replayed: boolean; transferId: string } }>(
          stack,
          FUND,
          { input: { campaignId, amount: usd(20_000), idempotencyKey: 'hostile-fund-parallel' } },
          brand,
        ),
      ),
    );
    expect(new Set(fundings.map((f) => f.fundCampaign.transferId)).size).toBe(1);
    expect(fundings.filter((f) => !f.fundCampaign.replayed)).toHaveLength(1);
    expect(await transfersOf(`fund:${brandId}:hostile-fund-parallel`)).toBe(1);

    const payouts = await Promise.all(
      Array.from({ length: 10 }, () =>
        ok<{ createPayout: { replayed: boolean; payout: { id: string } } }>(
          stack,
          CREATE,
          pay({ amount: usd(20_000), idempotencyKey: 'hostile-pay-parallel' }),
          brand,
        ),
      ),
    );
    const ids = new Set(payouts.map((p) => p.createPayout.payout.id));
    expect(ids.size).toBe(1);
    expect(payouts.filter((p) => !p.createPayout.replayed)).toHaveLength(1);
    const [payoutId] = [...ids];
    const [{ idempotency_key: key }] = await db()<{ idempotency_key: string }>(`SELECT idempotency_key FROM payouts WHERE id = $1`, [
      payoutId,
    ]);
    expect(await transfersOf(key)).toBe(1);
    expect(await transfersOf(`payout:${payoutId}:start:1`)).toBe(1);
    await awaitingConfirmation(payoutId);
    // The escrow held exactly that: the next cent is refused.
    await refuseAll([
      [
        'createPayout: one cent more',
        CREATE,
        () => pay({ amount: usd(1), idempotencyKey: 'hostile-one-cent' }),
        () => brand,
        'INVALID_STATE',
        undefined,
        { extensions: { reason: 'INSUFFICIENT_FUNDS', balanceMinor: 0 } },
      ],
    ]);
  });

  it('returns a closed campaign’s escrow once, however often its end is told, and takes no more funding', async () => {
    const STATUS = `mutation($id: ID!, $s: CampaignStatus!) { changeCampaignStatus(id: $id, status: $s) { status } }`;
    const returned = `campaign:${dinarCampaignId}:escrow-return`;
    await ok(stack, STATUS, { id: dinarCampaignId, s: 'CANCELLED' }, brand);
    await eventually(async () => (await transfersOf(returned)) === 1, 60_000, 'the escrow to return to the brand');
    const spend = await ok<{ campaign: { spend: { escrow: { amountMinor: number } } } }>(
      stack,
      `query($id: ID!) { campaign(id: $id) { id spend { escrow { amountMinor } returned { amountMinor } } } }`,
      { id: dinarCampaignId },
      brand,
    );
    expect(spend.campaign.spend).toEqual({ escrow: { amountMinor: 0 }, returned: { amountMinor: 1_250 } });
    await refuseAll([
      [
        'fundCampaign: a cancelled campaign',
        FUND,
        () => ({ input: { campaignId: dinarCampaignId, amount: { amountMinor: 1_000, currency: 'KWD' }, idempotencyKey: 'hostile-late' } }),
        () => brand,
        'INVALID_STATE',
        undefined,
        { extensions: { reason: 'CAMPAIGN_CLOSED' } },
      ],
    ]);
    // The brand cancelling again is refused by the campaign; its campaign.cancelled delivered again, or under a
    // new id, returns nothing more.
    const again = await stack.query(STATUS, { id: dinarCampaignId, s: 'CANCELLED' }, brand);
    expect(again.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
    const [cancelled] = await dbOf(stack, 'campaign')<{ topic: string; envelope: CloudEvent }>(
      `SELECT topic, envelope FROM outbox WHERE type = 'campaign.cancelled' AND key = $1`,
      [dinarCampaignId],
    );
    expect(cancelled).toBeDefined();
    const before = await state();
    const { brokers, topicPrefix } = stack.subgraphs.campaign.config.kafka;
    const topic = physicalTopic(topicPrefix, cancelled.topic);
    await publishRawEvent(brokers, topic, cancelled.envelope, 2);
    const renewed = { ...cancelled.envelope, id: randomUUID() };
    await publishRawEvent(brokers, topic, renewed, 1);
    await appliedByEveryConsumer(cancelled.envelope.id, renewed.id);
    expect(await state()).toEqual(before);
    expect(await transfersOf(returned)).toBe(1);
  });
});
