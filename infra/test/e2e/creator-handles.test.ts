import { eventually } from '@influenceflow/kit/testing';
import { startTestStack, TestStack } from '../../src/testing/stack';
import { campaignInput, saveCreator } from './support';

/**
 * A creator renames themself in discovery; a brand finds and invites them by the new handle, through the
 * gateway, once campaign has heard (creator.profile-updated over Kafka). The profile save is partial.
 */
describe('creators by handle, end to end', () => {
  let stack: TestStack;
  const creatorId = '00000000-0000-4000-8000-0000000e3001';

  beforeAll(async () => {
    stack = await startTestStack();
  }, 120_000);
  afterAll(() => stack?.close());

  it('invites a renamed creator by the new handle, and keeps the profile fields the rename did not send', async () => {
    const creator = await stack.token({ sub: 'rae', roles: ['creator'], creatorId });
    await saveCreator(
      stack,
      creator,
      { handle: 'rae.rows', displayName: 'Rae', bio: 'Rowing at dawn', niches: ['fitness'], country: 'GB', languages: ['en'] },
      { handle: 'rae.rows', followers: 18_000 },
    );
    const renamed = await stack.query<{ saveMyCreatorProfile: Record<string, unknown> }>(
      `mutation { saveMyCreatorProfile(input: { handle: "rae.rows.river" }) { handle displayName bio niches country languages } }`,
      {},
      creator,
    );
    expect(renamed.errors).toBeUndefined();
    expect(renamed.data!.saveMyCreatorProfile).toEqual({
      handle: 'rae.rows.river',
      displayName: 'Rae',
      bio: 'Rowing at dawn',
      niches: ['fitness'],
      country: 'GB',
      languages: ['en'],
    });

    const admin = await stack.token({ sub: 'ops', roles: ['admin'] });
    const brand = await stack.query<{ createBrand: { id: string } }>(
      `mutation { createBrand(input: { name: "Oarsome" }) { id } }`,
      {},
      admin,
    );
    const brandId = brand.data!.createBrand.id;
    const member = await stack.token({ sub: 'bea', roles: ['brand_member'], brandIds: [brandId] });
    const today = new Date().toISOString().slice(0, 10);
    const inAMonth = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const campaign = await stack.query<{ createCampaign: { id: string } }>(
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
      { input: campaignInput(brandId, { startsOn: today, endsOn: inAMonth }) },
      member,
    );
    const campaignId = campaign.data!.createCampaign.id;
    const brief = await stack.query(
      `mutation($id: ID!, $due: String!) { publishBrief(campaignId: $id, input: { brandStory: "Oars that last", deliverables: [{ platform: INSTAGRAM, format: REEL, count: 1, dueOn: $due }] }) { version } }`,
      { id: campaignId, due: inAMonth },
      member,
    );
    expect(brief.errors).toBeUndefined();

    const INVITE = `mutation($input: InviteCreatorInput!) { inviteCreator(input: $input) { id creator { id handle } } }`;
    const invite = (creatorHandle: string) =>
      stack.query<{ inviteCreator: { creator: { id: string; handle: string } } }>(
        INVITE,
        { input: { campaignId, creatorHandle, fee: { amountMinor: 50_000, currency: 'GBP' } } },
        member,
      );
    // Campaign hears of the rename by Kafka: the new handle is found once it has.
    const invited = await eventually(
      async () => {
        const r = await invite('@Rae.Rows.River');
        return r.errors?.[0]?.extensions?.code === 'NOT_FOUND' ? undefined : r;
      },
      30_000,
      'campaign to follow the rename',
    );
    expect(invited.errors).toBeUndefined();
    expect(invited.data!.inviteCreator.creator).toEqual({ id: creatorId, handle: 'rae.rows.river' });
    expect((await invite('rae.rows')).errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND' });

    const creatorTriesToInvite = await stack.query(
      INVITE,
      { input: { campaignId, creatorHandle: 'rae.rows.river', fee: { amountMinor: 1, currency: 'GBP' } } },
      creator,
    );
    expect(creatorTriesToInvite.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND' });
  });
});
