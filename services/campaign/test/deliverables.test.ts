import { Identity } from '@influenceflow/kit';
import { identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { campaignSubgraph } from '../src/schema';
import { codeOf, invitedPartnership, knownCreators, newBrand, newCampaign, ok, outboxEvents } from './support';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const CREATOR = uuid(601);
const SECOND = uuid(602);
const LONG_TERM = uuid(603);
const LIBRARY = uuid(604);

const FIELDS = `id sequence status dueOn platform format postUrl ugcReuseAllowed flagReason`;
const DELIVERABLES = `query($id: ID!) { partnership(id: $id) { deliverables { ${FIELDS} } } }`;
const DELIVERABLE = `query($id: ID!) { deliverable(id: $id) {
  ${FIELDS} submissions { version draftUrl caption } reviews { submissionVersion decision comments }
} }`;
const SUBMIT = `mutation($input: SubmitDraftInput!) { submitDraft(input: $input) { ${FIELDS} } }`;
const REVIEW = `mutation($input: ReviewDraftInput!) { reviewDraft(input: $input) { ${FIELDS} } }`;
const POSTED = `mutation($id: ID!, $url: String!) { markDeliverablePosted(id: $id, postUrl: $url) { ${FIELDS} } }`;
const VERIFY = `mutation($id: ID!) { verifyDeliverable(id: $id) { ${FIELDS} } }`;
const UGC = `mutation($id: ID!, $allowed: Boolean!) { setUgcReuse(id: $id, allowed: $allowed) { ${FIELDS} } }`;
const FLAG = `mutation($id: ID!, $reason: String) { flagContent(id: $id, reason: $reason) { ${FIELDS} } }`;
const FLAGGED = `query($brandId: ID!) { flaggedContent(brandId: $brandId) { edges { node { id flagReason } } } }`;

type Deliverable = { id: string; sequence: number; status: string; dueOn: string; postUrl: string | null; ugcReuseAllowed: boolean };

describe('deliverables: schedule, drafts and reviews, posts, UGC permission, flags', () => {
  let sub: TestSubgraph;
  let brandId: string;
  let member: Identity;
  let plan: Deliverable[];
  const creator = identities.creator(CREATOR);

  const q = <T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, who: Identity | null) =>
    sub.query<T>(query, variables, who);
  const eventTypes = async (subject: string) => (await outboxEvents(sub, subject)).map((e) => e.type);

  /** A brand, a campaign with a brief asking for 2 reels, and the creator invited; returns the partnership. */
  async function partnershipWith(creatorId: string): Promise<string> {
    const campaignId = await newCampaign(sub, member, {
      brandId,
      name: `Campaign for ${creatorId}`,
      goal: { type: 'CONTENT', target: 4 },
      budget: { amountMinor: 500_000, currency: 'USD' },
      startsOn: '2027-06-01',
      endsOn: '2027-07-31',
    });
    ok(
      await q(
        `mutation($id: ID!, $input: PublishBriefInput!) { publishBrief(campaignId: $id, input: $input) { version } }`,
        {
          id: campaignId,
          input: {
            brandStory: 'Trail shoes that grip.',
            deliverables: [
              { platform: 'INSTAGRAM', format: 'REEL', count: 2, dueOn: '2027-06-15' },
              { platform: 'TIKTOK', format: 'SHORT', count: 1, dueOn: '2027-07-01' },
            ],
          },
        },
        member,
      ),
    );
    return ok(
      await q<{ inviteCreator: { id: string } }>(
        `mutation($input: InviteCreatorInput!) { inviteCreator(input: $input) { id } }`,
        { input: { campaignId, creatorId, fee: { amountMinor: 60_000, currency: 'USD' } } },
        member,
      ),
    ).inviteCreator.id;
  }
  const accept = (id: string, who: Identity) =>
    q(`mutation($id: ID!) { respondToInvitation(id: $id, accept: true) { status } }`, { id }, who);

  beforeAll(async () => {
    sub = await startTestSubgraph(campaignSubgraph);
    brandId = await newBrand(sub, { name: 'Trailco' });
    member = identities.brandMember(brandId);
    await knownCreators(sub, [
      [CREATOR, 'tina.trails'],
      [SECOND, 'sam.summits'],
      [LONG_TERM, 'lena.longruns'],
      [LIBRARY, 'lib.lou'],
    ]);
  }, 60_000);
  afterAll(() => sub?.close());

  it('schedules one deliverable per promised piece when the creator accepts', async () => {
    const partnershipId = await partnershipWith(CREATOR);
    expect(
      ok(await q<{ partnership: { deliverables: Deliverable[] } }>(DELIVERABLES, { id: partnershipId }, member)).partnership.deliverables,
    ).toEqual([]);
    ok(await accept(partnershipId, creator));
    plan = ok(await q<{ partnership: { deliverables: Deliverable[] } }>(DELIVERABLES, { id: partnershipId }, creator)).partnership
      .deliverables;
    expect(plan.map((d) => [d.sequence, d.status, d.dueOn, (d as unknown as { platform: string }).platform])).toEqual([
      [1, 'PLANNED', '2027-06-15', 'INSTAGRAM'],
      [2, 'PLANNED', '2027-06-15', 'INSTAGRAM'],
      [3, 'PLANNED', '2027-07-01', 'TIKTOK'],
    ]);
  });

  it('goes draft → changes requested → resubmitted → approved → posted → verified, each move by its side', async () => {
    const id = plan[0].id;
    const submit = (version: number) =>
      q<{ submitDraft: Deliverable }>(
        SUBMIT,
        { input: { deliverableId: id, draftUrl: `https://drive.example/draft-${version}`, caption: `Take ${version} #ad` } },
        creator,
      );
    // The wrong side is FORBIDDEN before its input or the state is looked at.
    for (const draftUrl of ['https://x.example/a', 'not a url']) {
      const r = await q(SUBMIT, { input: { deliverableId: id, draftUrl } }, member);
      expect(codeOf(r)).toMatchObject({ code: 'FORBIDDEN', to: 'submitted', actors: ['creator'] });
      expect(r.errors![0].message).toBe('Only the creator moves a deliverable to submitted');
    }
    const analyst = await q(SUBMIT, { input: { deliverableId: id, draftUrl: 'https://x.example/a' } }, identities.analyst(brandId));
    expect(codeOf(analyst)).toMatchObject({ code: 'FORBIDDEN' });
    expect(analyst.errors![0].message).toBe("Analysts read a brand's campaigns; only its members change them");
    expect(codeOf(await q(SUBMIT, { input: { deliverableId: id, draftUrl: 'not a url' } }, creator))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.draftUrl',
    });
    expect(ok(await submit(1)).submitDraft.status).toBe('SUBMITTED');

    expect(codeOf(await q(REVIEW, { input: { deliverableId: id, decision: 'APPROVED' } }, creator))).toMatchObject({
      code: 'FORBIDDEN',
      actors: ['brand'],
    });
    expect(codeOf(await q(REVIEW, { input: { deliverableId: id, decision: 'CHANGES_REQUESTED' } }, member))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.comments',
    });
    const changes = ok(
      await q<{ reviewDraft: Deliverable }>(
        REVIEW,
        { input: { deliverableId: id, decision: 'CHANGES_REQUESTED', comments: 'Show the sole grip' } },
        member,
      ),
    );
    expect(changes.reviewDraft.status).toBe('CHANGES_REQUESTED');
    expect(codeOf(await q(POSTED, { id, url: 'https://instagram.com/p/early' }, creator))).toMatchObject({ code: 'INVALID_STATE' });

    expect(ok(await submit(2)).submitDraft.status).toBe('SUBMITTED');
    expect(
      ok(await q<{ reviewDraft: Deliverable }>(REVIEW, { input: { deliverableId: id, decision: 'APPROVED' } }, member)).reviewDraft.status,
    ).toBe('APPROVED');
    expect(codeOf(await q(POSTED, { id, url: 'ftp://instagram.com/p/1' }, creator))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'postUrl',
    });
    // Drafts and reviews happen before launch; posting waits for the campaign to be active.
    const draftCampaign = await q(POSTED, { id, url: 'https://instagram.com/p/Cgrip' }, creator);
    expect(codeOf(draftCampaign)).toMatchObject({ code: 'INVALID_STATE', campaignStatus: 'draft' });
    expect(draftCampaign.errors![0].message).toBe('The campaign is draft: content is posted and verified only while it is active');
    expect(ok(await q<{ deliverable: Deliverable }>(DELIVERABLE, { id }, creator)).deliverable).toMatchObject({
      status: 'APPROVED',
      postUrl: null,
    });
    const [{ campaign_id: campaignId }] = await sub.runtime.dataSource.query(`SELECT campaign_id FROM deliverables WHERE id = $1`, [id]);
    const campaignTo = async (status: string) =>
      ok(
        await q(
          `mutation($id: ID!, $s: CampaignStatus!) { changeCampaignStatus(id: $id, status: $s) { status } }`,
          { id: campaignId, s: status },
          member,
        ),
      );
    await campaignTo('ACTIVE');

    const posted = ok(await q<{ markDeliverablePosted: Deliverable }>(POSTED, { id, url: 'https://instagram.com/p/Cgrip' }, creator));
    expect(posted.markDeliverablePosted).toMatchObject({ status: 'POSTED', postUrl: 'https://instagram.com/p/Cgrip' });
    expect(codeOf(await q(VERIFY, { id }, creator))).toMatchObject({ code: 'FORBIDDEN', to: 'verified' });
    await campaignTo('PAUSED');
    expect(codeOf(await q(VERIFY, { id }, member))).toMatchObject({ code: 'INVALID_STATE', campaignStatus: 'paused' });
    await campaignTo('ACTIVE');
    expect(ok(await q<{ verifyDeliverable: Deliverable }>(VERIFY, { id }, member)).verifyDeliverable.status).toBe('VERIFIED');

    const full = ok(await q<{ deliverable: { submissions: unknown[]; reviews: unknown[] } }>(DELIVERABLE, { id }, member)).deliverable;
    expect(full.submissions).toEqual([
      { version: 1, draftUrl: 'https://drive.example/draft-1', caption: 'Take 1 #ad' },
      { version: 2, draftUrl: 'https://drive.example/draft-2', caption: 'Take 2 #ad' },
    ]);
    expect(full.reviews).toEqual([
      { submissionVersion: 1, decision: 'CHANGES_REQUESTED', comments: 'Show the sole grip' },
      { submissionVersion: 2, decision: 'APPROVED', comments: '' },
    ]);
    expect(await eventTypes(id)).toEqual([
      'deliverable.submitted',
      'deliverable.changes-requested',
      'deliverable.resubmitted',
      'deliverable.approved',
      'deliverable.posted',
      'deliverable.verified',
    ]);
  });

  it('shows deliverables only to their brand and creator', async () => {
    const id = plan[1].id;
    expect(codeOf(await q(DELIVERABLE, { id }, identities.brandMember(uuid(999))))).toMatchObject({ code: 'NOT_FOUND' });
    expect(codeOf(await q(DELIVERABLE, { id }, identities.creator(SECOND)))).toMatchObject({ code: 'NOT_FOUND' });
    expect(codeOf(await q(DELIVERABLE, { id }, null))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(
      codeOf(await q(SUBMIT, { input: { deliverableId: id, draftUrl: 'https://x.example/a' } }, identities.creator(SECOND))),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(ok(await q<{ deliverable: { id: string } }>(DELIVERABLE, { id }, identities.analyst(brandId))).deliverable.id).toBe(id);
  });

  it('lets only the creator grant UGC reuse, per deliverable', async () => {
    const id = plan[1].id;
    expect(ok(await q<{ setUgcReuse: Deliverable }>(UGC, { id, allowed: true }, creator)).setUgcReuse.ugcReuseAllowed).toBe(true);
    expect(codeOf(await q(UGC, { id, allowed: false }, member))).toMatchObject({ code: 'FORBIDDEN' });
    const partnershipId = (await sub.runtime.dataSource.query(`SELECT partnership_id FROM deliverables WHERE id = $1`, [id]))[0]
      .partnership_id;
    const after = ok(await q<{ partnership: { deliverables: Deliverable[] } }>(DELIVERABLES, { id: partnershipId }, member));
    expect(after.partnership.deliverables.map((d) => d.ugcReuseAllowed)).toEqual([false, true, false]);
  });

  it('flags content with a reason for the brand to see, and clears the flag', async () => {
    const id = plan[2].id;
    expect(codeOf(await q(FLAG, { id, reason: 'Off-brand language' }, creator))).toMatchObject({ code: 'FORBIDDEN' });
    expect(codeOf(await q(FLAG, { id, reason: '  ' }, member))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    ok(await q(FLAG, { id, reason: 'Off-brand language' }, member));
    const flagged = ok(
      await q<{ flaggedContent: { edges: { node: { id: string; flagReason: string } }[] } }>(FLAGGED, { brandId }, member),
    );
    expect(flagged.flaggedContent.edges.map((e) => e.node)).toEqual([{ id, flagReason: 'Off-brand language' }]);
    expect(codeOf(await q(FLAGGED, { brandId }, identities.brandMember(uuid(999))))).toMatchObject({ code: 'FORBIDDEN' });
    ok(await q(FLAG, { id, reason: null }, member));
    expect(ok(await q<{ flaggedContent: { edges: unknown[] } }>(FLAGGED, { brandId }, member)).flaggedContent.edges).toEqual([]);
    expect(await eventTypes(id)).toEqual(['deliverable.flagged', 'deliverable.unflagged']);
  });

  it('refuses content moves while the partnership is not at work', async () => {
    const partnershipId = await partnershipWith(SECOND);
    ok(await accept(partnershipId, identities.creator(SECOND)));
    ok(
      await q(
        `mutation($id: ID!) { changePartnershipStatus(id: $id, status: TERMINATED, reason: "Budget cut") { status } }`,
        { id: partnershipId },
        member,
      ),
    );
    const [first] = ok(await q<{ partnership: { deliverables: Deliverable[] } }>(DELIVERABLES, { id: partnershipId }, member)).partnership
      .deliverables;
    const r = await q(SUBMIT, { input: { deliverableId: first.id, draftUrl: 'https://x.example/late' } }, identities.creator(SECOND));
    expect(codeOf(r)).toMatchObject({ code: 'INVALID_STATE', partnershipStatus: 'terminated' });
    expect(
      (
        await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM deliverable_submissions WHERE deliverable_id = $1`, [first.id])
      )[0].n,
    ).toBe(0);
  });

  it('repeats the month’s set every month of a long-term partnership', async () => {
    const id = await invitedPartnership(sub, member, brandId, LONG_TERM, {
      length: 'THREE_MONTHS',
      deliverables: [
        { platform: 'INSTAGRAM', format: 'REEL', count: 2, dueOn: '2027-06-30' },
        { platform: 'TIKTOK', format: 'VIDEO', count: 1, dueOn: '2027-06-20' },
      ],
    });
    ok(await accept(id, identities.creator(LONG_TERM)));
    const schedule = ok(
      await q<{ partnership: { deliverables: { sequence: number; cycle: number; platform: string; dueOn: string }[] } }>(
        `query($id: ID!) { partnership(id: $id) { deliverables { sequence cycle platform dueOn } } }`,
        { id },
        member,
      ),
    ).partnership.deliverables;
    expect(schedule.map((d) => [d.sequence, d.cycle, d.platform, d.dueOn])).toEqual([
      [1, 1, 'TIKTOK', '2027-06-20'],
      [2, 1, 'INSTAGRAM', '2027-06-30'],
      [3, 1, 'INSTAGRAM', '2027-06-30'],
      [4, 2, 'TIKTOK', '2027-07-20'],
      [5, 2, 'INSTAGRAM', '2027-07-30'],
      [6, 2, 'INSTAGRAM', '2027-07-30'],
      [7, 3, 'TIKTOK', '2027-08-20'],
      [8, 3, 'INSTAGRAM', '2027-08-30'],
      [9, 3, 'INSTAGRAM', '2027-08-30'],
    ]);
  });

  it("keeps the brand's content library: approved and posted content with its reuse permission and last day", async () => {
    const lou = identities.creator(LIBRARY);
    const id = await invitedPartnership(sub, member, brandId, LIBRARY, {
      deliverables: [{ platform: 'INSTAGRAM', format: 'REEL', count: 2, dueOn: '2027-06-20' }],
    });
    ok(await accept(id, lou));
    const pieces = ok(await q<{ partnership: { deliverables: Deliverable[] } }>(DELIVERABLES, { id }, lou)).partnership.deliverables;
    for (const d of pieces) {
      ok(
        await q(
          SUBMIT,
          { input: { deliverableId: d.id, draftUrl: `https://drive.example/lou-${d.sequence}`, caption: 'Trail day #ad' } },
          lou,
        ),
      );
      ok(await q(REVIEW, { input: { deliverableId: d.id, decision: 'APPROVED' } }, member));
    }
    const REUSE = `mutation($id: ID!, $allowed: Boolean!, $until: String) { setUgcReuse(id: $id, allowed: $allowed, until: $until) { ugcReuseAllowed ugcReuseUntil ugcReusableNow } }`;
    const nextYear = `${new Date().getUTCFullYear() + 1}-12-31`;
    expect(ok(await q(REUSE, { id: pieces[0].id, allowed: true, until: nextYear }, lou))).toEqual({
      setUgcReuse: { ugcReuseAllowed: true, ugcReuseUntil: nextYear, ugcReusableNow: true },
    });
    expect(codeOf(await q(REUSE, { id: pieces[1].id, allowed: true, until: '2020-01-01' }, lou))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'until',
    });
    expect(codeOf(await q(REUSE, { id: pieces[1].id, allowed: false, until: nextYear }, lou))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'until',
    });
    expect(codeOf(await q(REUSE, { id: pieces[1].id, allowed: true, until: '31/12/2030' }, lou))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'until',
    });
    expect(codeOf(await q(REUSE, { id: pieces[1].id, allowed: true }, member))).toMatchObject({ code: 'FORBIDDEN' });

    const LIBRARY_QUERY = `query($brandId: ID!, $reusableOnly: Boolean) { contentLibrary(brandId: $brandId, reusableOnly: $reusableOnly) {
      edges { node { id creatorId ugcReuseAllowed ugcReusableNow } } } }`;
    type Library = { contentLibrary: { edges: { node: { id: string; creatorId: string; ugcReusableNow: boolean } }[] } };
    const mine = (r: Library) => r.contentLibrary.edges.map((e) => e.node).filter((n) => n.creatorId === LIBRARY);
    expect(
      mine(ok(await q<Library>(LIBRARY_QUERY, { brandId }, identities.analyst(brandId))))
        .map((n) => n.id)
        .sort(),
    ).toEqual(pieces.map((p) => p.id).sort());
    expect(mine(ok(await q<Library>(LIBRARY_QUERY, { brandId, reusableOnly: true }, member))).map((n) => n.id)).toEqual([pieces[0].id]);
    // Past its last day it stays in the library, no longer reusable.
    await sub.runtime.dataSource.query(`UPDATE deliverables SET ugc_reuse_until = current_date - 1 WHERE id = $1`, [pieces[0].id]);
    expect(mine(ok(await q<Library>(LIBRARY_QUERY, { brandId, reusableOnly: true }, member)))).toEqual([]);
    expect(mine(ok(await q<Library>(LIBRARY_QUERY, { brandId }, member))).find((n) => n.id === pieces[0].id)!.ugcReusableNow).toBe(false);

    expect(codeOf(await q(LIBRARY_QUERY, { brandId }, lou))).toMatchObject({ code: 'FORBIDDEN' });
    expect(codeOf(await q(LIBRARY_QUERY, { brandId }, identities.brandMember(await newBrand(sub, { name: 'Nosy' }))))).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(codeOf(await q(LIBRARY_QUERY, { brandId }, null))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
