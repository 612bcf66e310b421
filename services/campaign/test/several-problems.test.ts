import { Identity } from '@influenceflow/kit';
import { identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { campaignSubgraph } from '../src/schema';
import { codeOf, knownCreators, newBrand, newCampaign, ok } from './support';

/** Every bad field of a campaign mutation in one error (docs/errors.md, "Several bad fields at once"). */
describe('campaign mutations report every bad field at once', () => {
  let sub: TestSubgraph;
  let member: Identity;
  let brandId: string;
  const creatorId = '00000000-0000-4000-8000-00000000e712';
  const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`;
  const INVITE = `mutation($input: InviteCreatorInput!) { inviteCreator(input: $input) { id } }`;
  const good = () => ({
    brandId,
    name: 'Several problems spring',
    goal: { type: 'TRAFFIC', target: 500 },
    budget: { amountMinor: 300_000, currency: 'EUR' },
    startsOn: '2027-05-01',
    endsOn: '2027-06-30',
  });
  const threeBad = () => ({
    ...good(),
    name: '   ',
    goal: { type: 'TRAFFIC', target: 0 },
    budget: { amountMinor: 300_000, currency: 'EURO' },
  });
  const campaignsOfBrand = async () =>
    (await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM campaigns WHERE brand_id = $1`, [brandId]))[0].n;
  const outboxOfBrand = async () =>
    (await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE envelope->>'brandid' = $1`, [brandId]))[0].n;
  const fields = (r: Parameters<typeof codeOf>[0]) => ((codeOf(r)?.problems ?? []) as { field: string }[]).map((p) => p.field);

  beforeAll(async () => {
    sub = await startTestSubgraph(campaignSubgraph);
    brandId = await newBrand(sub, { name: 'Several Problems Co' });
    member = identities.brandMember(brandId);
    await knownCreators(sub, [[creatorId, 'several.problems.creator']]);
  }, 60_000);
  afterAll(() => sub?.close());

  it('createCampaign with three bad fields: one error, three problems, each with its field, nothing written', async () => {
    const [campaigns, events] = [await campaignsOfBrand(), await outboxOfBrand()];
    const r = await sub.query(CREATE, { input: threeBad() }, member);
    expect(r.errors).toHaveLength(1);
    expect(r.data).toBeNull();
    expect(codeOf(r)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    expect(codeOf(r)!.problems).toEqual([
      { field: 'input.name', reason: expect.stringMatching(/visible text/) },
      { field: 'input.goal.target', reason: 'target must be greater than 0' },
      { field: 'input.budget.currency', reason: 'must be an ISO 4217 currency code with a minor unit (e.g. USD, EUR, JPY)' },
    ]);
    expect(r.errors![0].message).toMatch(/and 2 more: see problems/);
    expect(await campaignsOfBrand()).toBe(campaigns);
    expect(await outboxOfBrand()).toBe(events);
  });

  it('adds the service’s own rules to the constraints: dates, money, audience and landing page together', async () => {
    const r = await sub.query(
      CREATE,
      {
        input: {
          ...good(),
          name: 'x'.repeat(201),
          budget: { amountMinor: -5, currency: 'XXY' },
          startsOn: '2027-02-30', // no such day
          endsOn: '2027-01-01',
          targetAudience: { countries: ['US', 'Narnia', 'ZZ'] },
          landingUrl: 'ftp://example.com/file',
        },
      },
      member,
    );
    // The argument's constraints first (the name's length), then the service's rules for the other fields.
    expect(fields(r)).toEqual([
      'input.name',
      'input.budget.currency',
      'input.budget.amountMinor',
      'input.startsOn',
      'input.targetAudience.countries.1',
      'input.targetAudience.countries.2',
      'input.landingUrl',
    ]);
    expect(await campaignsOfBrand()).toBe(0);
  });

  it('says an end before the start once the dates themselves are fine', async () => {
    const r = await sub.query(CREATE, { input: { ...good(), goal: { type: 'TRAFFIC', target: -1 }, endsOn: '2027-04-01' } }, member);
    expect(fields(r)).toEqual(['input.goal.target', 'input.endsOn']);
    expect(codeOf(r)!.problems).toContainEqual({ field: 'input.endsOn', reason: 'must be on or after startsOn' });
  });

  it('puts permission first: creators, analysts, other brands and anonymous callers are refused whatever the input holds', async () => {
    const cases: [Identity | null, string][] = [
      [identities.creator(creatorId), 'FORBIDDEN'],
      [identities.analyst(brandId), 'FORBIDDEN'],
      [identities.brandMember('00000000-0000-4000-8000-00000000e7ff'), 'FORBIDDEN'],
      [null, 'UNAUTHENTICATED'],
    ];
    for (const [who, code] of cases) {
      const r = await sub.query(CREATE, { input: threeBad() }, who);
      expect(codeOf(r)).toMatchObject({ code });
      expect(codeOf(r)!.problems).toBeUndefined();
    }
    // A brand that does not exist (an admin may name any): NOT_FOUND before the input.
    const unknown = await sub.query(
      CREATE,
      { input: { ...threeBad(), brandId: '00000000-0000-4000-8000-00000000e7fe' } },
      identities.admin(),
    );
    expect(codeOf(unknown)).toMatchObject({ code: 'NOT_FOUND', entity: 'Brand' });
    expect(await campaignsOfBrand()).toBe(0);
  });

  it('creates the campaign once every field is right', async () => {
    ok(await sub.query(CREATE, { input: good() }, member));
    expect(await campaignsOfBrand()).toBe(1);
  });

  it('inviteCreator: how the creator is named and every bad term at once; permission first', async () => {
    const campaignId = await newCampaign(sub, member, { ...good(), name: 'Invite problems' });
    ok(
      await sub.query(
        `mutation($c: ID!) { publishBrief(campaignId: $c, input: { brandStory: "Shoes", deliverables: [{ platform: INSTAGRAM, format: REEL, count: 1, dueOn: "2027-05-20" }] }) { version } }`,
        { c: campaignId },
        member,
      ),
    );
    const bad = {
      campaignId,
      creatorId,
      creatorHandle: '@several.problems.creator',
      fee: { amountMinor: 1.5e3, currency: 'eur' },
      commissionPercent: 150,
      deliverables: [{ platform: 'INSTAGRAM', format: 'REEL', count: 0, dueOn: '2027-09-01' }],
    };
    const r = await sub.query(INVITE, { input: bad }, member);
    expect(codeOf(r)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.creatorId' });
    expect(fields(r)).toEqual([
      'input.creatorId',
      'input.fee.currency',
      'input.commissionPercent',
      'input.deliverables.0.count',
      'input.deliverables.0.dueOn',
    ]);
    // A creator does not see the brand's campaign (NOT_FOUND), an analyst may not change it: neither hears of the input.
    const asCreator = await sub.query(INVITE, { input: bad }, identities.creator(creatorId));
    expect(codeOf(asCreator)).toMatchObject({ code: 'NOT_FOUND', entity: 'Campaign' });
    const asAnalyst = await sub.query(INVITE, { input: bad }, identities.analyst(brandId));
    expect(codeOf(asAnalyst)?.code).toBe('FORBIDDEN');
    expect(codeOf(asAnalyst)!.problems).toBeUndefined();
    const partnerships = await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM partnerships WHERE campaign_id = $1`, [
      campaignId,
    ]);
    expect(partnerships[0].n).toBe(0);
  });

  it('createBrand: the name’s constraints and the website together, for admins only', async () => {
    const input = { name: '', websiteUrl: 'javascript:alert(1)' };
    const r = await sub.query(`mutation($input: CreateBrandInput!) { createBrand(input: $input) { id } }`, { input }, identities.admin());
    expect(new Set(fields(r))).toEqual(new Set(['input.name', 'input.websiteUrl']));
    const asMember = await sub.query(`mutation($input: CreateBrandInput!) { createBrand(input: $input) { id } }`, { input }, member);
    expect(codeOf(asMember)?.code).toBe('FORBIDDEN');
  });
});
