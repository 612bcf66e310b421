import { eventually } from '@influenceflow/kit/testing';
import { startTestStack, TestStack } from '../../src/testing/stack';

/**
 * A negotiation through the gateway with real tokens: the brand invites below the creator's rate card,
 * the offer's assessment says so (with discovery's price guidance beside it), the creator counters, the
 * brand accepts, and the partnership holds the accepted terms.
 */
describe('negotiation through the gateway', () => {
  let stack: TestStack;
  const creatorId = '00000000-0000-4000-8000-0000000c0f21';

  beforeAll(async () => {
    stack = await startTestStack();
  }, 120_000);
  afterAll(() => stack?.close());

  it('counters, warns below the creator’s rate, and accepts the counter-offer', async () => {
    const call = async <T>(query: string, variables: Record<string, unknown>, token: string): Promise<T> => {
      const r = await stack.query<T>(query, variables, token);
      expect(r.errors).toBeUndefined();
      return r.data!;
    };
    const creator = await stack.token({ sub: 'rio', roles: ['creator'], creatorId });
    await call(
      `mutation { saveMyCreatorProfile(input: { handle: "rio.rides", displayName: "Rio", niches: ["cycling"], country: "PT", bio: "Gravel rides" }) { id } }`,
      {},
      creator,
    );
    await call(
      `mutation { saveMyPlatformAccount(input: { platform: INSTAGRAM, handle: "rio.rides", followers: 18000, engagementRate: 5 }) { id } }`,
      {},
      creator,
    );
    await call(
      `mutation { setRateCardEntry(input: { platform: INSTAGRAM, format: REEL, price: { amountMinor: 50000, currency: "EUR" } }) { id } }`,
      {},
      creator,
    );
    const admin = await stack.token({ sub: 'admin', roles: ['admin'] });
    const { createBrand } = await call<{ createBrand: { id: string } }>(
      `mutation { createBrand(input: { name: "Gravel Co" }) { id } }`,
      {},
      admin,
    );
    const brand = await stack.token({ sub: 'ana', roles: ['brand_member'], brandIds: [createBrand.id] });
    const analyst = await stack.token({ sub: 'ian', roles: ['analyst'], brandIds: [createBrand.id] });
    const { createCampaign } = await call<{ createCampaign: { id: string } }>(
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
      {
        input: {
          brandId: createBrand.id,
          name: 'Gravel season',
          goal: { type: 'CONTENT', target: 2 },
          budget: { amountMinor: 500_000, currency: 'EUR' },
          startsOn: '2027-05-01',
          endsOn: '2027-06-30',
        },
      },
      brand,
    );
    await call(
      `mutation($id: ID!) { publishBrief(campaignId: $id, input: {
        brandStory: "Tyres for long gravel days", deliverables: [{ platform: INSTAGRAM, format: REEL, count: 2, dueOn: "2027-05-20" }]
      }) { version } }`,
      { id: createCampaign.id },
      brand,
    );
    const invited = await eventually(
      async () =>
        (
          await stack.query<{ inviteCreator: { id: string } }>(
            `mutation($input: InviteCreatorInput!) { inviteCreator(input: $input) { id } }`,
            { input: { campaignId: createCampaign.id, creatorId, fee: { amountMinor: 60_000, currency: 'EUR' } } },
            brand,
          )
        ).data?.inviteCreator,
      60_000,
      'the campaign service to know the creator',
    );

    // Two reels at 500 EUR each against 600 EUR: the creator sees the warning once the rate card has arrived.
    const VIEW = `query($id: ID!) { partnership(id: $id) {
      status fee { amountMinor currency } offers { round proposedBy answer }
      assessment { creatorRate { amountMinor currency } belowCreatorRate warnings }
      creator { priceGuidance { low { amountMinor } high { amountMinor } } }
    } }`;
    type View = {
      partnership: {
        status: string;
        fee: { amountMinor: number };
        offers: { round: number; proposedBy: string; answer: string | null }[];
        assessment: { creatorRate: { amountMinor: number } | null; belowCreatorRate: boolean | null; warnings: string[] };
        creator: { priceGuidance: { low: { amountMinor: number }; high: { amountMinor: number } } | null };
      };
    };
    const seen = await eventually(
      async () => {
        const v = await call<View>(VIEW, { id: invited.id }, creator);
        return v.partnership.assessment.creatorRate ? v : undefined;
      },
      60_000,
      'campaign to copy the rate card from ratecard.updated',
    );
    expect(seen.partnership.assessment).toEqual({
      creatorRate: { amountMinor: 100_000, currency: 'EUR' },
      belowCreatorRate: true,
      warnings: ["The fee is below the creator's own rate for these deliverables (€1,000.00)"],
    });
    expect(seen.partnership.creator.priceGuidance!.high.amountMinor).toBeGreaterThan(
      seen.partnership.creator.priceGuidance!.low.amountMinor,
    );

    const COUNTER = `mutation($id: ID!, $terms: OfferTermsInput!) { counterOffer(id: $id, terms: $terms) { round proposedBy } }`;
    const terms = { fee: { amountMinor: 100_000, currency: 'EUR' }, note: 'My rate card price' };
    // the analyst reads but does not negotiate; the brand made the latest offer
    for (const token of [analyst, brand]) {
      const refused = await stack.query(COUNTER, { id: invited.id, terms }, token);
      expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(JSON.stringify(refused.errors)).not.toMatch(/stack|at \w+ \(/);
    }
    expect(await call(COUNTER, { id: invited.id, terms }, creator)).toEqual({ counterOffer: { round: 2, proposedBy: 'CREATOR' } });
    const accepted = await call<{ respondToInvitation: { status: string; fee: { amountMinor: number } } }>(
      `mutation($id: ID!) { respondToInvitation(id: $id, accept: true) { status fee { amountMinor } } }`,
      { id: invited.id },
      brand,
    );
    expect(accepted.respondToInvitation).toEqual({ status: 'ACCEPTED', fee: { amountMinor: 100_000 } });
    const after = await call<View>(VIEW, { id: invited.id }, brand);
    expect(after.partnership.offers).toEqual([
      { round: 1, proposedBy: 'BRAND', answer: 'COUNTERED' },
      { round: 2, proposedBy: 'CREATOR', answer: 'ACCEPTED' },
    ]);
    expect(after.partnership.assessment.belowCreatorRate).toBe(false);
  });
});
