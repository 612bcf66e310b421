import { eventually } from '@influenceflow/kit/testing';
import { startTestStack, TestStack } from '../../src/testing/stack';
import { campaignInput, codeOf, createBrand, daysFromToday, expectNoLeak, inviteWhenKnown, ok, outboxOf, saveCreator } from './support';

/**
 * Brief compliance through the gateway with real tokens (issue 12, "Brief compliance"): a draft missing
 * the brief's hashtags, mention, link and disclosure and using a forbidden word gets findings the creator
 * and the reviewer see; approving it needs an override with a reason, which is kept and shown; the brand's
 * own disclosure rules decide what counts as a disclosure.
 */
describe('brief compliance through the gateway', () => {
  let stack: TestStack;
  let brandId: string;
  let deliverables: string[];
  const creatorId = '00000000-0000-4000-8000-0000000e1401';
  const tokens: Record<'member' | 'analyst' | 'creator' | 'stranger' | 'rival', string> = {
    member: '',
    analyst: '',
    creator: '',
    stranger: '',
    rival: '',
  };

  const CHECK = `compliance { passed findings { kind expected found message } }`;
  const SUBMIT = `mutation($id: ID!, $caption: String, $note: String) {
    submitDraft(input: { deliverableId: $id, draftUrl: "https://drive.example/summit", caption: $caption, note: $note }) { status submissions { version ${CHECK} } } }`;
  const REVIEW = `mutation($input: ReviewDraftInput!) { reviewDraft(input: $input) {
    status reviews { decision complianceOverride { reason overriddenBy findings } } } }`;
  const DELIVERABLE = `query($id: ID!) { deliverable(id: $id) {
    status submissions { version ${CHECK} } reviews { decision complianceOverride { reason overriddenBy findings } } } }`;
  const RULES = `mutation($brandId: ID!, $rules: BrandDisclosureRulesInput!) {
    setBrandDisclosureRules(brandId: $brandId, rules: $rules) { disclosureRules { anyMarket markets { country markers } } } }`;
  type Check = { passed: boolean; findings: { kind: string; expected: string; found: string | null; message: string }[] };
  type Seen = {
    deliverable: {
      status: string;
      submissions: { version: number; compliance: Check }[];
      reviews: { decision: string; complianceOverride: unknown }[];
    };
  };
  const submit = async (id: string, caption: string, note?: string) =>
    (
      await ok<{ submitDraft: { submissions: { compliance: Check }[] } }>(stack, SUBMIT, { id, caption, note }, tokens.creator)
    ).submitDraft.submissions.at(-1)!.compliance;
  const approve = (id: string, token: string | undefined, overrideCompliance?: unknown) =>
    stack.query<{ reviewDraft: { status: string; reviews: { complianceOverride: unknown }[] } }>(
      REVIEW,
      { input: { deliverableId: id, decision: 'APPROVED', ...(overrideCompliance !== undefined ? { overrideCompliance } : {}) } },
      token,
    );

  beforeAll(async () => {
    stack = await startTestStack();
    brandId = await createBrand(stack, 'Summit Compliance Co', 'https://summit.example/');
    tokens.member = await stack.token({ sub: 'comp-member', roles: ['brand_member'], brandIds: [brandId] });
    tokens.analyst = await stack.token({ sub: 'comp-analyst', roles: ['analyst'], brandIds: [brandId] });
    tokens.creator = await stack.token({ sub: 'comp-kai', roles: ['creator'], creatorId });
    tokens.stranger = await stack.token({ sub: 'comp-lou', roles: ['creator'], creatorId: '00000000-0000-4000-8000-0000000e1402' });
    tokens.rival = await stack.token({
      sub: 'comp-rival',
      roles: ['brand_member'],
      brandIds: [await createBrand(stack, 'Summit Rival Co')],
    });
    await saveCreator(
      stack,
      tokens.creator,
      { handle: 'comp.kai', displayName: 'Kai', niches: ['hiking'], country: 'US' },
      { handle: 'comp.kai', followers: 22_000 },
    );
    const campaign = await ok<{ createCampaign: { id: string } }>(
      stack,
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
      { input: campaignInput(brandId, { name: 'Summit boots', targetAudience: { countries: ['US'] } }) },
      tokens.member,
    );
    const campaignId = campaign.createCampaign.id;
    await ok(
      stack,
      `mutation($id: ID!, $input: PublishBriefInput!) { publishBrief(campaignId: $id, input: $input) { version } }`,
      {
        id: campaignId,
        input: {
          brandStory: 'Boots that keep going.',
          requiredHashtags: ['#SummitCo', '#TrailReady'],
          requiredMentions: ['@summit.co'],
          requiredLinks: ['https://summit.example/boots'],
          forbiddenWords: ['cheap'],
          donts: ['Do not call them cheap'],
          deliverables: [{ platform: 'INSTAGRAM', format: 'REEL', count: 3, dueOn: daysFromToday(50) }],
        },
      },
      tokens.member,
    );
    const partnershipId = await inviteWhenKnown(stack, tokens.member, {
      campaignId,
      creatorId,
      fee: { amountMinor: 90_000, currency: 'USD' },
    });
    const accepted = await ok<{ respondToInvitation: { deliverables: { id: string }[] } }>(
      stack,
      `mutation($id: ID!) { respondToInvitation(id: $id, accept: true) { deliverables { id } } }`,
      { id: partnershipId },
      tokens.creator,
    );
    deliverables = accepted.respondToInvitation.deliverables.map((d) => d.id);
  }, 120_000);
  afterAll(() => stack?.close());

  it('checks a draft against the brief and shows every finding to the creator and the reviewers', async () => {
    const [id] = deliverables;
    const check = await submit(id, 'So CHEAP and so good! Wearing my #adidas socks with them');
    expect(check.passed).toBe(false);
    expect(check.findings.map((f) => [f.kind, f.expected, f.found])).toEqual([
      ['MISSING_HASHTAG', '#summitco', null],
      ['MISSING_HASHTAG', '#trailready', null],
      ['MISSING_MENTION', '@summit.co', null],
      ['MISSING_LINK', 'https://summit.example/boots', null],
      ['MISSING_DISCLOSURE', '#ad, #sponsored or paid partnership (US)', null], // #adidas is no #ad
      ['FORBIDDEN_WORD', 'cheap', 'cheap'],
    ]);
    for (const f of check.findings) expect(f.message).toMatch(/^[A-Z].{10,}/);
    // The reviewers (member and analyst) see the same findings on the submission.
    for (const token of [tokens.member, tokens.analyst]) {
      const seen = await ok<Seen>(stack, DELIVERABLE, { id }, token);
      expect(seen.deliverable.submissions).toEqual([{ version: 1, compliance: check }]);
    }
    for (const token of [tokens.stranger, tokens.rival]) {
      const hidden = await stack.query(DELIVERABLE, { id }, token);
      expect(codeOf(hidden)).toMatchObject({ code: 'NOT_FOUND' });
      expect(JSON.stringify(hidden)).not.toContain('summitco');
    }
  });

  it('refuses to approve a failing draft without an override, with a stable code and the kinds, and writes nothing', async () => {
    const [id] = deliverables;
    const refused = await approve(id, tokens.member);
    expect(refused.data ?? null).toBeNull();
    expect(codeOf(refused)).toMatchObject({
      code: 'INVALID_STATE',
      findings: ['MISSING_HASHTAG', 'MISSING_MENTION', 'MISSING_LINK', 'MISSING_DISCLOSURE', 'FORBIDDEN_WORD'],
    });
    expectNoLeak(refused);
    // The override is input: a blank, a NUL byte or a huge reason, or one on a change request, is refused on its field.
    for (const [override, field] of [
      [{ reason: '   ' }, 'input.overrideCompliance.reason'],
      [{ reason: 'x'.repeat(2_001) }, 'input.overrideCompliance.reason'],
    ] as const) {
      const r = await approve(id, tokens.member, override);
      expect(codeOf(r)).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(JSON.stringify(r.errors)).not.toContain('xxxxxxxxxx');
    }
    expect(codeOf(await approve(id, tokens.member, { reason: 'fine\u0000' }))).toMatchObject({ code: 'BAD_USER_INPUT' });
    const changes = await stack.query(
      REVIEW,
      { input: { deliverableId: id, decision: 'CHANGES_REQUESTED', comments: 'Add the tags', overrideCompliance: { reason: 'no' } } },
      tokens.member,
    );
    expect(codeOf(changes)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.overrideCompliance' });
    // Only the brand's members override: the analyst and the creator are refused, outsiders see nothing.
    const reason = { reason: 'Agreed by phone: tags go in the first comment' };
    for (const [token, code] of [
      [tokens.analyst, 'FORBIDDEN'],
      [tokens.creator, 'FORBIDDEN'],
      [tokens.rival, 'NOT_FOUND'],
      [tokens.stranger, 'NOT_FOUND'],
      [undefined, 'UNAUTHENTICATED'],
    ] as const) {
      const r = await approve(id, token, reason);
      expect(codeOf(r)).toMatchObject({ code });
      expectNoLeak(r);
    }
    expect((await ok<Seen>(stack, DELIVERABLE, { id }, tokens.member)).deliverable).toMatchObject({ status: 'SUBMITTED', reviews: [] });
  });

  it('approves with an override and a reason, kept on the review, shown to both sides and carried in deliverable.approved', async () => {
    const [id] = deliverables;
    const reason = 'Agreed by phone: tags go in the first comment';
    const approved = await ok<{ reviewDraft: { status: string; reviews: { complianceOverride: unknown }[] } }>(
      stack,
      REVIEW,
      { input: { deliverableId: id, decision: 'APPROVED', overrideCompliance: { reason: `  ${reason}  ` } } },
      tokens.member,
    );
    const override = {
      reason,
      overriddenBy: 'comp-member',
      findings: ['MISSING_HASHTAG', 'MISSING_MENTION', 'MISSING_LINK', 'MISSING_DISCLOSURE', 'FORBIDDEN_WORD'],
    };
    expect(approved.reviewDraft).toEqual({ status: 'APPROVED', reviews: [{ decision: 'APPROVED', complianceOverride: override }] });
    for (const token of [tokens.creator, tokens.analyst]) {
      expect((await ok<Seen>(stack, DELIVERABLE, { id }, token)).deliverable.reviews).toEqual([
        { decision: 'APPROVED', complianceOverride: override },
      ]);
    }
    const event = await eventually(
      async () => {
        const row = (await outboxOf(stack, 'campaign', id)).find((e) => e.type === 'deliverable.approved');
        return row?.sent && row;
      },
      30_000,
      'deliverable.approved to be published',
    );
    expect(event.envelope.data.complianceOverride).toMatchObject(override);
  });

  it('approves a passing draft without an override, and refuses an override it does not need', async () => {
    const [, id] = deliverables;
    const check = await submit(
      id,
      'Up the ridge in my new boots #SummitCo #TrailReady with @Summit.Co #ad',
      'Link: https://www.summit.example/boots/?ref=kai',
    );
    expect(check).toEqual({ passed: true, findings: [] });
    expect(codeOf(await approve(id, tokens.member, { reason: 'just in case' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.overrideCompliance',
    });
    expect((await approve(id, tokens.member)).data?.reviewDraft.reviews).toEqual([{ decision: 'APPROVED', complianceOverride: null }]);
  });

  it("checks drafts with the brand's own disclosure rules, set by its members only", async () => {
    const [, , id] = deliverables;
    const set = (rules: Record<string, unknown>, token: string | null = tokens.member) =>
      stack.query(RULES, { brandId, rules }, token ?? undefined);
    const bad = await set({
      anyMarket: ['#notamarker'],
      markets: [
        { country: 'United States', markers: ['#ad'] },
        { country: 'GB', markers: [] },
      ],
    });
    expect(codeOf(bad)).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect((codeOf(bad)!.problems as { field: string }[]).map((p) => p.field)).toEqual([
      'rules.anyMarket.0',
      'rules.markets.0.country',
      'rules.markets.1.markers',
    ]);
    for (const [token, code] of [
      [tokens.analyst, 'FORBIDDEN'],
      [tokens.creator, 'FORBIDDEN'],
      [tokens.rival, 'FORBIDDEN'],
      [null, 'UNAUTHENTICATED'],
    ] as const) {
      const r = await set({ anyMarket: ['#ad'] }, token);
      expect(codeOf(r)).toMatchObject({ code });
      expectNoLeak(r);
    }
    const BRAND = `query($id: ID!) { brand(id: $id) { disclosureRules { anyMarket markets { country markers } } } }`;
    expect((await ok<{ brand: unknown }>(stack, BRAND, { id: brandId }, tokens.analyst)).brand).toEqual({
      disclosureRules: { anyMarket: null, markets: [] },
    });

    // The brand wants the platform's paid-partnership label in the US, not a hashtag.
    const saved = await ok<{ setBrandDisclosureRules: { disclosureRules: unknown } }>(
      stack,
      RULES,
      { brandId, rules: { markets: [{ country: 'us', markers: ['Paid Partnership'] }] } },
      tokens.member,
    );
    expect(saved.setBrandDisclosureRules.disclosureRules).toEqual({
      anyMarket: null,
      markets: [{ country: 'US', markers: ['paid partnership'] }],
    });
    expect((await ok<{ brand: unknown }>(stack, BRAND, { id: brandId }, tokens.analyst)).brand).toEqual({
      disclosureRules: saved.setBrandDisclosureRules.disclosureRules,
    });
    const everythingElse = '#SummitCo #TrailReady @summit.co https://summit.example/boots';
    const withAd = await submit(id, `${everythingElse} #ad`);
    expect(withAd.findings.map((f) => [f.kind, f.expected, f.found])).toEqual([['MISSING_DISCLOSURE', 'paid partnership (US)', '#ad']]);
    await ok(
      stack,
      REVIEW,
      { input: { deliverableId: id, decision: 'CHANGES_REQUESTED', comments: 'Use the paid partnership label' } },
      tokens.member,
    );
    expect(await submit(id, `${everythingElse} Paid partnership with Summit`)).toEqual({ passed: true, findings: [] });
    // The stored checks keep the rules of their submission; {} restores the defaults.
    expect((await ok<Seen>(stack, DELIVERABLE, { id }, tokens.member)).deliverable.submissions.map((s) => s.compliance.passed)).toEqual([
      false,
      true,
    ]);
    await ok(stack, RULES, { brandId, rules: {} }, tokens.member);
    expect((await ok<{ brand: unknown }>(stack, BRAND, { id: brandId }, tokens.member)).brand).toEqual({
      disclosureRules: { anyMarket: null, markets: [] },
    });
    expect((await ok<Seen>(stack, DELIVERABLE, { id }, tokens.member)).deliverable.submissions.map((s) => s.compliance.passed)).toEqual([
      false,
      true,
    ]);
  });
});
