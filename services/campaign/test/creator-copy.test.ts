import { createEvent } from '@influenceflow/kit';
import { CreatorProfileData, TOPICS } from '@influenceflow/vocabulary';
import {
  eventually,
  identities,
  publishRawEvent,
  startTestSubgraph,
  TEST_KAFKA_BROKERS,
  testTopicPrefix,
  TestSubgraph,
} from '@influenceflow/kit/testing';
import { campaignSubgraph } from '../src/schema';
import { codeOf, invitedPartnership, knownCreators, newBrand, ok } from './support';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const RENAMED = uuid(901);
const OTHER = uuid(902);

/** Campaign's copy of discovery's creators follows their handles, so brands can invite by handle. */
describe('creators by handle', () => {
  let sub: TestSubgraph;
  const handleOf = async (id: string) =>
    (await sub.runtime.dataSource.query(`SELECT handle FROM creators WHERE id = $1`, [id]))[0]?.handle as string | undefined;
  const profileEvent = (data: CreatorProfileData, time: Date) =>
    Object.assign(createEvent('discovery', { type: 'creator.profile-updated', subject: data.creatorId, data }), {
      time: time.toISOString(),
    });

  beforeAll(async () => {
    sub = await startTestSubgraph(campaignSubgraph);
    await knownCreators(sub, [
      [RENAMED, 'old.name'],
      [OTHER, 'otto.outdoors'],
    ]);
  }, 60_000);
  afterAll(() => sub?.close());

  it('takes a new handle from creator.profile-updated, and never an older one', async () => {
    const topic = `${testTopicPrefix()}${TOPICS.creator}`;
    const base = { creatorId: RENAMED, displayName: 'Nia', country: 'NO', niches: ['outdoors'] };
    const later = new Date(Date.now() + 60_000);
    await publishRawEvent(TEST_KAFKA_BROKERS, topic, profileEvent({ ...base, handle: 'new.name' }, later));
    await eventually(async () => (await handleOf(RENAMED)) === 'new.name', 30_000, 'the copy to take the new handle');
    // A late event from before the rename arrives after it: ignored.
    const late = profileEvent({ ...base, handle: 'older.name' }, new Date(later.getTime() - 30_000));
    await publishRawEvent(TEST_KAFKA_BROKERS, topic, late);
    await eventually(
      async () => (await sub.runtime.dataSource.query(`SELECT 1 FROM inbox WHERE event_id = $1`, [late.id])).length === 1,
      30_000,
      'the late event to be handled',
    );
    expect(await handleOf(RENAMED)).toBe('new.name');
  });

  it('invites by handle ("@" optional, any case), refusing neither-nor, both, bad and unknown handles', async () => {
    const brandId = await newBrand(sub, { name: 'Handleco' });
    const member = identities.brandMember(brandId);
    // A campaign with a brief, through a first invitation by id.
    await invitedPartnership(sub, member, brandId, OTHER);
    const campaignId = (await sub.runtime.dataSource.query(`SELECT campaign_id FROM partnerships WHERE brand_id = $1`, [brandId]))[0]
      .campaign_id as string;
    const INVITE = `mutation($input: InviteCreatorInput!) { inviteCreator(input: $input) { id creator { id } } }`;
    const fee = { amountMinor: 30_000, currency: 'USD' };
    const invite = (input: Record<string, unknown>) =>
      sub.query<{ inviteCreator: { creator: { id: string } } }>(INVITE, { input: { campaignId, fee, ...input } }, member);

    expect(codeOf(await invite({}))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.creatorId' });
    expect(codeOf(await invite({ creatorId: RENAMED, creatorHandle: 'new.name' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.creatorId',
    });
    expect(codeOf(await invite({ creatorHandle: 'no spaces!' }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.creatorHandle' });
    expect(codeOf(await invite({ creatorHandle: '@nobody.here' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(codeOf(await invite({ creatorHandle: 'old.name' }))).toMatchObject({ code: 'NOT_FOUND' }); // the handle moved on
    expect(ok(await invite({ creatorHandle: '@New.Name' })).inviteCreator.creator.id).toBe(RENAMED);
    expect(codeOf(await invite({ creatorHandle: 'new.name' }))).toMatchObject({ code: 'CONFLICT', field: 'input.creatorHandle' });
    expect(codeOf(await invite({ creatorHandle: 'otto.outdoors' }))).toMatchObject({ code: 'CONFLICT' });
  });
});
