import { eventually } from '@influenceflow/kit/testing';
import { startTestStack, TestStack } from '../../src/testing/stack';
import { campaignInput, saveCreator } from './support';

/** One unit (percent) for rates and shares, and GraphQL enums in outputs as in inputs, through the gateway. */
describe('units and enums through the gateway', () => {
  let stack: TestStack;
  let brandId: string;
  let brandToken: string;
  let creatorToken: string;
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
    creatorToken = await stack.token({ sub: 'unit.ulla', roles: ['creator'], creatorId });
    await saveCreator(
      stack,
      creatorToken,
      { handle: 'unit.ulla', displayName: 'Ulla', niches: ['outdoors'], country: 'US', bio: 'trail stories' },
      {
        handle: 'unit.ulla',
        followers: 20_000,
        engagementRate: 4.5,
        audience: {
          countries: [{ country: 'US', percent: 60 }],
          ages: [{ ageBucket: 'AGE_25_34', percent: 50 }],
          genders: [{ gender: 'FEMALE', percent: 70 }],
          interests: ['outdoors'],
          noProfilePicturePercent: 5,
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

  const AUDIENCE = `audience {
    ages { ageBucket percent } genders { gender percent } countries { country percent } cities { city percent } noProfilePicturePercent
  }`;
  const saveAccount = (input: Record<string, unknown>) =>
    stack.query<{ saveMyPlatformAccount: { audience: Record<string, unknown> } }>(
      `mutation($input: PlatformAccountInput!) { saveMyPlatformAccount(input: $input) { ${AUDIENCE} } }`,
      { input: { platform: 'TIKTOK', handle: 'unit.ulla.tt', followers: 5_000, engagementRate: 5, ...input } },
      creatorToken,
    );
  const storedAudience = async () => {
    const r = await stack.query<{ creator: { accounts: { platform: string; audience: unknown }[] } }>(
      `query($id: ID!) { creator(id: $id) { accounts { platform ${AUDIENCE} } } }`,
      { id: creatorId },
      creatorToken,
    );
    expect(r.errors).toBeUndefined();
    return r.data!.creator.accounts.find((a) => a.platform === 'TIKTOK')?.audience ?? null;
  };

  it('saves an audience given in percent and reads the same percents back; the deprecated fractions still work', async () => {
    const inPercent = {
      ages: [
        { ageBucket: 'AGE_18_24', percent: 40 },
        { ageBucket: 'AGE_25_34', percent: 33.3 },
      ],
      genders: [{ gender: 'FEMALE', percent: 55.5 }],
      countries: [
        { country: 'US', percent: 62 },
        { country: 'CA', percent: 20 },
      ],
      cities: [{ city: 'Denver', country: 'US', percent: 7.5 }],
      noProfilePicturePercent: 4,
    };
    const expected = {
      ages: [
        { ageBucket: 'AGE_18_24', percent: 40 },
        { ageBucket: 'AGE_25_34', percent: 33.3 },
      ],
      genders: [{ gender: 'FEMALE', percent: 55.5 }],
      countries: [
        { country: 'US', percent: 62 },
        { country: 'CA', percent: 20 },
      ],
      cities: [{ city: 'Denver', percent: 7.5 }],
      noProfilePicturePercent: 4,
    };
    const saved = await saveAccount({ audience: inPercent });
    expect(saved.errors).toBeUndefined();
    expect(saved.data!.saveMyPlatformAccount.audience).toEqual(expected);
    expect(await storedAudience()).toEqual(expected);

    // An old client: the deprecated string keys and fractions, read as fractions.
    const old = await saveAccount({
      audience: {
        ages: [{ key: '18-24', share: 0.4 }],
        countries: [{ key: 'US', share: 0.62 }],
        cities: [{ city: 'Denver', country: 'US', share: 0.075 }],
        noProfilePictureShare: 0.04,
      },
    });
    expect(old.errors).toBeUndefined();
    expect(old.data!.saveMyPlatformAccount.audience).toEqual({
      ages: [{ ageBucket: 'AGE_18_24', percent: 40 }],
      genders: [],
      countries: [{ country: 'US', percent: 62 }],
      cities: [{ city: 'Denver', percent: 7.5 }],
      noProfilePicturePercent: 4,
    });
  });

  it('refuses a share given both ways, out of range or as fractions in percent, naming the field and the unit, writing nothing', async () => {
    const before = await storedAudience();
    expect(before).not.toBeNull();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ countries: [{ country: 'US', percent: 140 }] }, 'input.audience.countries.0.percent', /percent between 0 and 100/],
      [
        { countries: [{ country: 'US', percent: 60, share: 0.6 }] },
        'input.audience.countries.0.share',
        /percent or the deprecated share, not both/,
      ],
      [{ noProfilePicturePercent: 5, noProfilePictureShare: 0.05 }, 'input.audience.noProfilePictureShare', /not both/],
      [{ ages: [{ ageBucket: 'AGE_18_24', share: 40 }] }, 'input.audience.ages.0.share', /fraction between 0 and 1/],
      [{ countries: [{ country: 'US', percent: 0.6 }] }, 'input.audience.countries', /looks like fractions 0–1; shares are percent/],
      [{ ages: [{ gender: 'FEMALE', percent: 50 }] }, 'input.audience.ages.0.gender', /belongs in genders/],
    ];
    for (const [audience, field, message] of cases) {
      const r = await saveAccount({ followers: 6_000, audience });
      expect(r.data ?? null).toBeNull();
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(r.errors?.[0].message).toMatch(message);
      expect(JSON.stringify(r.errors)).not.toMatch(/stack|at [A-Za-z]+ \(|\.ts:|zod/);
    }
    expect(await storedAudience()).toEqual(before);
    // Another role may not save an audience at all.
    const r = await stack.query(
      `mutation($input: PlatformAccountInput!) { saveMyPlatformAccount(input: $input) { id } }`,
      { input: { platform: 'TIKTOK', handle: 'unit.brand.tt', followers: 5, audience: { countries: [{ country: 'US', percent: 50 }] } } },
      brandToken,
    );
    expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
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
