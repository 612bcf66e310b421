import { identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { campaignSubgraph } from '../src/schema';
import { invitedPartnership, knownCreators, newBrand, ok } from './support';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Lists under lists (a page of campaigns, each with a page of its partnerships) answer per parent, filtered and paged. */
describe('pages under a list', () => {
  let sub: TestSubgraph;
  beforeAll(async () => {
    sub = await startTestSubgraph(campaignSubgraph);
  }, 60_000);
  afterAll(() => sub?.close());

  it("gives each campaign its own partnerships, newest first, filtered by status and paged with each one's cursor", async () => {
    const brandId = await newBrand(sub, { name: 'Listco' });
    const member = identities.brandMember(brandId);
    const creators = [uuid(801), uuid(802), uuid(803)];
    await knownCreators(
      sub,
      creators.map((id, i) => [id, `lister.${i}`] as [string, string]),
    );
    // Three campaigns: the first with one partnership, the others with one each that the creator declines.
    const first = await invitedPartnership(sub, member, brandId, creators[0]);
    const second = await invitedPartnership(sub, member, brandId, creators[1]);
    const third = await invitedPartnership(sub, member, brandId, creators[2]);
    ok(
      await sub.query(
        `mutation($id: ID!) { respondToInvitation(id: $id, accept: false) { status } }`,
        { id: second },
        identities.creator(creators[1]),
      ),
    );

    const QUERY = `query($brandId: ID!, $statuses: [PartnershipStatus!]) { campaigns(brandId: $brandId) { edges { node {
      all: partnerships(first: 1) { edges { node { id } } pageInfo { hasNextPage } }
      invited: partnerships(statuses: $statuses) { edges { node { id status } } }
    } } } }`;
    type Page = { edges: { node: { id: string; status?: string } }[]; pageInfo?: { hasNextPage: boolean } };
    const r = ok(
      await sub.query<{ campaigns: { edges: { node: { all: Page; invited: Page } }[] } }>(
        QUERY,
        { brandId, statuses: ['INVITED'] },
        member,
      ),
    );
    // Campaigns newest first: third, second, first.
    expect(r.campaigns.edges.map((e) => e.node.all.edges.map((p) => p.node.id))).toEqual([[third], [second], [first]]);
    expect(r.campaigns.edges.map((e) => e.node.all.pageInfo!.hasNextPage)).toEqual([false, false, false]);
    expect(r.campaigns.edges.map((e) => e.node.invited.edges.map((p) => p.node.status))).toEqual([['INVITED'], [], ['INVITED']]);
  });
});
