import { Identity } from '@influenceflow/kit';
import { identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { campaignSubgraph } from '../src/schema';
import { codeOf, knownCreators, newBrand, newCampaign, ok, outboxEvents } from './support';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const CREATOR = uuid(701);
const OTHER_CREATOR = uuid(702);

const CHECK = `compliance { passed findings { kind expected found message } }`;
const SUBMIT = `mutation($input: SubmitDraftInput!) { submitDraft(input: $input) { status submissions { version ${CHECK} } } }`;
const REVIEW = `mutation($input: ReviewDraftInput!) { reviewDraft(input: $input) {
  status reviews { decision complianceOverride { reason overriddenBy overriddenAt findings } }
} }`;
const DELIVERABLE = `query($id: ID!) { deliverable(id: $id) {
  status submissions { version ${CHECK} } reviews { decision complianceOverride { reason findings } }
} }`;
const RULES = `mutation($brandId: ID!, $rules: BrandDisclosureRulesInput!) {
  setBrandDisclosureRules(brandId: $brandId, rules: $rules) { disclosureRules { anyMarket markets { country markers } } }
}`;

type Check = { passed: boolean; findings: { kind: string; expected: string; found: string | null; message: string }[] };
type Submitted = { submitDraft: { status: string; submissions: { version: number; compliance: Check }[] } };

describe('brief compliance: each draft checked against its brief, approvals of failing drafts overridden with a reason', () => {
  let sub: TestSubgraph;
  let brandId: string;
  let member: Identity;
  const creator = identities.creator(CREATOR);
  const q = <T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, who: Identity | null) =>
    sub.query<T>(query, variables, who);

  /** A German-market campaign whose brief asks for #trailco, @trailco, the shop link and forbids "cheap"; the creator's first deliverable. */
  async function deliverable(creatorId: string): Promise<string> {
    const campaignId = await newCampaign(sub, member, {
      brandId,
      name: `Compliance ${creatorId}`,
      goal: { type: 'CONTENT', target: 1 },
      budget: { amountMinor: 100_000, currency: 'EUR' },
      startsOn: '2027-06-01',
      endsOn: '2027-07-31',
      targetAudience: { countries: ['DE'] },
    });
    ok(
      await q(
        `mutation($id: ID!, $input: PublishBriefInput!) { publishBrief(campaignId: $id, input: $input) { version } }`,
        {
          id: campaignId,
          input: {
            brandStory: 'Trail shoes that grip.',
            requiredHashtags: ['#TrailCo'],
            requiredMentions: ['@TrailCo'],
            requiredLinks: ['https://trailco.example/shoes'],
            forbiddenWords: ['cheap', 'best price'],
            donts: ['Do not call it "cheap"'],
            deliverables: [{ platform: 'INSTAGRAM', format: 'REEL', count: 1, dueOn: '2027-06-15' }],
          },
        },
        member,
      ),
    );
    const partnershipId = ok(
      await q<{ inviteCreator: { id: string } }>(
        `mutation($input: InviteCreatorInput!) { inviteCreator(input: $input) { id } }`,
        { input: { campaignId, creatorId, fee: { amountMinor: 40_000, currency: 'EUR' } } },
        member,
      ),
    ).inviteCreator.id;
    return ok(
      await q<{ respondToInvitation: { deliverables: { id: string }[] } }>(
        `mutation($id: ID!) { respondToInvitation(id: $id, accept: true) { deliverables { id } } }`,
        { id: partnershipId },
        identities.creator(creatorId),
      ),
    ).respondToInvitation.deliverables[0].id;
  }
  const submit = (id: string, caption: string, note = '') =>
    q<Submitted>(SUBMIT, { input: { deliverableId: id, draftUrl: 'https://drive.example/d', caption, note } }, creator);
  const approve = (id: string, extra: Record<string, unknown> = {}, who: Identity | null = member) =>
    q(REVIEW, { input: { deliverableId: id, decision: 'APPROVED', ...extra } }, who);

  beforeAll(async () => {
    sub = await startTestSubgraph(campaignSubgraph);
    brandId = await newBrand(sub, { name: 'Trailco' });
    member = identities.brandMember(brandId);
    await knownCreators(sub, [
      [CREATOR, 'cora.climbs'],
      [OTHER_CREATOR, 'otto.outdoors'],
    ]);
  });
  afterAll(() => sub?.stop());

  it('checks the draft on submission and shows every finding to the creator at once', async () => {
    const id = await deliverable(CREATOR);
    const { submitDraft } = ok(await submit(id, 'So CHEAP, so good #ad #trailco'));
    expect(submitDraft.status).toBe('SUBMITTED');
    const { compliance } = submitDraft.submissions[0];
    expect(compliance.passed).toBe(false);
    expect(compliance.findings.map((f) => [f.kind, f.expected, f.found])).toEqual([
      ['MISSING_MENTION', '@trailco', null],
      ['MISSING_LINK', 'https://trailco.example/shoes', null],
      ['MISSING_DISCLOSURE', '#anzeige or #werbung (DE)', '#ad'],
      ['FORBIDDEN_WORD', 'cheap', 'cheap'],
    ]);
    for (const f of compliance.findings) expect(f.message.length).toBeGreaterThan(10);
  });

  it('refuses to approve a failing draft without an override (INVALID_STATE with the kinds), then approves with one and keeps it', async () => {
    const id = await deliverable(CREATOR);
    ok(await submit(id, '#werbung @trailco'));
    const refused = await approve(id);
    expect(codeOf(refused)).toMatchObject({ code: 'INVALID_STATE', findings: ['MISSING_HASHTAG', 'MISSING_LINK'] });
    // Nothing written: still submitted, no review.
    const before = ok(await q<{ deliverable: { status: string; reviews: unknown[] } }>(DELIVERABLE, { id }, member)).deliverable;
    expect(before).toMatchObject({ status: 'SUBMITTED', reviews: [] });

    const r = ok(await approve(id, { overrideCompliance: { reason: '  Link goes in the bio; the tag was agreed by phone.  ' } })) as {
      reviewDraft: { status: string; reviews: { complianceOverride: Record<string, unknown> }[] };
    };
    expect(r.reviewDraft.status).toBe('APPROVED');
    expect(r.reviewDraft.reviews[0].complianceOverride).toMatchObject({
      reason: 'Link goes in the bio; the tag was agreed by phone.',
      overriddenBy: member.sub,
      findings: ['MISSING_HASHTAG', 'MISSING_LINK'],
    });
    expect(Number.isNaN(Date.parse(String(r.reviewDraft.reviews[0].complianceOverride.overriddenAt)))).toBe(false);

    const seen = ok(await q<{ deliverable: { reviews: { complianceOverride: { reason: string } }[] } }>(DELIVERABLE, { id }, creator));
    expect(seen.deliverable.reviews[0].complianceOverride.reason).toBe('Link goes in the bio; the tag was agreed by phone.');

    const approved = (await outboxEvents(sub, id)).find((e) => e.type === 'deliverable.approved')!;
    expect(approved.envelope.data.complianceOverride).toMatchObject({
      reason: 'Link goes in the bio; the tag was agreed by phone.',
      overriddenBy: member.sub,
      findings: ['MISSING_HASHTAG', 'MISSING_LINK'],
    });
  });

  it('approves a passing draft without an override, and refuses an override there is no reason for', async () => {
    const id = await deliverable(CREATOR);
    const { submitDraft } = ok(await submit(id, '#Anzeige Grip for days @TrailCo #trailco', 'Link: https://www.trailco.example/shoes/'));
    expect(submitDraft.submissions[0].compliance).toEqual({ passed: true, findings: [] });
    expect(codeOf(await approve(id, { overrideCompliance: { reason: 'just because' } }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.overrideCompliance',
    });
    ok(await approve(id));
    const approved = (await outboxEvents(sub, id)).find((e) => e.type === 'deliverable.approved')!;
    expect(approved.envelope.data).not.toHaveProperty('complianceOverride');
  });

  it('refuses a bad override reason, and an override with a change request, without writing anything', async () => {
    const id = await deliverable(CREATOR);
    ok(await submit(id, 'nothing here'));
    for (const [reason, field] of [
      ['   ', 'input.overrideCompliance.reason'],
      ['x'.repeat(10_000), 'input.overrideCompliance.reason'],
    ]) {
      const r = await approve(id, { overrideCompliance: { reason } });
      expect(codeOf(r)).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(JSON.stringify(r.errors)).not.toContain('xxxxxxxxxx');
    }
    const nul = await approve(id, { overrideCompliance: { reason: 'ok\u0000' } });
    expect(codeOf(nul)?.code).toBe('BAD_USER_INPUT');
    const changes = await q(
      REVIEW,
      { input: { deliverableId: id, decision: 'CHANGES_REQUESTED', comments: 'Add the tags', overrideCompliance: { reason: 'no' } } },
      member,
    );
    expect(codeOf(changes)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.overrideCompliance' });
    expect(ok(await q<{ deliverable: { status: string; reviews: unknown[] } }>(DELIVERABLE, { id }, member)).deliverable).toMatchObject({
      status: 'SUBMITTED',
      reviews: [],
    });
  });

  it("refuses the override to every caller but the brand's members: analyst, creator, other brand, anonymous", async () => {
    const id = await deliverable(CREATOR);
    ok(await submit(id, 'nothing here'));
    const override = { overrideCompliance: { reason: 'fine' } };
    expect(codeOf(await approve(id, override, identities.analyst(brandId)))?.code).toBe('FORBIDDEN');
    expect(codeOf(await approve(id, override, creator))?.code).toBe('FORBIDDEN');
    expect(codeOf(await approve(id, override, identities.brandMember(uuid(799))))?.code).toBe('NOT_FOUND');
    expect(codeOf(await approve(id, override, identities.creator(OTHER_CREATOR)))?.code).toBe('NOT_FOUND');
    expect(codeOf(await approve(id, override, null))?.code).toBe('UNAUTHENTICATED');
    expect(codeOf(await approve('not-a-uuid\u0000', override))?.code).toMatch(/^(BAD_USER_INPUT|NOT_FOUND)$/);
    expect(ok(await q<{ deliverable: { status: string } }>(DELIVERABLE, { id }, member)).deliverable.status).toBe('SUBMITTED');
  });

  it('validates required mentions and forbidden words on the brief, every bad one at once, and keeps them when omitted', async () => {
    const campaignId = await newCampaign(sub, member, {
      brandId,
      name: 'Brief fields',
      goal: { type: 'CONTENT', target: 1 },
      budget: { amountMinor: 100_000, currency: 'EUR' },
      startsOn: '2027-06-01',
      endsOn: '2027-07-31',
    });
    const publish = (input: Record<string, unknown>) =>
      q<{ publishBrief: { version: number; requiredMentions: string[]; forbiddenWords: string[] } }>(
        `mutation($id: ID!, $input: PublishBriefInput!) { publishBrief(campaignId: $id, input: $input) { version requiredMentions forbiddenWords } }`,
        { id: campaignId, input },
        member,
      );
    const bad = await publish({
      brandStory: 'x',
      deliverables: [{ platform: 'INSTAGRAM', format: 'REEL', count: 1, dueOn: '2027-06-15' }],
      requiredMentions: ['@ok', 'not a handle', 'x'.repeat(40)],
      forbiddenWords: ['fine', 'bad<word>', '!!!'],
    });
    expect(codeOf(bad)?.code).toBe('BAD_USER_INPUT');
    expect((codeOf(bad)?.problems as { field: string }[]).map((p) => p.field)).toEqual([
      'input.requiredMentions.1',
      'input.requiredMentions.2',
      'input.forbiddenWords.1',
      'input.forbiddenWords.2',
    ]);
    const nul = await publish({ brandStory: 'x', forbiddenWords: ['bad\u0000word'] });
    expect(codeOf(nul)?.code).toBe('BAD_USER_INPUT');
    const first = ok(
      await publish({
        brandStory: 'x',
        deliverables: [{ platform: 'INSTAGRAM', format: 'REEL', count: 1, dueOn: '2027-06-15' }],
        requiredMentions: ['@Trail.Co'],
        forbiddenWords: ['Best  price'],
      }),
    ).publishBrief;
    expect(first).toMatchObject({ requiredMentions: ['trail.co'], forbiddenWords: ['Best price'] });
    expect(ok(await publish({ tone: 'calm' })).publishBrief).toMatchObject({
      version: 2,
      requiredMentions: ['trail.co'],
      forbiddenWords: ['Best price'],
    });
    expect(ok(await publish({ requiredMentions: null })).publishBrief).toMatchObject({
      requiredMentions: [],
      forbiddenWords: ['Best price'],
    });
  });

  it("checks against the brand's disclosure rules: set by members, refused to others and for unknown markers", async () => {
    const set = (rules: Record<string, unknown>, who: Identity | null = member) => q(RULES, { brandId, rules }, who);
    const bad = await set({
      anyMarket: ['#notamarker'],
      markets: [
        { country: 'Germany', markers: ['#werbung'] },
        { country: 'FR', markers: [] },
      ],
    });
    expect((codeOf(bad)?.problems as { field: string }[]).map((p) => p.field)).toEqual([
      'rules.anyMarket.0',
      'rules.markets.0.country',
      'rules.markets.1.markers',
    ]);
    expect(codeOf(await set({ anyMarket: ['#ad'] }, identities.analyst(brandId)))?.code).toBe('FORBIDDEN');
    expect(codeOf(await set({ anyMarket: ['#ad'] }, creator))?.code).toBe('FORBIDDEN');
    expect(codeOf(await set({ anyMarket: ['#ad'] }, null))?.code).toBe('UNAUTHENTICATED');

    const saved = ok(await set({ markets: [{ country: 'de', markers: ['#AD'] }] })) as {
      setBrandDisclosureRules: { disclosureRules: unknown };
    };
    expect(saved.setBrandDisclosureRules.disclosureRules).toEqual({ anyMarket: null, markets: [{ country: 'DE', markers: ['#ad'] }] });
    try {
      const id = await deliverable(CREATOR);
      const { submitDraft } = ok(await submit(id, '#ad #trailco @trailco https://trailco.example/shoes'));
      expect(submitDraft.submissions[0].compliance).toEqual({ passed: true, findings: [] });
    } finally {
      ok(await set({}));
    }
  });
});
