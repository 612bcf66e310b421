import { eventually } from '@influenceflow/kit/testing';
import { startTestStack, TestStack } from '../../src/testing/stack';
import { campaignInput, saveCreator } from './support';

/** One unit (percent) for rates and shares, and GraphQL enums in outputs as in inputs, through the gateway. */
describe('units and enums through the gateway', () => {
  let stack: TestStack;
  let brandId: string;
  let brandToken: string;
  const creatorId = '00000000-0000-4000-8000-0000000e1001';

  beforeAll(async () => {
    stack = await startTestStack();
    const admin = await stack.token({ sub: 'admin', roles: ['admin'] });
    const brand = await stack.query<{ createBrand: { id: string } }>(
      `mutation { createBrand(input: { name: "Units Outdoor", websiteUrl: "https://units.example" }) { id } }`,
      {},
      admin,
    );
    expect(brand.errors).toBeUndefined();
    brandId = brand.data!.createBrand.id;
    brandToken = await stack.token({ sub: 'uma', roles: ['brand_member'], brandIds: [brandId] });
    const creator = await stack.token({ sub: 'unit.ulla', roles: ['creator'], creatorId });
    await saveCreator(
      stack,
      creator,
      { handle: 'unit.ulla', displayName: 'Ulla', niches: ['outdoors'], country: 'US', bio: 'trail stories' },
      {
        handle: 'unit.ulla',
        followers: 20_000,
        engagementRate: 4.5,
        audience: {
          countries: [{ key: 'US', share: 0.6 }],
          ages: [{ key: '25-34', share: 0.5 }],
          genders: [{ key: 'female', share: 0.7 }],
          interests: ['outdoors'],
          noProfilePictureShare: 0.05,
        },
      },
    );
  }, 120_000);
  afterAll(() => stack?.close());

  const search = (filter: Record<string, unknown>, token = brandToken) =>
    stack.query<{ searchCreators: { edges: { node: { handle: string } }[] } }>(
      `query($filter: CreatorSearchFilter) { searchCreators(filter: $filter) { edges { node { handle } } } }`,
      { filter: { keywords: 'unit.ulla', ...filter } },
      token,
    );

  it('filters audiences and engagement in percent', async () => {
    for (const filter of [
      { audienceCountries: [{ country: 'US', minPercent: 60 }] },
      { audienceAge: { buckets: ['AGE_25_34'], minPercent: 50 } },
      { engagementRate: { min: 4, max: 5 } },
    ]) {
      const r = await search(filter);
      expect(r.errors).toBeUndefined();
      expect(r.data!.searchCreators.edges.map((e) => e.node.handle)).toEqual(['unit.ulla']);
    }
    const above = await search({ audienceCountries: [{ country: 'US', minPercent: 61 }] });
    expect(above.data!.searchCreators.edges).toEqual([]);
  });

  it('refuses a figure in the other unit with BAD_USER_INPUT, the field and the unit, and no data', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ audienceCountries: [{ country: 'US', minShare: 60 }] }, 'filter.audienceCountries.0.minShare', /fraction between 0 and 1/],
      [{ audienceCountries: [{ country: 'US', minPercent: 600 }] }, 'filter.audienceCountries.0.minPercent', /percent between 0 and 100/],
      [{ engagementRate: { min: 0.03, max: 0.08 } }, 'filter.engagementRate.min', /in percent/],
    ];
    for (const [filter, field, message] of cases) {
      const r = await search(filter);
      expect(r.data ?? null).toBeNull();
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(r.errors?.[0].message).toMatch(message);
      expect(JSON.stringify(r.errors)).not.toMatch(/stack|at [A-Za-z]+ \(|\.ts:/);
    }
  });

  it('shows the audience in percent with the same enums the inputs use', async () => {
    const r = await stack.query<{ creator: { accounts: { audience: Record<string, unknown> }[] } }>(
      `query($id: ID!) { creator(id: $id) { accounts { audience {
        ages { ageBucket percent } genders { gender percent } countries { country percent } noProfilePicturePercent
      } } } }`,
      { id: creatorId },
      brandToken,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.creator.accounts[0].audience).toEqual({
      ages: [{ ageBucket: 'AGE_25_34', percent: 50 }],
      genders: [{ gender: 'FEMALE', percent: 70 }],
      countries: [{ country: 'US', percent: 60 }],
      noProfilePicturePercent: 5,
    });
  });

  it("reports analytics' campaign status as the CampaignStatus enum campaign uses", async () => {
    const created = await stack.query<{ createCampaign: { id: string; status: string } }>(
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id status } }`,
      { input: campaignInput(brandId) },
      brandToken,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createCampaign.id;
    const seen = await eventually(
      async () => {
        const r = await stack.query<{ campaign: { status: string; metrics: { status: string } | null } }>(
          `query($id: ID!) { campaign(id: $id) { status metrics { status } } }`,
          { id },
          brandToken,
        );
        return r.data?.campaign.metrics ? r.data.campaign : undefined;
      },
      30_000,
      'the campaign to reach analytics',
    );
    expect(seen).toEqual({ status: 'DRAFT', metrics: { status: 'DRAFT' } });
    const introspected = await stack.query<{ __type: { fields: { name: string; type: { ofType: { name: string } } }[] } }>(
      `{ __type(name: "CampaignMetrics") { fields { name type { ofType { name } } } } }`,
      {},
      brandToken,
    );
    expect(introspected.data?.__type.fields.find((f) => f.name === 'status')?.type.ofType.name).toBe('CampaignStatus');
  }, 60_000);
});
