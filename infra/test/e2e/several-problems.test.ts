import { startTestStack, TestStack } from '../../src/testing/stack';
import { campaignInput } from './support';

type Problems = { field: string; reason: string }[];

/**
 * Several bad fields through the gateway with real tokens (docs/errors.md, "Several bad fields at once"):
 * one error listing every field, across subgraphs; a caller without permission is refused whatever the
 * input holds; nothing is written. Malformed shapes (a non-UUID id, a NUL byte) are refused by the
 * gateway before any subgraph, all at once too.
 */
describe('several bad fields at once, through the gateway', () => {
  let stack: TestStack;
  let brandId = '';
  let admin = '';
  let member = '';
  let analyst = '';
  let creator = '';
  const creatorId = '00000000-0000-4000-8000-0000000e5101';
  const CREATE_CAMPAIGN = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`;
  const CAMPAIGNS = `query($b: ID!) { campaigns(brandId: $b) { edges { node { id } } } }`;
  const fields = (r: { errors?: { extensions?: Record<string, unknown> }[] }) =>
    ((r.errors?.[0]?.extensions?.problems ?? []) as Problems).map((p) => p.field);

  beforeAll(async () => {
    stack = await startTestStack();
    admin = await stack.token({ sub: 'sp-ops', roles: ['admin'] });
    const brand = await stack.query<{ createBrand: { id: string } }>(
      `mutation { createBrand(input: { name: "Several Problems Outfitters" }) { id } }`,
      {},
      admin,
    );
    expect(brand.errors).toBeUndefined();
    brandId = brand.data!.createBrand.id;
    member = await stack.token({ sub: 'sp-member', roles: ['brand_member'], brandIds: [brandId] });
    analyst = await stack.token({ sub: 'sp-analyst', roles: ['analyst'], brandIds: [brandId] });
    creator = await stack.token({ sub: 'sp-creator', roles: ['creator'], creatorId });
  }, 120_000);
  afterAll(() => stack?.close());

  it('createCampaign: three bad fields, one error with three problems; nothing written', async () => {
    const input = campaignInput(brandId, { name: ' ', goal: { type: 'TRAFFIC', target: 0 }, endsOn: '2020-01-01' });
    const r = await stack.query(CREATE_CAMPAIGN, { input }, member);
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    expect(fields(r)).toEqual(['input.name', 'input.goal.target', 'input.endsOn']);
    expect(r.errors![0].message).toMatch(/and 2 more: see problems/);
    const list = await stack.query<{ campaigns: { edges: unknown[] } }>(CAMPAIGNS, { b: brandId }, member);
    expect(list.data!.campaigns.edges).toEqual([]);
  });

  it('createCampaign: FORBIDDEN (or UNAUTHENTICATED) wins over bad input for callers without permission', async () => {
    const input = campaignInput(brandId, { name: ' ', goal: { type: 'TRAFFIC', target: 0 }, endsOn: '2020-01-01' });
    for (const [token, code] of [
      [creator, 'FORBIDDEN'],
      [analyst, 'FORBIDDEN'],
      [undefined, 'UNAUTHENTICATED'],
    ] as const) {
      const r = await stack.query(CREATE_CAMPAIGN, { input }, token);
      expect(r.errors).toHaveLength(1);
      expect(r.errors![0].extensions).toMatchObject({ code });
      expect(r.errors![0].extensions!.problems).toBeUndefined();
    }
    const list = await stack.query<{ campaigns: { edges: unknown[] } }>(CAMPAIGNS, { b: brandId }, member);
    expect(list.data!.campaigns.edges).toEqual([]);
  });

  it('saveMyCreatorProfile (discovery): every bad field of the profile; a brand member is refused first', async () => {
    const SAVE = `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) { id } }`;
    const input = { handle: 'No Spaces Allowed', displayName: 'Sol', niches: ['food'], country: 'Atlantis', languages: ['klingon'] };
    const r = await stack.query(SAVE, { input }, creator);
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.handle' });
    expect(fields(r)).toEqual(expect.arrayContaining(['input.handle', 'input.country', 'input.languages.0']));
    const asMember = await stack.query(SAVE, { input }, member);
    expect(asMember.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    const me = await stack.query<{ me: { creator: unknown } }>(`{ me { creator { id handle } } }`, {}, creator);
    expect(me.data!.me.creator).toBeNull();
  });

  it('createContractTemplate (contracts) and setRateCardEntry (payments): all problems, permission first', async () => {
    const TEMPLATE = `mutation($input: CreateContractTemplateInput!) { createContractTemplate(input: $input) { id } }`;
    const template = { brandId, name: '', body: 'Dear {{ 1creator }}' };
    const t = await stack.query(TEMPLATE, { input: template }, member);
    expect(t.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    expect(new Set(fields(t))).toEqual(new Set(['input.name', 'input.body']));
    const tByCreator = await stack.query(TEMPLATE, { input: template }, creator);
    expect(tByCreator.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(tByCreator.errors![0].extensions!.problems).toBeUndefined();

    const RATE = `mutation($input: RateCardEntryInput!) { setRateCardEntry(input: $input) { id } }`;
    const rate = { platform: 'INSTAGRAM', format: 'REEL', price: { amountMinor: -100, currency: 'USDX' } };
    const byCreator = await stack.query(RATE, { input: rate }, creator);
    expect(fields(byCreator)).toEqual(['input.price.currency', 'input.price.amountMinor']);
    const byMember = await stack.query(RATE, { input: rate }, member);
    expect(byMember.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    const card = await stack.query<{ myRateCard: unknown[] }>(`{ myRateCard { id } }`, {}, creator);
    expect(card.data!.myRateCard).toEqual([]);
  });

  it('malformed shapes are refused by the gateway before any subgraph, every one in one error', async () => {
    const input = campaignInput('not-a-uuid', { name: 'Nul\u0000name', budget: { amountMinor: 1.5, currency: 'USD' } });
    const r = await stack.query(CREATE_CAMPAIGN, { input }, member);
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.brandId' });
    expect(r.errors![0].extensions!.problems).toEqual([
      { field: 'input.brandId', reason: 'must be a UUID' },
      { field: 'input.name', reason: 'must not contain NUL characters' },
      { field: 'input.budget.amountMinor', reason: 'must be a whole number below 2^53 in size' },
    ]);
  });
});
