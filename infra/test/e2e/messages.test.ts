import { eventually } from '@influenceflow/kit/testing';
import { startTestStack, TestStack } from '../../src/testing/stack';
import {
  campaignInput,
  codeOf,
  createBrand,
  daysFromToday,
  dbOf,
  expectNoLeak,
  inviteWhenKnown,
  ok,
  outboxOf,
  saveCreator,
} from './support';

/**
 * A partnership's message thread through the gateway with real tokens (issue 12, "Negotiation and
 * conversation"): the brand's members and the creator write to each other, latest first, with read state
 * and links; hostile links are refused; analysts read but do not write; anyone else sees nothing; every
 * post is published as `message.posted`.
 */
describe('partnership messages through the gateway', () => {
  let stack: TestStack;
  let brandId: string;
  let partnershipId: string;
  const creatorId = '00000000-0000-4000-8000-0000000e1301';
  const tokens: Record<'max' | 'mo' | 'analyst' | 'creator' | 'stranger' | 'rival' | 'admin', string> = {
    max: '',
    mo: '',
    analyst: '',
    creator: '',
    stranger: '',
    rival: '',
    admin: '',
  };
  const stored = async () => (await dbOf(stack, 'campaign')<{ n: number }>(`SELECT count(*)::int AS n FROM partnership_messages`))[0].n;

  const POST = `mutation($input: PostMessageInput!) {
    postPartnershipMessage(input: $input) { id partnershipId authorSide authorSubject body attachments { url name } readByOtherSide } }`;
  const THREAD = `query($id: ID!, $first: Int, $after: String) { partnership(id: $id) {
    unreadMessages messages(first: $first, after: $after) { edges { node { id body authorSide authorSubject readByOtherSide } } pageInfo { hasNextPage endCursor } }
  } }`;
  const READ = `mutation($id: ID!, $upTo: ID) { markPartnershipMessagesRead(partnershipId: $id, upTo: $upTo) { unreadMessages } }`;
  type Thread = {
    partnership: {
      unreadMessages: number;
      messages: {
        edges: { node: { id: string; body: string; authorSide: string; authorSubject: string; readByOtherSide: boolean } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    };
  };
  const post = (token: string | undefined, input: Record<string, unknown>) =>
    stack.query<{ postPartnershipMessage: { id: string } & Record<string, unknown> }>(POST, { input: { partnershipId, ...input } }, token);
  const thread = (token: string | undefined, vars: Record<string, unknown> = {}) =>
    stack.query<Thread>(THREAD, { id: partnershipId, ...vars }, token);

  beforeAll(async () => {
    stack = await startTestStack();
    brandId = await createBrand(stack, 'Thread Outdoor Co');
    tokens.max = await stack.token({ sub: 'thread-max', roles: ['brand_member'], brandIds: [brandId] });
    tokens.mo = await stack.token({ sub: 'thread-mo', roles: ['brand_member'], brandIds: [brandId] });
    tokens.analyst = await stack.token({ sub: 'thread-ana', roles: ['analyst'], brandIds: [brandId] });
    tokens.creator = await stack.token({ sub: 'thread-tia', roles: ['creator'], creatorId });
    tokens.stranger = await stack.token({ sub: 'thread-sam', roles: ['creator'], creatorId: '00000000-0000-4000-8000-0000000e1302' });
    tokens.rival = await stack.token({
      sub: 'thread-rival',
      roles: ['brand_member'],
      brandIds: [await createBrand(stack, 'Thread Rival Co')],
    });
    tokens.admin = await stack.token({ sub: 'thread-ops', roles: ['admin'] });
    await saveCreator(
      stack,
      tokens.creator,
      { handle: 'thread.tia', displayName: 'Tia', niches: ['hiking'], country: 'GB' },
      { handle: 'thread.tia', followers: 12_000 },
    );
    const campaign = await ok<{ createCampaign: { id: string } }>(
      stack,
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
      { input: campaignInput(brandId, { name: 'Thread trails' }) },
      tokens.max,
    );
    const campaignId = campaign.createCampaign.id;
    await ok(
      stack,
      `mutation($id: ID!, $due: String!) { publishBrief(campaignId: $id, input: { brandStory: "Boots for wet hills", deliverables: [{ platform: INSTAGRAM, format: REEL, count: 1, dueOn: $due }] }) { version } }`,
      { id: campaignId, due: daysFromToday(40) },
      tokens.max,
    );
    partnershipId = await inviteWhenKnown(stack, tokens.max, { campaignId, creatorId, fee: { amountMinor: 30_000, currency: 'GBP' } });
  }, 120_000);
  afterAll(() => stack?.close());

  it('carries the conversation between the brand’s members and the creator, latest first, with read state and links', async () => {
    const first = (
      await ok<{ postPartnershipMessage: Record<string, unknown> }>(
        stack,
        POST,
        {
          input: {
            partnershipId,
            body: 'Hi Tia! The moodboard is attached.',
            attachments: [
              { url: 'https://files.thread.example/moodboard.pdf', name: 'Moodboard' },
              { url: 'https://files.thread.example/shots' },
            ],
          },
        },
        tokens.max,
      )
    ).postPartnershipMessage;
    expect(first).toMatchObject({
      partnershipId,
      authorSide: 'BRAND',
      authorSubject: 'thread-max',
      body: 'Hi Tia! The moodboard is attached.',
      attachments: [
        { url: 'https://files.thread.example/moodboard.pdf', name: 'Moodboard' },
        { url: 'https://files.thread.example/shots', name: null },
      ],
      readByOtherSide: false,
    });
    // The creator has one unread; a brand member (the author's side) none of the brand's own.
    expect((await ok<Thread>(stack, THREAD, { id: partnershipId }, tokens.creator)).partnership.unreadMessages).toBe(1);
    expect((await ok<Thread>(stack, THREAD, { id: partnershipId }, tokens.mo)).partnership.unreadMessages).toBe(0);

    // The creator answers (which reads the thread up to there); another member of the brand writes too.
    await ok(stack, POST, { input: { partnershipId, body: 'Thanks! Can the reel be 30 s?' } }, tokens.creator);
    await ok(stack, POST, { input: { partnershipId, body: 'Yes, 30 s is fine.' } }, tokens.mo);
    await ok(stack, POST, { input: { partnershipId, body: 'Great, filming Saturday.' } }, tokens.creator);

    const seen = (await ok<Thread>(stack, THREAD, { id: partnershipId }, tokens.max)).partnership;
    expect(seen.messages.edges.map((e) => [e.node.authorSide, e.node.authorSubject, e.node.body, e.node.readByOtherSide])).toEqual([
      ['CREATOR', 'thread-tia', 'Great, filming Saturday.', false],
      ['BRAND', 'thread-mo', 'Yes, 30 s is fine.', true],
      ['CREATOR', 'thread-tia', 'Thanks! Can the reel be 30 s?', true], // Mo read it by answering
      ['BRAND', 'thread-max', 'Hi Tia! The moodboard is attached.', true],
    ]);
    expect(seen.unreadMessages).toBe(2); // Max has read neither of Tia's messages
    // Pages of two, latest first.
    const page1 = (await ok<Thread>(stack, THREAD, { id: partnershipId, first: 2 }, tokens.max)).partnership.messages;
    const page2 = (await ok<Thread>(stack, THREAD, { id: partnershipId, first: 2, after: page1.pageInfo.endCursor }, tokens.max))
      .partnership.messages;
    expect([...page1.edges, ...page2.edges].map((e) => e.node.body)).toEqual(seen.messages.edges.map((e) => e.node.body));
    expect([page1.pageInfo.hasNextPage, page2.pageInfo.hasNextPage]).toEqual([true, false]);

    // Max reads up to Tia's first message: one left unread; then all. Tia sees the brand has read hers.
    const older = seen.messages.edges[2].node.id;
    expect(
      (await ok<{ markPartnershipMessagesRead: { unreadMessages: number } }>(stack, READ, { id: partnershipId, upTo: older }, tokens.max))
        .markPartnershipMessagesRead.unreadMessages,
    ).toBe(1);
    expect(
      (await ok<{ markPartnershipMessagesRead: { unreadMessages: number } }>(stack, READ, { id: partnershipId }, tokens.max))
        .markPartnershipMessagesRead.unreadMessages,
    ).toBe(0);
    // A mark never moves back.
    expect(
      (await ok<{ markPartnershipMessagesRead: { unreadMessages: number } }>(stack, READ, { id: partnershipId, upTo: older }, tokens.max))
        .markPartnershipMessagesRead.unreadMessages,
    ).toBe(0);
    const tias = (await ok<Thread>(stack, THREAD, { id: partnershipId }, tokens.creator)).partnership;
    expect(tias.messages.edges[0].node).toMatchObject({ body: 'Great, filming Saturday.', readByOtherSide: true });
    // Read marks are per person: Mo and the analyst have their own.
    expect((await ok<Thread>(stack, THREAD, { id: partnershipId }, tokens.mo)).partnership.unreadMessages).toBe(1);
    expect((await ok<Thread>(stack, THREAD, { id: partnershipId }, tokens.analyst)).partnership.unreadMessages).toBe(2);

    // The creator's list of partnerships carries the thread too.
    const mine = await ok<{
      myPartnerships: { edges: { node: { id: string; unreadMessages: number; messages: { edges: { node: { body: string } }[] } } }[] };
    }>(
      stack,
      `{ myPartnerships { edges { node { id unreadMessages messages(first: 1) { edges { node { body } } } } } } }`,
      {},
      tokens.creator,
    );
    expect(mine.myPartnerships.edges).toEqual([
      { node: { id: partnershipId, unreadMessages: 0, messages: { edges: [{ node: { body: 'Great, filming Saturday.' } }] } } },
    ]);

    // Every post is published as message.posted (the relay marks the outbox row sent once Kafka has it).
    const posted = await eventually(
      async () => {
        const rows = (await outboxOf(stack, 'campaign', partnershipId)).filter((e) => e.type === 'message.posted');
        return rows.length === 4 && rows.every((e) => e.sent) && rows;
      },
      30_000,
      'the four message.posted events to be published',
    );
    expect(posted.map((e) => e.envelope.data.body)).toEqual([
      'Hi Tia! The moodboard is attached.',
      'Thanks! Can the reel be 30 s?',
      'Yes, 30 s is fine.',
      'Great, filming Saturday.',
    ]);
    expect(posted[0].envelope.data).toMatchObject({
      partnershipId,
      brandId,
      creatorId,
      authorSide: 'brand',
      attachments: [
        { url: 'https://files.thread.example/moodboard.pdf', name: 'Moodboard' },
        { url: 'https://files.thread.example/shots', name: null },
      ],
    });
  });

  it('refuses hostile links and bad messages on their fields, writing nothing', async () => {
    const before = await stored();
    const hostile = [
      'javascript:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      'https://thread.example@evil.example/brief.pdf',
      'http://localhost:3000/admin',
      'http://169.254.169.254/latest/meta-data/',
      'http://intranet/share',
      'file:///etc/passwd',
    ];
    for (const [i, url] of hostile.entries()) {
      const r = await post(tokens.max, { body: `Link ${i}`, attachments: [{ url }] });
      expect(r.data ?? null).toBeNull();
      expect(codeOf(r)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.attachments.0.url' });
      expect(r.errors![0].message).not.toContain(url);
      expectNoLeak(r);
    }
    for (const [input, field] of [
      [{ body: '   ' }, 'input.body'],
      [{ body: 'x'.repeat(5_001) }, 'input.body'],
      [
        { body: 'Too many', attachments: Array.from({ length: 11 }, (_, i) => ({ url: `https://files.thread.example/${i}` })) },
        'input.attachments',
      ],
      [{ body: 'Named', attachments: [{ url: 'https://files.thread.example/a', name: 'n'.repeat(201) }] }, 'input.attachments.0.name'],
    ] as const) {
      const r = await post(tokens.creator, input);
      expect(codeOf(r)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    // A NUL byte and a non-UUID id never reach the service.
    expect(codeOf(await post(tokens.max, { body: 'nul\u0000byte' }))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(codeOf(await stack.query(POST, { input: { partnershipId: 'not-a-uuid', body: 'hello' } }, tokens.max))).toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    expect(codeOf(await stack.query(READ, { id: partnershipId, upTo: '00000000-0000-4000-8000-0000000e13ff' }, tokens.max))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'upTo',
    });
    expect(await stored()).toBe(before);
  });

  it('lands a retried post once when the client names it', async () => {
    const before = await stored();
    const input = { body: 'Sent twice by a flaky train connection', clientMessageId: 'tia-phone-7' };
    const a = (await ok<{ postPartnershipMessage: { id: string } }>(stack, POST, { input: { partnershipId, ...input } }, tokens.creator))
      .postPartnershipMessage;
    const b = (await ok<{ postPartnershipMessage: { id: string } }>(stack, POST, { input: { partnershipId, ...input } }, tokens.creator))
      .postPartnershipMessage;
    expect(b.id).toBe(a.id);
    expect(await stored()).toBe(before + 1);
  });

  it('lets the analyst read but not write, and hides the thread from anyone else', async () => {
    const before = await stored();
    const analyst = await post(tokens.analyst, { body: 'Looks good' });
    expect(codeOf(analyst)).toMatchObject({ code: 'FORBIDDEN' });
    expectNoLeak(analyst);
    expect((await ok<Thread>(stack, THREAD, { id: partnershipId }, tokens.analyst)).partnership.messages.edges.length).toBeGreaterThan(0);
    for (const token of [tokens.stranger, tokens.rival]) {
      for (const r of [await post(token, { body: 'Hello?' }), await thread(token), await stack.query(READ, { id: partnershipId }, token)]) {
        expect(codeOf(r)).toMatchObject({ code: 'NOT_FOUND' });
        expect(JSON.stringify(r)).not.toContain('filming');
        expectNoLeak(r);
      }
    }
    for (const r of [await post(undefined, { body: 'anon' }), await thread(undefined)])
      expect(codeOf(r)).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await stored()).toBe(before);
    // A platform admin writes as the brand.
    expect(
      (
        await ok<{ postPartnershipMessage: { authorSide: string } }>(
          stack,
          POST,
          { input: { partnershipId, body: 'Support here' } },
          tokens.admin,
        )
      ).postPartnershipMessage.authorSide,
    ).toBe('BRAND');
  });

  it('keeps the thread readable but closed once the partnership has ended', async () => {
    await ok(
      stack,
      `mutation($id: ID!) { respondToInvitation(id: $id, accept: false, reason: "Booked that month") { status } }`,
      { id: partnershipId },
      tokens.creator,
    );
    const before = await stored();
    for (const token of [tokens.max, tokens.creator]) {
      const closed = await post(token, { body: 'Maybe next time?' });
      expect(codeOf(closed)).toMatchObject({ code: 'INVALID_STATE', partnershipStatus: 'declined' });
    }
    expect((await ok<Thread>(stack, THREAD, { id: partnershipId }, tokens.creator)).partnership.messages.edges[0].node.body).toBe(
      'Support here',
    );
    expect(await stored()).toBe(before);
  });
});
