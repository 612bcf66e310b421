import { Identity } from '@influenceflow/kit';
import { identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { campaignSubgraph } from '../src/schema';
import { knownCreators, newBrand, newCampaign, ok } from './support';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const CREATOR = uuid(701);
const OTHER_CREATOR = uuid(702);

/** What another subgraph asks for through the gateway: entities by key (`__resolveReference`). */
const ENTITIES = `query($reps: [_Any!]!) {
  _entities(representations: $reps) {
    __typename
    ... on Brand { id }
    ... on Campaign { id }
    ... on Partnership { id }
    ... on Deliverable { id }
  }
}`;
const PARTNERSHIP_BRAND = `query($id: ID!) { partnership(id: $id) { brand { id name } campaign { id } } }`;

type Entities = { _entities: ({ __typename: string; id: string } | null)[] };

describe('entity references: only those who may see an entity get it', () => {
  let sub: TestSubgraph;
  let brandId: string;
  let otherBrandId: string;
  let campaignId: string;
  let partnershipId: string;
  let deliverableId: string;

  const resolve = async (typename: string, id: string, who: Identity | null) =>
    ok(await sub.query<Entities>(ENTITIES, { reps: [{ __typename: typename, id }] }, who))._entities[0];

  beforeAll(async () => {
    sub = await startTestSubgraph(campaignSubgraph);
    brandId = await newBrand(sub, { name: 'Glowco' });
    otherBrandId = await newBrand(sub, { name: 'Dullco' });
    const member = identities.brandMember(brandId);
    await knownCreators(sub, [
      [CREATOR, 'gina.glows'],
      [OTHER_CREATOR, 'dan.dull'],
    ]);
    campaignId = await newCampaign(sub, member, {
      brandId,
      name: 'Glow up',
      goal: { type: 'AWARENESS', target: 100_000 },
      budget: { amountMinor: 300_000, currency: 'GBP' },
      startsOn: '2027-09-01',
      endsOn: '2027-10-31',
    });
    ok(
      await sub.query(
        `mutation($id: ID!, $input: PublishBriefInput!) { publishBrief(campaignId: $id, input: $input) { version } }`,
        {
          id: campaignId,
          input: {
            brandStory: 'Serum for night owls.',
            deliverables: [{ platform: 'INSTAGRAM', format: 'REEL', count: 1, dueOn: '2027-09-20' }],
          },
        },
        member,
      ),
    );
    partnershipId = ok(
      await sub.query<{ inviteCreator: { id: string } }>(
        `mutation($input: InviteCreatorInput!) { inviteCreator(input: $input) { id } }`,
        { input: { campaignId, creatorId: CREATOR, fee: { amountMinor: 40_000, currency: 'GBP' } } },
        member,
      ),
    ).inviteCreator.id;
    ok(
      await sub.query(
        `mutation($id: ID!) { respondToInvitation(id: $id, accept: true) { status } }`,
        { id: partnershipId },
        identities.creator(CREATOR),
      ),
    );
    deliverableId = ok(
      await sub.query<{ partnership: { deliverables: { id: string }[] } }>(
        `query($id: ID!) { partnership(id: $id) { deliverables { id } } }`,
        { id: partnershipId },
        member,
      ),
    ).partnership.deliverables[0].id;
  }, 60_000);
  afterAll(() => sub?.close());

  it("resolves a brand and a campaign for the brand's members and analysts and for admins, for nobody else", async () => {
    const allowed = [identities.brandMember(brandId), identities.analyst(brandId), identities.admin()];
    const refused = [identities.brandMember(otherBrandId), identities.analyst(otherBrandId), identities.creator(CREATOR), null];
    for (const [typename, id] of [
      ['Brand', brandId],
      ['Campaign', campaignId],
    ]) {
      for (const who of allowed) expect(await resolve(typename, id, who)).toEqual({ __typename: typename, id });
      for (const who of refused) expect(await resolve(typename, id, who)).toBeNull();
    }
    // An unknown campaign is null too, whoever asks.
    expect(await resolve('Campaign', uuid(799), identities.admin())).toBeNull();
  });

  it('resolves a partnership and its deliverables for both parties and admins, for nobody else', async () => {
    const allowed = [identities.brandMember(brandId), identities.analyst(brandId), identities.creator(CREATOR), identities.admin()];
    const refused = [identities.brandMember(otherBrandId), identities.analyst(otherBrandId), identities.creator(OTHER_CREATOR), null];
    for (const [typename, id] of [
      ['Partnership', partnershipId],
      ['Deliverable', deliverableId],
    ]) {
      for (const who of allowed) expect(await resolve(typename, id, who)).toEqual({ __typename: typename, id });
      for (const who of refused) expect(await resolve(typename, id, who)).toBeNull();
    }
  });

  it("shows the partnership's creator the brand that invited them, but not the brand's campaign", async () => {
    const view = ok(
      await sub.query<{ partnership: { brand: { id: string; name: string }; campaign: { id: string } | null } }>(
        PARTNERSHIP_BRAND,
        { id: partnershipId },
        identities.creator(CREATOR),
      ),
    ).partnership;
    expect(view).toEqual({ brand: { id: brandId, name: 'Glowco' }, campaign: null });
    const forAnalyst = ok(
      await sub.query<{ partnership: { campaign: { id: string } | null } }>(
        PARTNERSHIP_BRAND,
        { id: partnershipId },
        identities.analyst(brandId),
      ),
    ).partnership;
    expect(forAnalyst.campaign).toEqual({ id: campaignId });
  });
});
