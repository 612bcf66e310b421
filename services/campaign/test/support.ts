import { createEvent, Identity } from '@influenceflow/kit';
import { CreatorCreatedData, TOPICS } from '@influenceflow/vocabulary';
import {
  eventually,
  GraphQLResponse,
  identities,
  publishRawEvent,
  TEST_KAFKA_BROKERS,
  testTopicPrefix,
  TestSubgraph,
} from '@influenceflow/kit/testing';

/** The data of a response that must have no errors. */
export function ok<T>(r: GraphQLResponse<T>): T {
  expect(r.errors).toBeUndefined();
  return r.data!;
}

/** The first error's extensions (code, field, details). */
export const codeOf = (r: GraphQLResponse) => r.errors?.[0]?.extensions;

/** Creators as discovery announces them (creator.created on Kafka), once the campaign service has them. */
export async function knownCreators(sub: TestSubgraph, creators: [id: string, handle: string][]): Promise<void> {
  for (const [id, handle] of creators) {
    const data: CreatorCreatedData = { creatorId: id, handle, displayName: handle, country: null, niches: [] };
    await publishRawEvent(
      TEST_KAFKA_BROKERS,
      `${testTopicPrefix()}${TOPICS.creator}`,
      createEvent('discovery', { type: 'creator.created', subject: id, data }),
    );
  }
  const ids = creators.map(([id]) => id);
  await eventually(
    async () =>
      (await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM creators WHERE id = ANY($1)`, [ids]))[0].n === ids.length,
    30_000,
    'the creators copy to fill from creator.created',
  );
}

/** The events a subgraph wrote to its outbox for one aggregate, in order. */
export async function outboxEvents(
  sub: TestSubgraph,
  subject: string,
): Promise<{ type: string; envelope: { data: Record<string, unknown> } }[]> {
  return sub.runtime.dataSource.query(`SELECT type, envelope FROM outbox WHERE key = $1 ORDER BY seq`, [subject]);
}

/** A brand an admin creates; its id. */
export async function newBrand(sub: TestSubgraph, input: { name: string; websiteUrl?: string }): Promise<string> {
  return ok(
    await sub.query<{ createBrand: { id: string } }>(
      `mutation($input: CreateBrandInput!) { createBrand(input: $input) { id } }`,
      { input },
      identities.admin(),
    ),
  ).createBrand.id;
}

/** A campaign a member of its brand creates; its id. */
export async function newCampaign(sub: TestSubgraph, member: Identity, input: Record<string, unknown>): Promise<string> {
  return ok(
    await sub.query<{ createCampaign: { id: string } }>(
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
      { input },
      member,
    ),
  ).createCampaign.id;
}

/** A campaign of the brand with a published brief, and `creatorId` invited to it; the partnership's id. */
export async function invitedPartnership(
  sub: TestSubgraph,
  member: Identity,
  brandId: string,
  creatorId: string,
  terms: Record<string, unknown> = {},
): Promise<string> {
  const campaignId = await newCampaign(sub, member, {
    brandId,
    name: `With ${creatorId}`,
    goal: { type: 'CONTENT', target: 2 },
    budget: { amountMinor: 300_000, currency: 'USD' },
    startsOn: '2027-06-01',
    endsOn: '2027-07-31',
  });
  ok(
    await sub.query(
      `mutation($campaignId: ID!, $input: PublishBriefInput!) { publishBrief(campaignId: $campaignId, input: $input) { id } }`,
      {
        campaignId,
        input: { brandStory: 'Gear that lasts.', deliverables: [{ platform: 'INSTAGRAM', format: 'REEL', count: 1, dueOn: '2027-06-20' }] },
      },
      member,
    ),
  );
  return ok(
    await sub.query<{ inviteCreator: { id: string } }>(
      `mutation($input: InviteCreatorInput!) { inviteCreator(input: $input) { id } }`,
      { input: { campaignId, creatorId, fee: { amountMinor: 40_000, currency: 'USD' }, ...terms } },
      member,
    ),
  ).inviteCreator.id;
}
