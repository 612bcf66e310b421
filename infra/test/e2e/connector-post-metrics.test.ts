import { connectorSchema, FakePlatforms } from '@influenceflow/discovery';
import { eventually } from '@influenceflow/kit/testing';
import { startTestStack, TestStack } from '../../src/testing/stack';
import { campaignInput, createBrand, daysFromToday, dbOf, inviteWhenKnown, ok } from './support';

/**
 * A deliverable measured by the creator's connected account, end to end through the gateway: the creator
 * posts a YouTube Short for a campaign (the URL as they paste it), connects their channel (a local server
 * answering as Google does), discovery publishes each video's counters (post.measured), and analytics
 * shows the Short's likes and comments in the campaign report; the channel's other video, no deliverable,
 * is not measured.
 */
describe('post metrics from a connected account, through to the campaign report', () => {
  let stack: TestStack;
  let fake: FakePlatforms;
  const creatorId = '00000000-0000-4000-8000-0000000c0d01';
  const REPORT = `query($id: ID!) { campaignReport(campaignId: $id) { results { reach impressions engagements approvedDeliverables } } }`;

  beforeAll(async () => {
    fake = await new FakePlatforms().start();
    fake.videos = [
      {
        id: 'shortE2E0001',
        publishedAt: new Date(Date.now() - 3_600_000).toISOString(),
        title: 'Oaty on the ridge #ad',
        duration: 'PT30S',
        viewCount: '12000',
        likeCount: '900',
        commentCount: '45',
      },
      {
        id: 'otherE2E0002',
        publishedAt: new Date(Date.now() - 86_400_000).toISOString(),
        title: 'Camp night',
        duration: 'PT9M',
        viewCount: '70000',
        likeCount: '5000',
        commentCount: '300',
      },
    ];
    const settings = connectorSchema.parse({ ...fake.env('https://app.example/connected'), CONNECTOR_POLL_MS: '3600000' });
    stack = await startTestStack({ subgraphs: { settings } });
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await fake?.stop();
  });

  it('measures the posted deliverable from the platform, and nothing else', async () => {
    const creator = await stack.token({ sub: 'tess-posts', roles: ['creator'], creatorId });
    await ok(
      stack,
      `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) { id } }`,
      { input: { handle: 'tess.posts', displayName: 'Tess Posts', niches: ['outdoors'], country: 'US' } },
      creator,
    );
    const brandId = await createBrand(stack, 'Oaty');
    const member = await stack.token({ sub: 'oaty-posts-member', roles: ['brand_member'], brandIds: [brandId] });
    const analyst = await stack.token({ sub: 'oaty-posts-analyst', roles: ['analyst'], brandIds: [brandId] });
    const { createCampaign } = await ok<{ createCampaign: { id: string } }>(
      stack,
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
      { input: campaignInput(brandId, { startsOn: daysFromToday(-1), endsOn: daysFromToday(30) }) },
      member,
    );
    const campaignId = createCampaign.id;
    await ok(
      stack,
      `mutation($id: ID!, $due: String!) { publishBrief(campaignId: $id, input: { brandStory: "Oats outdoors",
        deliverables: [{ platform: YOUTUBE, format: SHORT, count: 1, dueOn: $due }] }) { version } }`,
      { id: campaignId, due: daysFromToday(10) },
      member,
    );
    const partnershipId = await inviteWhenKnown(stack, member, { campaignId, creatorId, fee: { amountMinor: 40_000, currency: 'USD' } });
    await ok(stack, `mutation($id: ID!) { respondToInvitation(id: $id, accept: true) { status } }`, { id: partnershipId }, creator);
    const { partnership } = await ok<{ partnership: { deliverables: { id: string }[] } }>(
      stack,
      `query($id: ID!) { partnership(id: $id) { deliverables { id } } }`,
      { id: partnershipId },
      creator,
    );
    const deliverableId = partnership.deliverables[0].id;
    await ok(
      stack,
      `mutation($id: ID!) { submitDraft(input: { deliverableId: $id, draftUrl: "https://drive.example/short", caption: "Oaty on the ridge #ad" }) { status } }`,
      { id: deliverableId },
      creator,
    );
    await ok(
      stack,
      `mutation($id: ID!) { reviewDraft(input: { deliverableId: $id, decision: APPROVED }) { status } }`,
      { id: deliverableId },
      member,
    );
    await ok(stack, `mutation($id: ID!) { changeCampaignStatus(id: $id, status: ACTIVE) { status } }`, { id: campaignId }, member);
    // As the creator pastes it: the Shorts link with YouTube's share parameter.
    await ok(
      stack,
      `mutation($id: ID!) { markDeliverablePosted(id: $id, postUrl: "https://youtube.com/shorts/shortE2E0001?feature=share") { status } }`,
      { id: deliverableId },
      creator,
    );
    const analytics = dbOf(stack, 'analytics');
    await eventually(
      async () =>
        (
          await analytics<{ post_url_key: string | null }>(`SELECT post_url_key FROM deliverable_facts WHERE deliverable_id = $1`, [
            deliverableId,
          ])
        )[0]?.post_url_key === 'https://youtube.com/watch?v=shortE2E0001',
      60_000,
      'analytics to copy the posted deliverable',
    );
    const before = (await ok<{ campaignReport: { results: Record<string, number> } }>(stack, REPORT, { id: campaignId }, analyst))
      .campaignReport.results;
    expect(before).toMatchObject({ reach: 0, impressions: 0, engagements: 0 });

    // The creator connects the channel: its figures, and each video's counters, are fetched at once.
    const started = await ok<{ startPlatformConnection: { authorizationUrl: string } }>(
      stack,
      `mutation { startPlatformConnection(platform: YOUTUBE) { authorizationUrl } }`,
      {},
      creator,
    );
    const back = await fake.consent(started.startPlatformConnection.authorizationUrl);
    await ok(
      stack,
      `mutation($input: CompleteConnectionInput!) { completePlatformConnection(input: $input) { status } }`,
      { input: { state: back.get('state'), code: back.get('code') } },
      creator,
    );
    const measured = await dbOf(stack, 'discovery')<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE type = 'post.measured' AND key = $1`,
      [creatorId],
    );
    expect(measured[0].n).toBe(2);

    // YouTube gives no reach or impressions (unknown, so none counted) and no shares: 900 likes + 45 comments.
    const report = await eventually(
      async () => {
        const r = (await stack.query<{ campaignReport: { results: Record<string, number> } }>(REPORT, { id: campaignId }, analyst)).data;
        return r?.campaignReport.results.engagements === 945 && r.campaignReport.results;
      },
      60_000,
      'the campaign report to show the connector’s counters',
    );
    expect(report).toMatchObject({ reach: 0, impressions: 0, engagements: 945 });
    const snapshots = await analytics<{ deliverable_id: string; likes: string; reach: string | null; views: string; source: string }>(
      `SELECT deliverable_id, likes, reach, views, source FROM post_snapshots`,
    );
    // The other video is no deliverable: not measured (its event applied as nothing).
    expect(snapshots).toEqual([{ deliverable_id: deliverableId, likes: '900', reach: null, views: '12000', source: 'connector' }]);
    await eventually(
      async () => (await analytics<{ n: number }>(`SELECT count(*)::int AS n FROM inbox WHERE type = 'post.measured'`))[0].n === 2,
      30_000,
      'both events in the inbox',
    );
    // The caption reached the comments' code (the brand's mentions).
    const captions = await analytics<{ body: string }>(`SELECT body FROM post_comments WHERE deliverable_id = $1 AND kind = 'caption'`, [
      deliverableId,
    ]);
    expect(captions).toEqual([{ body: 'Oaty on the ridge #ad' }]);
  }, 300_000);
});
