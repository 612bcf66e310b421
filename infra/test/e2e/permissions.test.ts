import { startTestStack, TestStack } from '../../src/testing/stack';
import { campaignInput, codeOf, createBrand, daysFromToday, dbOf, expectNoLeak, inviteWhenKnown, ok, saveCreator } from './support';

/**
 * Who may make which campaign mutation, through the gateway with real tokens (issue 12, "Consistency a
 * client can rely on"): every campaign mutation, called by each role that may not make it, is refused with
 * the code docs/campaign.md and docs/security.md give — FORBIDDEN (saying why, in the caller's terms) for a
 * caller who sees the thing but is on the wrong side, NOT_FOUND for one who may not see it, UNAUTHENTICATED
 * without a token — before any state or input check, and nothing is written.
 */
describe('campaign mutations: who may make them', () => {
  let stack: TestStack;
  const ids = { brand: '', campaign: '', invitingCampaign: '', partnership: '', invitation: '', submitted: '', planned: '' };
  const creatorId = '00000000-0000-4000-8000-0000000e1601';
  type Role = 'member' | 'analyst' | 'creator' | 'stranger' | 'rival' | 'anonymous';
  const tokens: Record<Role, string | undefined> = { member: '', analyst: '', creator: '', stranger: '', rival: '', anonymous: undefined };

  const ANALYST = /^Analysts read a brand's campaigns; only its members change them$/;
  const CREATOR_ON_BRAND = /^This is for the brand's members; a creator cannot do it$/;
  const NOT_A_MEMBER = /^You are not a member of this brand$/;

  beforeAll(async () => {
    stack = await startTestStack();
    ids.brand = await createBrand(stack, 'Permission Table Co');
    tokens.member = await stack.token({ sub: 'perm-member', roles: ['brand_member'], brandIds: [ids.brand] });
    tokens.analyst = await stack.token({ sub: 'perm-analyst', roles: ['analyst'], brandIds: [ids.brand] });
    tokens.creator = await stack.token({ sub: 'perm-cleo', roles: ['creator'], creatorId });
    tokens.stranger = await stack.token({ sub: 'perm-stan', roles: ['creator'], creatorId: '00000000-0000-4000-8000-0000000e1602' });
    tokens.rival = await stack.token({
      sub: 'perm-rival',
      roles: ['brand_member'],
      brandIds: [await createBrand(stack, 'Permission Rival Co')],
    });
    await saveCreator(
      stack,
      tokens.creator!,
      { handle: 'perm.cleo', displayName: 'Cleo', niches: ['running'], country: 'US' },
      { handle: 'perm.cleo', followers: 9_000 },
    );
    const campaign = async (name: string) => {
      const id = (
        await ok<{ createCampaign: { id: string } }>(
          stack,
          `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
          { input: campaignInput(ids.brand, { name }) },
          tokens.member,
        )
      ).createCampaign.id;
      await ok(
        stack,
        `mutation($id: ID!, $due: String!) { publishBrief(campaignId: $id, input: { brandStory: "Shoes for long runs", deliverables: [{ platform: INSTAGRAM, format: REEL, count: 2, dueOn: $due }] }) { version } }`,
        { id, due: daysFromToday(50) },
        tokens.member,
      );
      return id;
    };
    ids.campaign = await campaign('Permission runs');
    ids.invitingCampaign = await campaign('Permission invitation');
    const fee = { amountMinor: 20_000, currency: 'USD' };
    ids.partnership = await inviteWhenKnown(stack, tokens.member!, { campaignId: ids.campaign, creatorId, fee });
    const accepted = await ok<{ respondToInvitation: { deliverables: { id: string }[] } }>(
      stack,
      `mutation($id: ID!) { respondToInvitation(id: $id, accept: true) { deliverables { id } } }`,
      { id: ids.partnership },
      tokens.creator,
    );
    [ids.submitted, ids.planned] = accepted.respondToInvitation.deliverables.map((d) => d.id);
    await ok(
      stack,
      `mutation($id: ID!) { submitDraft(input: { deliverableId: $id, draftUrl: "https://drive.example/perm", caption: "#ad" }) { status } }`,
      { id: ids.submitted },
      tokens.creator,
    );
    ids.invitation = await inviteWhenKnown(stack, tokens.member!, { campaignId: ids.invitingCampaign, creatorId, fee });
  }, 120_000);
  afterAll(() => stack?.close());

  /** What the refused calls must not have changed (read from the campaign service's tables). */
  const snapshot = async () => {
    const db = dbOf(stack, 'campaign');
    return {
      campaigns: await db(`SELECT id, status, name FROM campaigns WHERE brand_id = $1 ORDER BY id`, [ids.brand]),
      briefs: await db(`SELECT campaign_id, version FROM campaign_briefs ORDER BY campaign_id, version`),
      partnerships: await db(`SELECT id, status, discount_code FROM partnerships WHERE brand_id = $1 ORDER BY id`, [ids.brand]),
      deliverables: await db(`SELECT id, status, flag_reason, ugc_reuse_allowed FROM deliverables WHERE brand_id = $1 ORDER BY id`, [
        ids.brand,
      ]),
      messages: await db(`SELECT count(*)::int AS n FROM partnership_messages`),
      brands: await db(`SELECT count(*)::int AS n, max(disclosure_rules::text) AS rules FROM brands`),
    };
  };

  type Expected = { code: string; message?: RegExp };
  type Row = { name: string; query: string; vars: () => Record<string, unknown>; refused: Partial<Record<Role, Expected>> };
  const F = (message?: RegExp): Expected => ({ code: 'FORBIDDEN', ...(message ? { message } : {}) });
  const NF: Expected = { code: 'NOT_FOUND' };
  // Roles outside the thing: they do not see it.
  const outsiders = { stranger: NF, rival: NF } as const;

  const rows: Row[] = [
    {
      name: 'createBrand',
      query: `mutation { createBrand(input: { name: "Sneaky Brand" }) { id } }`,
      vars: () => ({}),
      refused: { member: F(), analyst: F(), creator: F(), rival: F() },
    },
    {
      name: 'createCampaign',
      query: `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
      // Bad dates too: permission is checked before the input.
      vars: () => ({ input: campaignInput(ids.brand, { name: 'Sneaky', startsOn: '2025-01-01', endsOn: '2025-02-01' }) }),
      refused: { analyst: F(ANALYST), creator: F(CREATOR_ON_BRAND), stranger: F(CREATOR_ON_BRAND), rival: F(NOT_A_MEMBER) },
    },
    {
      name: 'publishBrief',
      query: `mutation($id: ID!) { publishBrief(campaignId: $id, input: { brandStory: "" }) { version } }`,
      vars: () => ({ id: ids.campaign }),
      refused: { analyst: F(ANALYST), creator: NF, ...outsiders },
    },
    {
      name: 'changeCampaignStatus',
      // COMPLETED is not a move from draft: permission still comes first.
      query: `mutation($id: ID!) { changeCampaignStatus(id: $id, status: COMPLETED) { status } }`,
      vars: () => ({ id: ids.campaign }),
      refused: { analyst: F(ANALYST), creator: NF, ...outsiders },
    },
    {
      name: 'inviteCreator',
      // The creator is already invited (CONFLICT for a member): permission first.
      query: `mutation($input: InviteCreatorInput!) { inviteCreator(input: $input) { id } }`,
      vars: () => ({ input: { campaignId: ids.campaign, creatorId, fee: { amountMinor: 1, currency: 'USD' } } }),
      refused: { analyst: F(ANALYST), creator: NF, ...outsiders },
    },
    {
      name: 'setBrandDisclosureRules',
      query: `mutation($brandId: ID!) { setBrandDisclosureRules(brandId: $brandId, rules: { anyMarket: ["#notamarker"] }) { id } }`,
      vars: () => ({ brandId: ids.brand }),
      refused: { analyst: F(ANALYST), creator: F(CREATOR_ON_BRAND), stranger: F(CREATOR_ON_BRAND), rival: F(NOT_A_MEMBER) },
    },
    {
      name: 'respondToInvitation (the brand made the latest offer)',
      query: `mutation($id: ID!) { respondToInvitation(id: $id, accept: true) { status } }`,
      vars: () => ({ id: ids.invitation }),
      refused: { member: F(), analyst: F(), ...outsiders },
    },
    {
      name: 'counterOffer (the brand made the latest offer)',
      query: `mutation($id: ID!) { counterOffer(id: $id, terms: { fee: { amountMinor: -5, currency: "USD" } }) { round } }`,
      vars: () => ({ id: ids.invitation }),
      refused: { member: F(), analyst: F(), ...outsiders },
    },
    {
      name: 'changePartnershipStatus',
      query: `mutation($id: ID!) { changePartnershipStatus(id: $id, status: PAUSED) { status } }`,
      vars: () => ({ id: ids.partnership }),
      refused: { analyst: F(ANALYST), creator: F(CREATOR_ON_BRAND), ...outsiders },
    },
    {
      name: 'setDiscountCode',
      query: `mutation($id: ID!) { setDiscountCode(id: $id, code: "!!") { discountCode } }`,
      vars: () => ({ id: ids.partnership }),
      refused: { analyst: F(ANALYST), creator: F(CREATOR_ON_BRAND), ...outsiders },
    },
    {
      name: 'submitDraft (already submitted: INVALID_STATE for its creator)',
      query: `mutation($id: ID!) { submitDraft(input: { deliverableId: $id, draftUrl: "https://drive.example/brand-draft" }) { status } }`,
      vars: () => ({ id: ids.submitted }),
      refused: { member: F(/^Only the creator/), analyst: F(), ...outsiders },
    },
    {
      name: 'reviewDraft (changes without comments)',
      query: `mutation($id: ID!) { reviewDraft(input: { deliverableId: $id, decision: CHANGES_REQUESTED }) { status } }`,
      vars: () => ({ id: ids.submitted }),
      refused: { analyst: F(ANALYST), creator: F(/^Only the brand moves a deliverable to changes_requested$/), ...outsiders },
    },
    {
      name: 'markDeliverablePosted (not approved, campaign a draft)',
      query: `mutation($id: ID!) { markDeliverablePosted(id: $id, postUrl: "https://instagram.com/p/perm") { status } }`,
      vars: () => ({ id: ids.planned }),
      refused: { member: F(/^Only the creator/), analyst: F(), ...outsiders },
    },
    {
      name: 'verifyDeliverable (not posted, campaign a draft)',
      query: `mutation($id: ID!) { verifyDeliverable(id: $id) { status } }`,
      vars: () => ({ id: ids.planned }),
      refused: { analyst: F(ANALYST), creator: F(/^Only the brand moves a deliverable to verified$/), ...outsiders },
    },
    {
      name: 'setUgcReuse',
      query: `mutation($id: ID!) { setUgcReuse(id: $id, allowed: true) { ugcReuseAllowed } }`,
      vars: () => ({ id: ids.planned }),
      refused: { member: F(), analyst: F(), ...outsiders },
    },
    {
      name: 'flagContent',
      query: `mutation($id: ID!) { flagContent(id: $id, reason: "Wrong logo") { flagReason } }`,
      vars: () => ({ id: ids.planned }),
      refused: { analyst: F(ANALYST), creator: F(CREATOR_ON_BRAND), ...outsiders },
    },
    {
      name: 'postPartnershipMessage',
      query: `mutation($id: ID!) { postPartnershipMessage(input: { partnershipId: $id, body: "Hello" }) { id } }`,
      vars: () => ({ id: ids.partnership }),
      refused: { analyst: F(ANALYST), ...outsiders },
    },
    {
      name: 'markPartnershipMessagesRead',
      query: `mutation($id: ID!) { markPartnershipMessagesRead(partnershipId: $id) { id } }`,
      vars: () => ({ id: ids.partnership }),
      refused: { ...outsiders },
    },
  ];

  it('refuses every campaign mutation to each role that may not make it, before state and input, and writes nothing', async () => {
    const before = await snapshot();
    const got: string[] = [];
    const wanted: string[] = [];
    for (const row of rows) {
      for (const role of ['member', 'analyst', 'creator', 'stranger', 'rival', 'anonymous'] as Role[]) {
        const expected = role === 'anonymous' ? { code: 'UNAUTHENTICATED' } : row.refused[role];
        if (!expected) continue;
        const r = await stack.query(row.query, row.vars(), tokens[role]);
        expectNoLeak(r);
        const error = r.errors?.[0];
        // One line per call, so a failure names every mismatch of the table at once.
        got.push(
          `${row.name} as ${role}: ${error?.extensions?.code ?? 'ALLOWED'}${expected.message && error && !expected.message.test(error.message) ? ` "${error.message}"` : ''}`,
        );
        wanted.push(`${row.name} as ${role}: ${expected.code}`);
        if (error && expected.code === 'FORBIDDEN') expect(error.message.length).toBeGreaterThan(10);
      }
    }
    expect(got).toEqual(wanted);
    expect(await snapshot()).toEqual(before);
  });

  it('tells a brand that calls a creator move why, with who makes it, and the creator that calls a brand move', async () => {
    const brandSubmits = await stack.query(
      `mutation($id: ID!) { submitDraft(input: { deliverableId: $id, draftUrl: "https://drive.example/x" }) { status } }`,
      { id: ids.submitted },
      tokens.member,
    );
    expect(brandSubmits.errors?.[0]).toMatchObject({
      message: 'Only the creator moves a deliverable to submitted',
      extensions: { code: 'FORBIDDEN', to: 'submitted', actors: ['creator'] },
    });
    // The same call by the creator is a state problem: it is already submitted.
    const again = await stack.query(
      `mutation($id: ID!) { submitDraft(input: { deliverableId: $id, draftUrl: "https://drive.example/x" }) { status } }`,
      { id: ids.submitted },
      tokens.creator,
    );
    expect(codeOf(again)).toMatchObject({ code: 'INVALID_STATE' });
    const creatorPauses = await stack.query(
      `mutation($id: ID!) { changePartnershipStatus(id: $id, status: PAUSED, reason: "x") { status } }`,
      { id: ids.partnership },
      tokens.creator,
    );
    expect(creatorPauses.errors?.[0]).toMatchObject({
      message: "This is for the brand's members; a creator cannot do it",
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it("hides another brand's things: reads are NOT_FOUND for outsiders, lists of a brand FORBIDDEN", async () => {
    for (const [query, vars] of [
      [`query($id: ID!) { campaign(id: $id) { name } }`, { id: ids.campaign }],
      [`query($id: ID!) { partnership(id: $id) { status } }`, { id: ids.partnership }],
      [`query($id: ID!) { deliverable(id: $id) { status } }`, { id: ids.submitted }],
    ] as const) {
      for (const token of [tokens.rival, tokens.stranger]) {
        const r = await stack.query(query, vars, token);
        expect(r.data ?? null).toBeNull();
        expect(codeOf(r)).toMatchObject({ code: 'NOT_FOUND' });
        expect(JSON.stringify(r)).not.toContain('Permission runs');
      }
      expect(codeOf(await stack.query(query, vars))).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    for (const query of [
      `query($id: ID!) { campaigns(brandId: $id) { edges { node { id } } } }`,
      `query($id: ID!) { deliverables(brandId: $id) { edges { node { id } } } }`,
      `query($id: ID!) { flaggedContent(brandId: $id) { edges { node { id } } } }`,
      `query($id: ID!) { contentLibrary(brandId: $id) { edges { node { id } } } }`,
      `query($id: ID!) { reviewQueue(brandId: $id) { edges { node { reasons } } } }`,
    ]) {
      for (const token of [tokens.rival, tokens.creator])
        expect(codeOf(await stack.query(query, { id: ids.brand }, token))).toMatchObject({ code: 'FORBIDDEN' });
      expect(codeOf(await stack.query(query, { id: ids.brand }, tokens.analyst))).toBeUndefined();
    }
  });

  it('refuses ids that are not UUIDs, NUL bytes and huge strings with BAD_USER_INPUT on the field, before any service', async () => {
    for (const [query, vars] of [
      [`mutation($id: ID!) { changeCampaignStatus(id: $id, status: ACTIVE) { status } }`, { id: "1' OR '1'='1" }],
      [`mutation($id: ID!) { verifyDeliverable(id: $id) { status } }`, { id: `${ids.planned}\u0000` }],
      [
        `mutation($id: ID!, $code: String!) { setDiscountCode(id: $id, code: $code) { discountCode } }`,
        { id: ids.partnership, code: 'A'.repeat(200_000) },
      ],
    ] as const) {
      const r = await stack.query(query, vars, tokens.member);
      expect(r.data ?? null).toBeNull();
      expect(codeOf(r)).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(codeOf(r)?.field).toBeDefined();
      expect(JSON.stringify(r)).not.toContain('AAAAAAAAAA');
      expectNoLeak(r);
    }
  });
});
