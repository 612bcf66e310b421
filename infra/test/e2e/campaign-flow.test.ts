import { eventually } from '@influenceflow/kit/testing';
import { startTestStack, TestStack } from '../../src/testing/stack';

/**
 * A brand's day with a creator, through the gateway with real tokens (issue 5): create a campaign,
 * publish a brief, invite a creator found by search, the creator accepts, submits a draft, the brand asks
 * for a change, approves, the creator marks it posted; the tracking link counts the click.
 */
describe('campaign flow through the gateway', () => {
  let stack: TestStack;
  const creatorId = '00000000-0000-4000-8000-0000000c0f01';

  beforeAll(async () => {
    // The gateway is the public origin of tracking links: campaign trusts it (loopback here) for the visitor's address.
    stack = await startTestStack({ subgraphs: { trustedProxies: ['loopback'] } });
  }, 120_000);
  afterAll(() => stack?.close());

  it('runs from campaign to posted content', async () => {
    const call = async <T>(query: string, variables: Record<string, unknown>, token: string): Promise<T> => {
      const r = await stack.query<T>(query, variables, token);
      expect(r.errors).toBeUndefined();
      return r.data!;
    };
    // The creator keeps a profile in discovery.
    const creator = await stack.token({ sub: 'lena', roles: ['creator'], creatorId });
    await call(
      `mutation { saveMyCreatorProfile(input: { handle: "lena.lifts", displayName: "Lena", niches: ["fitness"], country: "DE", bio: "Strength training at home" }) { id } }`,
      {},
      creator,
    );
    await call(
      `mutation { saveMyPlatformAccount(input: { platform: INSTAGRAM, handle: "lena.lifts", followers: 24000, engagementRate: 4.5 }) { id } }`,
      {},
      creator,
    );

    // The brand sets up a campaign and its brief.
    const admin = await stack.token({ sub: 'admin', roles: ['admin'] });
    const { createBrand } = await call<{ createBrand: { id: string } }>(
      `mutation { createBrand(input: { name: "Kettle & Co", websiteUrl: "https://kettle.example/shop" }) { id } }`,
      {},
      admin,
    );
    const brand = await stack.token({ sub: 'max', roles: ['brand_member'], brandIds: [createBrand.id] });
    const { createCampaign } = await call<{ createCampaign: { id: string; warnings: string[] } }>(
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id warnings } }`,
      {
        input: {
          brandId: createBrand.id,
          name: 'Home Strength',
          goal: { type: 'SALES', target: 200 },
          budget: { amountMinor: 1_500_000, currency: 'EUR' },
          startsOn: '2027-02-01',
          endsOn: '2027-03-31',
          platforms: ['INSTAGRAM'],
          targetAudience: { countries: ['DE'], ages: ['AGE_25_34'], interests: ['fitness'] },
        },
      },
      brand,
    );
    expect(createCampaign.warnings).toEqual([]);
    await call(
      `mutation($id: ID!) { publishBrief(campaignId: $id, input: {
        brandStory: "Cast-iron kettlebells for small flats", keyMessages: ["Lifetime warranty"], requiredHashtags: ["#KettleAtHome"],
        deliverables: [{ platform: INSTAGRAM, format: REEL, count: 1, dueOn: "2027-02-20" }]
      }) { version } }`,
      { id: createCampaign.id },
      brand,
    );

    // The brand finds the creator by search…
    const found = await call<{ searchCreators: { edges: { node: { id: string; handle: string } }[] } }>(
      `{ searchCreators(filter: { niches: ["fitness"], countries: ["DE"] }, sort: FOLLOWERS, first: 5) { edges { node { id handle } } } }`,
      {},
      brand,
    );
    const lena = found.searchCreators.edges.find((e) => e.node.handle === 'lena.lifts')!.node;
    expect(lena.id).toBe(creatorId);

    // …and invites them once the campaign service has heard of them (creator.created over Kafka).
    const invited = await eventually(
      async () => {
        const r = await stack.query<{ inviteCreator: { id: string; status: string } }>(
          `mutation($input: InviteCreatorInput!) { inviteCreator(input: $input) { id status } }`,
          {
            input: {
              campaignId: createCampaign.id,
              creatorId: lena.id,
              fee: { amountMinor: 60_000, currency: 'EUR' },
              message: 'Join us!',
            },
          },
          brand,
        );
        return r.data?.inviteCreator;
      },
      60_000,
      'the campaign service to know the creator',
    );
    expect(invited.status).toBe('INVITED');

    // The creator sees the invitation with the brief, and accepts.
    const mine = await call<{ myPartnerships: { edges: { node: { id: string; brief: { brandStory: string } } }[] } }>(
      `{ myPartnerships(statuses: [INVITED]) { edges { node { id brief { brandStory } } } } }`,
      {},
      creator,
    );
    expect(mine.myPartnerships.edges.map((e) => e.node)).toEqual([
      { id: invited.id, brief: { brandStory: 'Cast-iron kettlebells for small flats' } },
    ]);
    const { respondToInvitation } = await call<{
      respondToInvitation: { status: string; discountCode: string; trackingLink: string; deliverables: { id: string }[] };
    }>(
      `mutation($id: ID!) { respondToInvitation(id: $id, accept: true) { status discountCode trackingLink deliverables { id } } }`,
      { id: invited.id },
      creator,
    );
    expect(respondToInvitation).toMatchObject({ status: 'ACCEPTED', discountCode: 'LENALIFTS' });
    const deliverableId = respondToInvitation.deliverables[0].id;

    // Draft, change request, second draft, approval, post.
    const step = (query: string, variables: Record<string, unknown>, token: string) =>
      call<Record<string, { status: string }>>(query, variables, token).then((d) => Object.values(d)[0].status);
    const submit = `mutation($id: ID!, $url: String!) { submitDraft(input: { deliverableId: $id, draftUrl: $url }) { status } }`;
    expect(await step(submit, { id: deliverableId, url: 'https://drive.example/lena-1' }, creator)).toBe('SUBMITTED');
    // Its compliance check: the brief's hashtag is missing, and the German market's disclosure.
    const checks = `query($id: ID!) { deliverable(id: $id) { submissions { compliance { passed findings { kind expected } } } } }`;
    const first = await call<{ deliverable: { submissions: { compliance: unknown }[] } }>(checks, { id: deliverableId }, brand);
    expect(first.deliverable.submissions[0].compliance).toEqual({
      passed: false,
      findings: [
        { kind: 'MISSING_HASHTAG', expected: '#kettleathome' },
        { kind: 'MISSING_DISCLOSURE', expected: '#anzeige or #werbung (DE)' },
      ],
    });
    expect(
      await step(
        `mutation($id: ID!) { reviewDraft(input: { deliverableId: $id, decision: CHANGES_REQUESTED, comments: "Show the warranty card" }) { status } }`,
        { id: deliverableId },
        brand,
      ),
    ).toBe('CHANGES_REQUESTED');
    // The second draft has the hashtag but still no #anzeige: approving it needs an override with a reason.
    const resubmit = `mutation($id: ID!) { submitDraft(input: { deliverableId: $id, draftUrl: "https://drive.example/lena-2", caption: "Warranty card inside #KettleAtHome #ad" }) { status } }`;
    expect(await step(resubmit, { id: deliverableId }, creator)).toBe('SUBMITTED');
    const approve = `mutation($id: ID!, $o: ComplianceOverrideInput) { reviewDraft(input: { deliverableId: $id, decision: APPROVED, overrideCompliance: $o }) {
      status reviews { complianceOverride { reason findings } } } }`;
    const refused = await stack.query(approve, { id: deliverableId }, brand);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'INVALID_STATE', findings: ['MISSING_DISCLOSURE'] });
    const reason = { reason: 'Instagram paid-partnership label is set on the post' };
    const analystToken = await stack.token({ sub: 'ana', roles: ['analyst'], brandIds: [createBrand.id] });
    expect((await stack.query(approve, { id: deliverableId, o: reason }, analystToken)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await stack.query(approve, { id: deliverableId, o: reason }, creator)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const approved = await call<{ reviewDraft: { status: string; reviews: { complianceOverride: unknown }[] } }>(
      approve,
      { id: deliverableId, o: reason },
      brand,
    );
    expect(approved.reviewDraft).toEqual({
      status: 'APPROVED',
      reviews: [{ complianceOverride: null }, { complianceOverride: { ...reason, findings: ['MISSING_DISCLOSURE'] } }],
    });
    // Posting waits for the launch: the campaign is still a draft.
    const post = `mutation($id: ID!) { markDeliverablePosted(id: $id, postUrl: "https://instagram.com/p/lena-kettle") { status } }`;
    const early = await stack.query(post, { id: deliverableId }, creator);
    expect(early.errors?.[0]).toMatchObject({
      message: 'The campaign is draft: content is posted and verified only while it is active',
      extensions: { code: 'INVALID_STATE', campaignStatus: 'draft' },
    });
    const launch = `mutation($id: ID!, $s: CampaignStatus!) { changeCampaignStatus(id: $id, status: $s) { status } }`;
    const analyst = await stack.token({ sub: 'ana', roles: ['analyst'], brandIds: [createBrand.id] });
    const otherBrand = await stack.token({ sub: 'zoe', roles: ['brand_member'], brandIds: ['00000000-0000-4000-8000-0000000c0f99'] });
    for (const [token, code] of [
      [analyst, 'FORBIDDEN'],
      [creator, 'NOT_FOUND'],
      [otherBrand, 'NOT_FOUND'],
      [undefined, 'UNAUTHENTICATED'],
    ] as const) {
      expect((await stack.query(launch, { id: createCampaign.id, s: 'ACTIVE' }, token)).errors?.[0].extensions?.code).toBe(code);
    }
    expect(await step(launch, { id: createCampaign.id, s: 'ACTIVE' }, brand)).toBe('ACTIVE');
    expect(await step(post, { id: deliverableId }, creator)).toBe('POSTED');

    // The brand sees it all on the campaign; the creator's profile (discovery) shows the partnership (campaign).
    const view = await call<{
      campaign: { partnerships: { edges: { node: { status: string; deliverables: { status: string; reviews: unknown[] }[] } }[] } };
    }>(
      `query($id: ID!) { campaign(id: $id) { partnerships { edges { node { status deliverables { status reviews { decision } } } } } } }`,
      { id: createCampaign.id },
      brand,
    );
    expect(view.campaign.partnerships.edges[0].node).toEqual({
      status: 'ACCEPTED',
      deliverables: [{ status: 'POSTED', reviews: [{ decision: 'CHANGES_REQUESTED' }, { decision: 'APPROVED' }] }],
    });
    const profile = await call<{ creator: { handle: string; partnerships: { edges: { node: { id: string } }[] } } }>(
      `query($id: ID!) { creator(id: $id) { handle partnerships { edges { node { id } } } } }`,
      { id: creatorId },
      brand,
    );
    expect(profile.creator).toEqual({ handle: 'lena.lifts', partnerships: { edges: [{ node: { id: invited.id } }] } });

    // A follower clicks the tracking link: 302 to the shop with UTM parameters.
    const res = await fetch(respondToInvitation.trackingLink, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(
      /^https:\/\/kettle\.example\/shop\?utm_source=influenceflow&utm_medium=influencer&utm_campaign=home-strength&utm_content=lena\.lifts&ifclid=/,
    );

    // The same link on the gateway's origin: forwarded to the redirect, the visitor's address kept for the click.
    const gatewayLink = `${new URL(stack.gateway.url).origin}/r/${respondToInvitation.trackingLink.split('/r/')[1]}`;
    const viaGateway = await fetch(gatewayLink, {
      redirect: 'manual',
      headers: {
        'x-forwarded-for': '203.0.113.7',
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      },
    });
    expect(viaGateway.status).toBe(302);
    expect(viaGateway.headers.get('cache-control')).toBe('no-store');
    const forwarded = new URL(viaGateway.headers.get('location')!);
    expect(forwarded.origin + forwarded.pathname).toBe('https://kettle.example/shop');
    const campaignService = stack.subgraphs.campaign as unknown as {
      runtime: { dataSource: { query(sql: string, params: unknown[]): Promise<{ envelope: { data: Record<string, unknown> } }[]> } };
      services: { clicks: { hash(value: string): string } };
    };
    const [gatewayClick] = await eventually(async () => {
      const rows = await campaignService.runtime.dataSource.query(
        `SELECT envelope FROM outbox WHERE type = 'click.recorded' AND envelope->'data'->>'clickId' = $1`,
        [forwarded.searchParams.get('ifclid')],
      );
      return rows.length > 0 && rows;
    });
    expect(gatewayClick.envelope.data).toMatchObject({
      partnershipId: invited.id,
      ipHash: campaignService.services.clicks.hash('203.0.113.7'),
      traffic: 'human',
      afterEnd: false,
    });
    const head = await fetch(gatewayLink, { method: 'HEAD', redirect: 'manual' });
    expect(head.status).toBe(302);
    for (const path of ['/r/nope-nothing1', '/r/%00bad']) {
      expect((await fetch(`${new URL(stack.gateway.url).origin}${path}`, { redirect: 'manual' })).status).toBe(404);
    }

    // The creator sees the campaign of the partnership, without the brand's budget, goal or audience.
    const overview = `query($id: ID!) { partnership(id: $id) { status statusReason campaign { budget { amountMinor } }
      campaignOverview { name status startsOn endsOn acceptedBriefVersion brand { name } } } }`;
    expect((await call<{ partnership: unknown }>(overview, { id: invited.id }, creator)).partnership).toEqual({
      status: 'ACCEPTED',
      statusReason: null,
      campaign: null,
      campaignOverview: {
        name: 'Home Strength',
        status: 'ACTIVE',
        startsOn: '2027-02-01',
        endsOn: '2027-03-31',
        acceptedBriefVersion: 1,
        brand: { name: 'Kettle & Co' },
      },
    });
    const someoneElse = await stack.token({ sub: 'ola', roles: ['creator'], creatorId: '00000000-0000-4000-8000-0000000c0f02' });
    expect((await stack.query(overview, { id: invited.id }, someoneElse)).errors?.[0].extensions?.code).toBe('NOT_FOUND');

    // The brand's review queue: a flagged post; read by its analyst, refused to everyone else.
    await call(`mutation($id: ID!) { flagContent(id: $id, reason: "Wrong price in caption") { id } }`, { id: deliverableId }, brand);
    const queue = `query($brandId: ID!) { reviewQueue(brandId: $brandId, first: 10) { edges { node { reasons deliverable { id } } } } }`;
    const expected = { reviewQueue: { edges: [{ node: { reasons: ['FLAGGED'], deliverable: { id: deliverableId } } }] } };
    expect(await call(queue, { brandId: createBrand.id }, brand)).toEqual(expected);
    expect(await call(queue, { brandId: createBrand.id }, analyst)).toEqual(expected);
    for (const [token, code] of [
      [creator, 'FORBIDDEN'],
      [otherBrand, 'FORBIDDEN'],
      [undefined, 'UNAUTHENTICATED'],
    ] as const) {
      const refused = await stack.query(queue, { brandId: createBrand.id }, token);
      expect(refused.errors?.[0].extensions?.code).toBe(code);
      expect(JSON.stringify(refused)).not.toMatch(/stack|at \/|campaign:/i);
    }

    // The brand cancels the campaign: the partnership ends with the reason, the link still redirects.
    expect(await step(launch, { id: createCampaign.id, s: 'CANCELLED' }, brand)).toBe('CANCELLED');
    expect((await call<{ partnership: unknown }>(overview, { id: invited.id }, creator)).partnership).toMatchObject({
      status: 'TERMINATED',
      statusReason: 'campaign cancelled',
    });
    const afterEnd = await fetch(respondToInvitation.trackingLink, { redirect: 'manual' });
    expect(afterEnd.status).toBe(302);
    expect(afterEnd.headers.get('location')).toMatch(/^https:\/\/kettle\.example\/shop\?/);
  });
});
